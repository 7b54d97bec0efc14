package app

import (
	"context"
	"fmt"
	"path/filepath"

	"dyadcode/annotate"
	"dyadcode/media"
	"dyadcode/store"
)

// Proxied is what MakeProxy made.
type Proxied struct {
	Info  media.Info     // the proxy as FFmpeg reads it back
	Video annotate.Video // the project's video, now playing from the proxy; zero without a project
}

// MakeProxy transcodes src into a coding-friendly copy at out (short GOP,
// same timestamps) and, when p is not nil, records it as the proxy of the
// project's video holding src's content. The project and the output are
// checked before the long transcode, so it never ends in "no such video"
// or replaces a project. progress (may be nil) sees media time done of
// total.
func MakeProxy(ctx context.Context, p *store.Project, src, out string, opt media.ProxyOptions, progress func(done, total annotate.Time)) (Proxied, error) {
	if err := CheckProjectOutput(out); err != nil {
		return Proxied{}, err
	}
	var res Proxied
	if p != nil {
		v, err := VideoByContent(p, src)
		if err != nil {
			return Proxied{}, err
		}
		res.Video = v
	}
	if progress == nil {
		progress = func(done, total annotate.Time) {}
	}
	if err := media.MakeProxy(ctx, src, out, opt, progress); err != nil {
		return Proxied{}, err
	}
	info, err := media.Probe(out)
	if err != nil {
		return Proxied{}, err
	}
	res.Info = info
	if p == nil {
		return res, nil
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return Proxied{}, fmt.Errorf("proxy %s: %w", out, err)
	}
	res.Video.Proxy = abs
	if err := p.UpdateVideo(res.Video); err != nil {
		return Proxied{}, fmt.Errorf("%s: record proxy of %s: %w", p.Path(), res.Video.ID, err)
	}
	return res, nil
}

// VideoByContent finds the project's video that path holds, by
// fingerprint, so a renamed or moved original still matches.
func VideoByContent(p *store.Project, path string) (annotate.Video, error) {
	fp, size, err := store.Fingerprint(path)
	if err != nil {
		return annotate.Video{}, fmt.Errorf("video: %w", err)
	}
	vs, err := p.Videos()
	if err != nil {
		return annotate.Video{}, err
	}
	for _, v := range vs {
		if v.Fingerprint == fp && v.Size == size {
			return v, nil
		}
	}
	return annotate.Video{}, fmt.Errorf("%s is not a video of %s (add it first with dyadcode add-video)", path, p.Path())
}
