package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"

	"dyadcode/media"
	"dyadcode/store"
)

func init() {
	register(&command{
		name:    "probe",
		args:    "VIDEO|PROJECT.dyad [--json] [--frames]",
		summary: "Describe a video: container, codecs, size, rotation, frame rate, exact frame count (packet scan), duration, start time, audio. Given a project: every session's views with their offsets and each view's file.",
		run:     runProbe,
	})
}

// probeJSON is the --json shape; keys are stable for scripts.
type probeJSON struct {
	Path         string  `json:"path"`
	Container    string  `json:"container"`
	VideoCodec   string  `json:"video_codec"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Rotation     int     `json:"rotation"`
	Rate         string  `json:"frame_rate"`
	RateFloat    float64 `json:"fps"`
	VariableRate bool    `json:"variable_frame_rate"`
	Frames       int64   `json:"frames"`
	Duration     string  `json:"duration_s"`
	StartTime    string  `json:"start_time_s"`
	HasAudio     bool    `json:"has_audio"`
	AudioCodec   string  `json:"audio_codec,omitempty"`
	Channels     int     `json:"channels,omitempty"`
	SampleRate   int     `json:"sample_rate,omitempty"`
	Damaged      string  `json:"damaged,omitempty"`
}

func runProbe(env *cmdEnv, args []string) error {
	c := commands["probe"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	frames := fs.Bool("frames", false, "list every frame: number, media time, keyframe (CSV), to check against other tools")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one VIDEO, got %d arguments", len(pos))
	}
	if *frames {
		return listFrames(env, pos[0])
	}
	if store.IsProjectFile(pos[0]) {
		return probeSessions(env, pos[0], *asJSON)
	}
	in, err := media.Probe(pos[0])
	damaged := ""
	if err != nil {
		// A damaged file still has a usable front part: show it, then fail.
		if !errors.Is(err, media.ErrTruncated) || in.Frames == 0 {
			return err
		}
		damaged = err.Error()
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(probeJSON{
			Path: in.Path, Container: in.Container, VideoCodec: in.VideoCodec, Width: in.Width, Height: in.Height,
			Rotation: in.Rotation, Rate: in.Rate.String(), RateFloat: in.Rate.Float(), VariableRate: in.VariableRate,
			Frames: in.Frames, Duration: in.Duration.Seconds(), StartTime: in.StartTime.Seconds(), HasAudio: in.HasAudio,
			AudioCodec: in.AudioCodec, Channels: in.Channels, SampleRate: in.SampleRate, Damaged: damaged,
		}); err != nil {
			return err
		}
	} else {
		w := env.stdout
		fmt.Fprintf(w, "file:        %s\n", in.Path)
		fmt.Fprintf(w, "container:   %s\n", in.Container)
		fmt.Fprintf(w, "video:       %s %dx%d", in.VideoCodec, in.Width, in.Height)
		if in.Rotation != 0 {
			dw, dh := in.DisplaySize()
			fmt.Fprintf(w, ", rotated %d° (shown %dx%d)", in.Rotation, dw, dh)
		}
		fmt.Fprintln(w)
		vfr := ""
		if in.VariableRate {
			vfr = " (variable; average)"
		}
		fmt.Fprintf(w, "frame rate:  %s = %.3f fps%s\n", in.Rate, in.Rate.Float(), vfr)
		fmt.Fprintf(w, "frames:      %d\n", in.Frames)
		fmt.Fprintf(w, "duration:    %s (%s s)\n", in.Duration.Clock(), in.Duration.Seconds())
		fmt.Fprintf(w, "start time:  %s s\n", in.StartTime.Seconds())
		if in.HasAudio {
			fmt.Fprintf(w, "audio:       %s, %d channels, %d Hz\n", in.AudioCodec, in.Channels, in.SampleRate)
		} else {
			fmt.Fprintln(w, "audio:       none")
		}
	}
	if damaged != "" {
		return err
	}
	return nil
}

// listFrames prints the frame index as CSV: the numbering coders' times
// refer to, comparable with ffprobe's frame list minus the start time.
func listFrames(env *cmdEnv, path string) error {
	ix, err := media.BuildIndex(path, nil)
	if ix == nil {
		return err
	}
	w := bufio.NewWriter(env.stdout)
	fmt.Fprintln(w, "frame,time_s,key")
	for i, t := range ix.PTS {
		k := 0
		if ix.Key[i] {
			k = 1
		}
		fmt.Fprintf(w, "%d,%s,%d\n", i, t.Seconds(), k)
	}
	if ferr := w.Flush(); ferr != nil {
		return ferr
	}
	return err // a damaged file lists its good front, then fails
}
