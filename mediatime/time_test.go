package mediatime

import (
	"errors"
	"testing"
)

func TestParseSeconds(t *testing.T) {
	tests := []struct {
		in   string
		want Time
	}{
		{"0", 0},
		{"0.3", 300000},
		{".3", 300000},
		{"3.", 3 * Second},
		{"12", 12 * Second},
		{"12.300000", 12*Second + 300*Millisecond},
		{"1.2500000", 1*Second + 250*Millisecond}, // trailing zeros past µs are fine
		{"-1.5", -1500 * Millisecond},
		{"+2.000001", 2*Second + 1},
		{" 7.25 ", 7*Second + 250*Millisecond},
		{"0007.5", 7*Second + 500*Millisecond},
		{"7200", 2 * Hour},
	}
	for _, tt := range tests {
		got, err := ParseSeconds(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSeconds(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSecondsRefuses(t *testing.T) {
	for _, in := range []string{"", " ", "-", ".", "1e3", "NaN", "Inf", "0x10", "1,5", "1.0000001", "1.2.3", "--1", "99999999999999999999", "9223372036854.775807"} {
		if got, err := ParseSeconds(in); !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseSeconds(%q) = %d, %v; want ErrBadTime", in, got, err)
		}
	}
}

func TestSecondsRoundTrip(t *testing.T) {
	for _, v := range []Time{0, 1, 999999, Second, -Second - 1, 300000, 123456789012, -5} {
		s := v.Seconds()
		back, err := ParseSeconds(s)
		if err != nil || back != v {
			t.Errorf("%d -> %q -> %d, %v", v, s, back, err)
		}
	}
	if got := Time(300000).Seconds(); got != "0.300000" {
		t.Errorf("Seconds() = %q", got)
	}
	if got := Time(-1500000).Seconds(); got != "-1.500000" {
		t.Errorf("Seconds() = %q", got)
	}
}

func TestClock(t *testing.T) {
	tests := map[Time]string{
		0:                                 "00:00:00.000",
		Hour + 2*Minute + 3*Second + 4567: "01:02:03.004",
		999:                               "00:00:00.000", // truncated, never rounded into the next frame
		-1500 * Millisecond:               "-00:00:01.500",
	}
	for in, want := range tests {
		if got := in.Clock(); got != want {
			t.Errorf("Clock(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestRate(t *testing.T) {
	ntsc := Rate{30000, 1001}
	if got := ntsc.FrameDuration(); got != 33366 {
		t.Errorf("NTSC frame = %d µs", got)
	}
	if (Rate{}).Valid() || (Rate{}).FrameDuration() != 0 {
		t.Error("zero rate must be invalid with zero frame duration")
	}
	if ntsc.String() != "30000/1001" {
		t.Error(ntsc.String())
	}
}

func TestTimeJSON(t *testing.T) {
	var v Time
	for in, want := range map[string]Time{`0.3`: 300000, `"1.5"`: 1500000, `180`: 180 * Second} {
		if err := v.UnmarshalJSON([]byte(in)); err != nil || v != want {
			t.Errorf("UnmarshalJSON(%s) = %d, %v", in, v, err)
		}
	}
	if err := v.UnmarshalJSON([]byte(`1e3`)); err == nil {
		t.Error("exponent accepted")
	}
	b, _ := Time(2500001).MarshalJSON()
	if string(b) != "2.500001" {
		t.Errorf("MarshalJSON = %s", b)
	}
}

// TestFrameTimeRoundTrip: the resume bug (left at #239 of a 30 fps video,
// reopened at #238) came from a frame's time truncated below the frame's
// own timestamp. For every frame of an hour of 30 and 30000/1001 fps video,
// TimeOf(n) maps back to n and is never before the timestamp a container
// gives the frame (its exact time rounded to the nearest microsecond, as
// FFmpeg's av_rescale_q does).
func TestFrameTimeRoundTrip(t *testing.T) {
	for _, r := range []Rate{{30, 1}, {30000, 1001}, {25, 1}, {24000, 1001}, {60, 1}} {
		for n := int64(0); n < 3600*r.Num/r.Den; n++ {
			tm := r.TimeOf(n)
			if got := r.FrameAt(tm); got != n {
				t.Fatalf("%s: FrameAt(TimeOf(%d) = %s) = %d", r, n, tm.Seconds(), got)
			}
			exact := n * r.Den * int64(Second)
			nearest := Time((exact + r.Num/2) / r.Num)
			if tm < nearest {
				t.Fatalf("%s: TimeOf(%d) = %s is before the frame's timestamp %s", r, n, tm.Seconds(), nearest.Seconds())
			}
			if r.FrameAt(nearest) != n {
				t.Fatalf("%s: the frame's own timestamp %s maps to frame %d, not %d", r, nearest.Seconds(), r.FrameAt(nearest), n)
			}
		}
	}
	if got := (Rate{30, 1}).TimeOf(239); got != MustSeconds("7.966667") {
		t.Errorf("frame 239 at 30 fps starts at %s, want 7.966667", got.Seconds())
	}
}

func TestShortSeconds(t *testing.T) {
	for in, want := range map[Time]string{0: "0", 500 * Millisecond: "0.5", 31 * Second: "31", -1250 * Millisecond: "-1.25", 1: "0.000001"} {
		if got := in.ShortSeconds(); got != want {
			t.Errorf("%d µs: %q, want %q", int64(in), got, want)
		}
	}
}
