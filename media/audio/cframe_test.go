package audio

import (
	"math"
	"testing"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
)

// TestCFrameHelpers pins what cframe.go assumes about AVFrame and FFmpeg's
// sample routines, on real decoded frames: if a new FFmpeg or go-astiav
// changes them, this fails before any waveform or seek goes subtly wrong.
func TestCFrameHelpers(t *testing.T) {
	// tone.wav: s16 mono 44.1 kHz, 0.8·sin(2π·440·t) for 3 s.
	in, err := openInput(media(t, "tone.wav"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	rd := newFrameReader(in)
	defer rd.free()
	f, err := rd.next()
	if err != nil {
		t.Fatal(err)
	}
	if f.SampleFormat().Name() != "s16" || frameChannels(f) != 1 || f.SampleRate() != 44100 {
		t.Fatalf("unexpected first frame %s", frameKey(f))
	}
	if l := f.ChannelLayout().String(); l != "mono" {
		t.Errorf("fixLayout left layout %q, want mono", l)
	}
	mono, err := monoMix(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(mono) != f.NbSamples() {
		t.Fatalf("monoMix gave %d samples for %d", len(mono), f.NbSamples())
	}
	for i, v := range mono {
		want := 0.8 * math.Sin(2*math.Pi*440*float64(i)/44100)
		if math.Abs(float64(v)-want) > 2.0/32768 {
			t.Fatalf("sample %d = %g, want %g", i, v, want)
		}
	}

	tail := astiav.AllocFrame()
	defer tail.Free()
	const skip = 100
	if err := frameTail(tail, f, skip); err != nil {
		t.Fatal(err)
	}
	if tail.NbSamples() != f.NbSamples()-skip || frameKey(tail) != frameKey(f) {
		t.Fatalf("tail: %d samples %s", tail.NbSamples(), frameKey(tail))
	}
	tm, _ := monoMix(tail, nil)
	for i := range tm {
		if tm[i] != mono[i+skip] {
			t.Fatalf("tail sample %d = %g, want %g", i, tm[i], mono[i+skip])
		}
	}
	if err := frameTail(tail, f, f.NbSamples()); err == nil {
		t.Error("frameTail accepted cutting every sample")
	}

	sil := astiav.AllocFrame()
	defer sil.Free()
	if err := frameSilence(sil, f, 333); err != nil {
		t.Fatal(err)
	}
	sm, _ := monoMix(sil, nil)
	if len(sm) != 333 || frameKey(sil) != frameKey(f) {
		t.Fatalf("silence: %d samples %s", len(sm), frameKey(sil))
	}
	for i, v := range sm {
		if v != 0 {
			t.Fatalf("silence sample %d = %g", i, v)
		}
	}

	// Planar float stereo (AAC): the mono mix is the mean of the channels.
	in2, err := openInput(media(t, "tone.mp4"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer in2.close()
	rd2 := newFrameReader(in2)
	defer rd2.free()
	var peak float32
	for i := 0; i < 40; i++ {
		f, err := rd2.next()
		if err != nil {
			t.Fatal(err)
		}
		if f.SampleFormat().Name() != "fltp" || frameChannels(f) != 2 {
			t.Fatalf("AAC frame %s", frameKey(f))
		}
		m, err := monoMix(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range m {
			peak = max(peak, v)
		}
	}
	if want := float32(0.8 * math.Sqrt2 / 2); math.Abs(float64(peak-want)) > 0.05 {
		t.Errorf("AAC mono peak %g, want ≈ %g", peak, want)
	}
}

// openInput marks the other streams discarded (through media/internal/av,
// whose TestLayout guards the access); this pins that the demuxer then skips
// their data (and the decoders' tests show audio is unaffected).
func TestDiscardOtherStreams(t *testing.T) {
	in, err := openInput(media(t, "tone.mp4"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	streams := in.fc.Streams()
	if len(streams) != 2 {
		t.Fatalf("%d streams", len(streams))
	}
	for _, s := range streams {
		if want := s.Index() != in.st.Index(); av.Discarded(s) != want {
			t.Errorf("stream %d discarded = %v, want %v", s.Index(), !want, want)
		}
	}
	// The demuxer skips the video's data: over the whole file it hands out
	// far fewer video bytes than a plain open (only what stream probing had
	// already buffered; MP4 returns empty packets for the rest).
	videoBytes := func(fc *astiav.FormatContext, audioIdx int) (video, audio int) {
		pkt := astiav.AllocPacket()
		defer pkt.Free()
		for fc.ReadFrame(pkt) == nil {
			if pkt.StreamIndex() == audioIdx {
				audio++
			} else {
				video += pkt.Size()
			}
			pkt.Unref()
		}
		return video, audio
	}
	skipped, audio := videoBytes(in.fc, in.st.Index())
	plain, err := av.OpenFormat(in.path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		plain.CloseInput()
		plain.Free()
	}()
	full, _ := videoBytes(plain, in.st.Index())
	t.Logf("video bytes read: %d with discard, %d without", skipped, full)
	if full == 0 || skipped*5 > full {
		t.Errorf("with discard %d video bytes read, without %d", skipped, full)
	}
	if audio == 0 {
		t.Error("no audio packets")
	}
}
