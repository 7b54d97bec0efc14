package media

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/asticode/go-astiav"
)

// proxyAudio carries the first audio stream into the proxy: packets copied
// when MP4 holds the codec as it is (AAC, MP3, AC-3, as the ffmpeg-based
// proxy did), otherwise decoded and encoded to AAC with FFmpeg's native
// encoder (present in every build, LGPL ones included).
type proxyAudio struct {
	j     *proxyJob
	in    *astiav.Stream
	out   *astiav.Stream
	copy  bool
	dec   *astiav.CodecContext
	enc   *astiav.CodecContext
	fg    *astiav.FilterGraph
	src   *astiav.FilterContext
	sink  *astiav.FilterContext
	frame *astiav.Frame
	filt  *astiav.Frame
	pkt   *astiav.Packet
	rate  int
}

func (a *proxyAudio) free() {
	for _, f := range []*astiav.Frame{a.frame, a.filt} {
		if f != nil {
			f.Free()
		}
	}
	if a.pkt != nil {
		a.pkt.Free()
	}
	if a.fg != nil {
		a.fg.Free()
	}
	for _, c := range []*astiav.CodecContext{a.dec, a.enc} {
		if c != nil {
			c.Free()
		}
	}
}

func newProxyAudio(j *proxyJob, in *astiav.Stream) (*proxyAudio, error) {
	a := &proxyAudio{j: j, in: in}
	if a.out = j.oc.NewStream(nil); a.out == nil {
		return nil, errors.New("add the audio stream")
	}
	cp := in.CodecParameters()
	switch cp.CodecID() {
	case astiav.CodecIDAac, astiav.CodecIDMp3, astiav.CodecIDAc3:
		a.copy = true
		if err := cp.Copy(a.out.CodecParameters()); err != nil {
			return nil, fmt.Errorf("copy the audio parameters: %w", err)
		}
		// The source container's tag (an AVI's wFormatTag) means nothing in MP4.
		a.out.CodecParameters().SetCodecTag(0)
		a.out.SetTimeBase(in.TimeBase())
		return a, nil
	}
	err := a.openTranscode(cp)
	if err != nil {
		a.free()
		return nil, err
	}
	return a, nil
}

func (a *proxyAudio) openTranscode(cp *astiav.CodecParameters) error {
	dc := astiav.FindDecoder(cp.CodecID())
	if dc == nil {
		return fmt.Errorf("no decoder for the %s audio", cp.CodecID())
	}
	if a.dec = astiav.AllocCodecContext(dc); a.dec == nil {
		return errors.New("allocate the audio decoder")
	}
	if err := cp.ToCodecContext(a.dec); err != nil {
		return fmt.Errorf("set up the audio decoder: %w", err)
	}
	if err := a.dec.Open(dc, nil); err != nil {
		return fmt.Errorf("open the %s decoder: %w", dc.Name(), err)
	}
	ec := astiav.FindEncoder(astiav.CodecIDAac)
	if ec == nil {
		return errors.New("this FFmpeg has no AAC encoder")
	}
	if a.enc = astiav.AllocCodecContext(ec); a.enc == nil {
		return errors.New("allocate the AAC encoder")
	}
	a.rate = a.dec.SampleRate()
	if a.rate <= 0 {
		return errors.New("the audio has no sample rate")
	}
	layout := a.dec.ChannelLayout()
	if !layout.Valid() || layout.NbChannels() == 0 || layout.NbChannels() > 2 || strings.Contains(layout.String(), "channels") {
		// The proxy is for listening while coding: stereo is plenty and
		// the native AAC encoder's layouts always include it.
		layout = astiav.ChannelLayoutStereo
		if a.dec.ChannelLayout().NbChannels() == 1 {
			layout = astiav.ChannelLayoutMono
		}
	}
	a.enc.SetChannelLayout(layout)
	a.enc.SetSampleRate(a.rate)
	a.enc.SetSampleFormat(astiav.SampleFormatFltp)
	a.enc.SetBitRate(160000)
	a.enc.SetTimeBase(astiav.NewRational(1, a.rate))
	if a.j.oc.OutputFormat().Flags().Has(astiav.IOFormatFlagGlobalheader) {
		a.enc.SetFlags(a.enc.Flags().Add(astiav.CodecContextFlagGlobalHeader))
	}
	if err := a.enc.Open(ec, nil); err != nil {
		return fmt.Errorf("open the AAC encoder: %w", err)
	}
	if err := a.out.CodecParameters().FromCodecContext(a.enc); err != nil {
		return fmt.Errorf("audio stream parameters: %w", err)
	}
	a.out.SetTimeBase(a.enc.TimeBase())
	a.frame = astiav.AllocFrame()
	a.filt = astiav.AllocFrame()
	a.pkt = astiav.AllocPacket()
	return nil
}

