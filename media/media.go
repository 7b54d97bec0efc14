// Package media is dyadcode's video engine: probing, a packet-scan frame
// index, frame-exact random access with a bounded frame cache, and playback
// with a clock. It uses FFmpeg through go-astiav and imports no Fyne, so it is
// tested headless on real files (see media/mediatest).
//
// Frame numbering: frame n is the n-th frame FFmpeg's decoder outputs for
// the first video stream (after edit lists), and its media time is its
// best-effort timestamp minus frame 0's, so both are what ffprobe
// -show_frames lists, whatever the container's start time. The frame on
// screen at time t is the last frame whose time is <= t.
package media

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
	"dyadcode/mediatime"
)

// Sentinel errors callers test with errors.Is. Every error returned by this
// package names the file.
var (
	// ErrNotMedia: the file is empty or no demuxer recognises it. The same
	// value as audio.ErrNotMedia: both packages open files one way
	// (media/internal/av).
	ErrNotMedia = av.ErrNotMedia
	// ErrNoVideo: a media file without a video stream (audio only).
	ErrNoVideo = errors.New("no video stream")
	// ErrUnsupported: the video codec has no decoder in this FFmpeg build.
	ErrUnsupported = errors.New("unsupported video codec")
	// ErrTruncated: the file ends or is damaged before its last frame; a
	// *DamageError says at which media time.
	ErrTruncated = av.ErrTruncated
	// ErrEOF: a frame past the last one was asked for.
	ErrEOF = errors.New("past the last frame")
)

// DamageError reports where a file stops being readable. It matches
// ErrTruncated with errors.Is.
type DamageError struct {
	Path string
	// At is the media time of the last good frame; frames up to it play.
	At     mediatime.Time
	Reason string
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("%s: %v after %s (%s)", e.Path, ErrTruncated, e.At.Seconds(), e.Reason)
}

// Is makes errors.Is(err, ErrTruncated) true.
func (e *DamageError) Is(target error) bool { return target == ErrTruncated }

// Info describes a video file.
type Info struct {
	Path       string
	Container  string // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	VideoCodec string // e.g. "h264"
	AudioCodec string // "" without audio
	// Width and Height are the coded picture size; Rotation (0, 90, 180, 270)
	// is the clockwise rotation to apply for display, so a portrait phone
	// video is 1920x1080 with Rotation 90.
	Width, Height, Rotation int
	Rate                    mediatime.Rate // average frame rate
	VariableRate            bool           // frame intervals differ
	// Duration runs from frame 0 to the end of the last frame.
	Duration mediatime.Time
	// StartTime is the first frame's timestamp in the file (µs), the offset
	// subtracted from every media time.
	StartTime  mediatime.Time
	Frames     int64 // exact: the frames FFmpeg's decoder outputs (see Index)
	Channels   int
	SampleRate int
	HasAudio   bool
}

// DisplaySize is the picture size after rotation.
func (in Info) DisplaySize() (w, h int) {
	if in.Rotation == 90 || in.Rotation == 270 {
		return in.Height, in.Width
	}
	return in.Width, in.Height
}

// FrameDuration is the nominal frame interval.
func (in Info) FrameDuration() mediatime.Time { return in.Rate.FrameDuration() }

// input is an opened container with its video stream chosen.
type input struct {
	path  string
	fc    *astiav.FormatContext
	vs    *astiav.Stream
	as    *astiav.Stream // nil without audio
	codec *astiav.Codec
}

// openInput opens path and finds its first video stream and decoder.
func openInput(path string) (*input, error) {
	fc, err := av.OpenFormat(path)
	if err != nil {
		var oe *av.OpenError
		if errors.As(err, &oe) && oe.Err == ErrTruncated {
			return nil, &DamageError{Path: path, Reason: oe.Detail}
		}
		return nil, err
	}
	in := &input{path: path, fc: fc}
	for _, s := range fc.Streams() {
		switch s.CodecParameters().MediaType() {
		case astiav.MediaTypeVideo:
			if in.vs == nil && !av.AttachedPic(s) {
				in.vs = s
			}
		case astiav.MediaTypeAudio:
			if in.as == nil {
				in.as = s
			}
		}
	}
	if in.vs == nil {
		in.close()
		return nil, fmt.Errorf("open %s: %w", path, ErrNoVideo)
	}
	cp := in.vs.CodecParameters()
	in.codec = astiav.FindDecoder(cp.CodecID())
	if in.codec == nil || cp.CodecID() == astiav.CodecIDNone {
		name := cp.CodecID().Name()
		if cp.CodecID() == astiav.CodecIDNone {
			// Name the FourCC the file carries: it is what a search finds.
			t := uint32(cp.CodecTag())
			name = "FourCC " + string([]byte{byte(t), byte(t >> 8), byte(t >> 16), byte(t >> 24)})
		}
		in.close()
		return nil, fmt.Errorf("open %s: %w (%s): this FFmpeg has no decoder for it; convert it with the camera maker's tool", path, ErrUnsupported, name)
	}
	if cp.Width() <= 0 || cp.Height() <= 0 {
		in.close()
		return nil, fmt.Errorf("open %s: %w: the video stream has no picture size", path, ErrNotMedia)
	}
	return in, nil
}

func (in *input) close() {
	if in.fc != nil {
		in.fc.CloseInput()
		in.fc.Free()
		in.fc = nil
	}
}

// rotation reads the display matrix as a clockwise multiple of 90°.
func rotation(s *astiav.Stream) int {
	b := s.SideData(astiav.PacketSideDataTypeDisplaymatrix)
	if len(b) < 36 {
		return 0
	}
	m, err := astiav.NewDisplayMatrixFromBytes(b)
	if err != nil {
		return 0
	}
	r := m.Rotation()
	deg := int(r+360+45) % 360 / 90 * 90 // nearest quarter turn
	return deg
}

// Probe describes path, counting its frames exactly as the Index does
// (scanning packets, decoding only where they lack timestamps). A damaged
// file returns the Info up to the damage with an error matching
// ErrTruncated.
func Probe(path string) (Info, error) {
	info, _, err := scan(path, nil)
	return info, err
}

// baseInfo fills what the container headers say.
func (in *input) baseInfo() Info {
	cp := in.vs.CodecParameters()
	info := Info{
		Path:       in.path,
		VideoCodec: cp.CodecID().Name(),
		Width:      cp.Width(),
		Height:     cp.Height(),
		Rotation:   rotation(in.vs),
	}
	if f := in.fc.InputFormat(); f != nil {
		info.Container = f.Name()
	}
	r := in.vs.AvgFrameRate()
	if r.Num() <= 0 || r.Den() <= 0 {
		r = in.vs.RFrameRate()
	}
	if r.Num() > 0 && r.Den() > 0 {
		info.Rate = mediatime.Rate{Num: int64(r.Num()), Den: int64(r.Den())}
	}
	if in.as != nil {
		ap := in.as.CodecParameters()
		info.HasAudio = true
		info.AudioCodec = ap.CodecID().Name()
		info.Channels = ap.ChannelLayout().NbChannels()
		if info.Channels == 0 {
			info.Channels = ap.Channels()
		}
		info.SampleRate = ap.SampleRate()
	}
	return info
}
