package audio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/asticode/go-astiav"
)

// graph is one FFmpeg filter graph abuffer -> filters -> abuffersink, built
// for the format of the frames that feed it. Frames must be fed with
// consecutive pts in samples (time base 1/rate): the decoder numbers them
// itself so that gaps, trims and inserted silence never confuse atempo.
type graph struct {
	fg   *astiav.FilterGraph
	src  *astiav.FilterContext
	sink *astiav.FilterContext
	key  string
}

// frameKey identifies the input format a graph was built for; a change of
// sample format, rate or channel layout mid-stream needs a new graph.
func frameKey(f *astiav.Frame) string {
	return f.SampleFormat().Name() + "|" + strconv.Itoa(f.SampleRate()) + "|" + f.ChannelLayout().String()
}

func newGraph(like *astiav.Frame, filters string) (g *graph, err error) {
	g = &graph{fg: astiav.AllocFilterGraph(), key: frameKey(like)}
	if g.fg == nil {
		return nil, errors.New("allocating filter graph failed")
	}
	defer func() {
		if err != nil {
			g.free()
			g = nil
		}
	}()
	// The decoder runs in the caller's goroutine; one filter thread is
	// plenty for audio and leaves the cores to video decoding.
	g.fg.SetThreadCount(1)
	rate := like.SampleRate()
	args := astiav.FilterArgs{
		"time_base":   "1/" + strconv.Itoa(rate),
		"sample_rate": strconv.Itoa(rate),
		"sample_fmt":  like.SampleFormat().Name(),
	}
	// A layout FFmpeg knows only by its channel count describes itself as
	// "N channels", which abuffer's channel_layout cannot parse back
	// (fixLayout normally gave the frame a real one already).
	if l := like.ChannelLayout().String(); l != "" && !strings.Contains(l, "channels") {
		args["channel_layout"] = l
	} else {
		args["channels"] = strconv.Itoa(frameChannels(like))
	}
	abuffer := astiav.FindFilterByName("abuffer")
	abuffersink := astiav.FindFilterByName("abuffersink")
	if abuffer == nil || abuffersink == nil {
		return nil, errors.New("FFmpeg lacks abuffer/abuffersink")
	}
	if g.src, err = g.fg.NewFilterContext(abuffer, "in", args); err != nil {
		return nil, fmt.Errorf("abuffer %s: %w", args, err)
	}
	if g.sink, err = g.fg.NewFilterContext(abuffersink, "out", nil); err != nil {
		return nil, fmt.Errorf("abuffersink: %w", err)
	}
	outputs := astiav.AllocFilterInOut()
	inputs := astiav.AllocFilterInOut()
	defer outputs.Free()
	defer inputs.Free()
	outputs.SetName("in")
	outputs.SetFilterContext(g.src)
	outputs.SetPadIdx(0)
	outputs.SetNext(nil)
	inputs.SetName("out")
	inputs.SetFilterContext(g.sink)
	inputs.SetPadIdx(0)
	inputs.SetNext(nil)
	if err = g.fg.Parse(filters, inputs, outputs); err != nil {
		return nil, fmt.Errorf("filter %q: %w", filters, err)
	}
	if err = g.fg.Configure(); err != nil {
		return nil, fmt.Errorf("configure filter %q: %w", filters, err)
	}
	return g, nil
}

// push feeds f (nil flushes) and hands every frame the graph has ready to
// emit; emit must copy what it keeps.
func (g *graph) push(f, out *astiav.Frame, emit func(*astiav.Frame)) error {
	if err := g.src.BuffersrcAddFrame(f, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		return fmt.Errorf("filter input: %w", err)
	}
	for {
		out.Unref()
		err := g.sink.BuffersinkGetFrame(out, astiav.NewBuffersinkFlags())
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("filter output: %w", err)
		}
		emit(out)
	}
}

func (g *graph) free() {
	if g != nil && g.fg != nil {
		g.fg.Free()
		g.fg = nil
	}
}

// tempoFilters is the filter chain for playback at speed f: atempo keeps
// the pitch, then everything is converted to the device format.
func tempoFilters(f float64) string {
	conv := "aresample=" + strconv.Itoa(OutputRate) + ",aformat=sample_fmts=flt:channel_layouts=stereo"
	if f == 1 {
		return conv
	}
	return "atempo=" + strconv.FormatFloat(f, 'f', -1, 64) + "," + conv
}