// openGraph builds, from the first decoded frame, the filter chain that
// gives the AAC encoder what it takes: planar float, its channel layout,
// and frames of exactly its frame size (asetnsamples).
func (a *proxyAudio) openGraph(like *astiav.Frame) error {
	if a.fg = astiav.AllocFilterGraph(); a.fg == nil {
		return errors.New("allocate the audio filter graph")
	}
	args := astiav.FilterArgs{
		"time_base":   "1/" + strconv.Itoa(a.rate),
		"sample_rate": strconv.Itoa(like.SampleRate()),
		"sample_fmt":  like.SampleFormat().Name(),
	}
	if l := like.ChannelLayout().String(); l != "" && !strings.Contains(l, "channels") {
		args["channel_layout"] = l
	} else {
		args["channels"] = strconv.Itoa(like.ChannelLayout().NbChannels())
	}
	var err error
	if a.src, err = a.fg.NewFilterContext(astiav.FindFilterByName("abuffer"), "in", args); err != nil {
		return fmt.Errorf("audio filter source: %w", err)
	}
	if a.sink, err = a.fg.NewFilterContext(astiav.FindFilterByName("abuffersink"), "out", nil); err != nil {
		return fmt.Errorf("audio filter sink: %w", err)
	}
	outputs, inputs := astiav.AllocFilterInOut(), astiav.AllocFilterInOut()
	defer outputs.Free()
	defer inputs.Free()
	outputs.SetName("in")
	outputs.SetFilterContext(a.src)
	outputs.SetPadIdx(0)
	outputs.SetNext(nil)
	inputs.SetName("out")
	inputs.SetFilterContext(a.sink)
	inputs.SetPadIdx(0)
	inputs.SetNext(nil)
	chain := fmt.Sprintf("aresample=%d,aformat=sample_fmts=fltp:channel_layouts=%s,asetnsamples=n=%d:p=0",
		a.rate, a.enc.ChannelLayout().String(), max(a.enc.FrameSize(), 1024))
	if err := a.fg.Parse(chain, inputs, outputs); err != nil {
		return fmt.Errorf("audio filters %q: %w", chain, err)
	}
	if err := a.fg.Configure(); err != nil {
		return fmt.Errorf("audio filters: %w", err)
	}
	return nil
}

// packet takes one packet of the source's audio stream.
func (a *proxyAudio) packet(p *astiav.Packet) error {
	if a.copy {
		p.SetPts(a.j.shift(p.Pts(), a.in.TimeBase()))
		p.SetDts(a.j.shift(p.Dts(), a.in.TimeBase()))
		p.RescaleTs(a.in.TimeBase(), a.out.TimeBase())
		p.SetStreamIndex(a.out.Index())
		p.SetPos(-1)
		if err := a.j.oc.WriteInterleavedFrame(p); err != nil {
			return fmt.Errorf("write audio: %w", err)
		}
		return nil
	}
	return a.decode(p)
}

// drain flushes the decoder, the filters and the encoder (copying needs
// nothing).
func (a *proxyAudio) drain() error {
	if a.copy {
		return nil
	}
	if err := a.decode(nil); err != nil {
		return err
	}
	if a.fg != nil {
		if err := a.src.BuffersrcAddFrame(nil, astiav.NewBuffersrcFlags()); err != nil {
			return fmt.Errorf("audio filters: %w", err)
		}
		if err := a.pull(); err != nil {
			return err
		}
	}
	return a.encode(nil)
}

func (a *proxyAudio) decode(p *astiav.Packet) error {
	if err := a.dec.SendPacket(p); err != nil && !errors.Is(err, astiav.ErrEof) {
		if p == nil {
			return fmt.Errorf("decode audio: %w", err)
		}
		return nil // a damaged packet: a moment of silence, not a failed proxy
	}
	for {
		err := a.dec.ReceiveFrame(a.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("decode audio: %w", err)
		}
		if a.fg == nil {
			if err := a.openGraph(a.frame); err != nil {
				return err
			}
		}
		if ts := bestEffort(a.frame); ts != noPTS {
			a.frame.SetPts(astiav.RescaleQ(a.j.shift(ts, a.in.TimeBase()), a.in.TimeBase(), astiav.NewRational(1, a.rate)))
		}
		if err := a.src.BuffersrcAddFrame(a.frame, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
			return fmt.Errorf("audio filters: %w", err)
		}
		a.frame.Unref()
		if err := a.pull(); err != nil {
			return err
		}
	}
}

// pull moves every frame the filters have to the encoder.
func (a *proxyAudio) pull() error {
	for {
		err := a.sink.BuffersinkGetFrame(a.filt, astiav.NewBuffersinkFlags())
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("audio filters: %w", err)
		}
		err = a.encode(a.filt)
		a.filt.Unref()
		if err != nil {
			return err
		}
	}
}

func (a *proxyAudio) encode(f *astiav.Frame) error {
	if err := a.enc.SendFrame(f); err != nil && !errors.Is(err, astiav.ErrEof) {
		return fmt.Errorf("encode audio: %w", err)
	}
	for {
		err := a.enc.ReceivePacket(a.pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("encode audio: %w", err)
		}
		a.pkt.RescaleTs(a.enc.TimeBase(), a.out.TimeBase())
		a.pkt.SetStreamIndex(a.out.Index())
		err = a.j.oc.WriteInterleavedFrame(a.pkt)
		a.pkt.Unref()
		if err != nil {
			return fmt.Errorf("write audio: %w", err)
		}
	}
}
