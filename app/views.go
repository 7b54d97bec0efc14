package app

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"dyadcode/annotate"
	"dyadcode/media"
	"dyadcode/media/avsync"
	"dyadcode/store"
)

// ErrLowConfidence: the sound match found for a new view is too weak to
// trust (avsync.LowConfidence); the offset must be given or marked.
var ErrLowConfidence = errors.New("the recordings share too little sound to trust the offset")

// ViewProposal is a view about to join a session: the project's record of
// its video and the offset found by sound (or given), shown to the coder
// before KeepView stores it.
type ViewProposal struct {
	Observation string
	Primary     annotate.Video
	Video       annotate.Video
	Offset      annotate.Time
	// Synced: the offset was found from the sound, with Confidence
	// (avsync's peak over the next best; Low when under 2.5).
	Synced     bool
	Confidence float64
	Low        bool
	// Added is what adding the file to the project did (new, known, moved).
	Added Added
}

// ProposeView adds the file at path to the project's videos (AddVideo's
// rules) and finds its offset for the observation's session: offset when
// given, else from the sound against the primary video (Sync). Nothing of
// the session changes yet; a low-confidence result is returned as such,
// for the front end to refuse or to let the coder mark a shared moment.
func ProposeView(p *store.Project, pr Prober, obsID, path string, offset *annotate.Time) (ViewProposal, error) {
	o, err := p.Observation(obsID)
	if err != nil {
		return ViewProposal{}, err
	}
	if len(o.Views)+1 >= annotate.MaxViews {
		return ViewProposal{}, fmt.Errorf("add view to observation %s: %w (it has %d)", obsID, annotate.ErrTooManyViews, len(o.Views)+1)
	}
	primary, err := p.Video(o.Video)
	if err != nil {
		return ViewProposal{}, err
	}
	added, err := AddVideo(p, pr, path)
	if err != nil {
		return ViewProposal{}, err
	}
	if _, ok := o.ViewOf(added.Video.ID); ok {
		return ViewProposal{}, fmt.Errorf("add view %s to observation %s: %w", path, obsID, annotate.ErrViewTwice)
	}
	prop := ViewProposal{Observation: obsID, Primary: primary, Video: added.Video, Added: added}
	if offset != nil {
		prop.Offset = *offset
		return prop, nil
	}
	r, err := Sync(PlayPath(primary), PlayPath(added.Video))
	if err != nil {
		// The video is in the project: the coder can still give the
		// offset (the window asks for it).
		return prop, fmt.Errorf("find the offset of %s from its sound: %w", path, err)
	}
	prop.Synced, prop.Confidence, prop.Low = true, r.Confidence, r.Low()
	prop.Offset = SecondsToTime(r.Offset)
	return prop, nil
}

// SecondsToTime rounds seconds to the nearest microsecond.
func SecondsToTime(s float64) annotate.Time { return annotate.Time(math.Round(s * 1e6)) }

// KeepView stores a proposed view in the session through the editor, as
// one undoable edit.
func KeepView(ed *annotate.Editor, prop ViewProposal) (annotate.Change, error) {
	return ed.AddView(prop.Video.ID, prop.Offset)
}

// AddView is `dyadcode add-view`: ProposeView, refusing a low-confidence
// sound match (ErrLowConfidence, with the proposal) unless the offset was
// given, then KeepView on the observation's journaled editor.
func AddView(p *store.Project, pr Prober, obsID, path string, offset *annotate.Time) (ViewProposal, error) {
	prop, err := ProposeView(p, pr, obsID, path, offset)
	if err != nil {
		return prop, err
	}
	if prop.Synced && prop.Low {
		return prop, fmt.Errorf("add view %s: best offset %+.3f s has confidence %.1f (under %.1f): %w; give it with --offset S or mark one shared moment in both views",
			path, prop.Offset.Float(), prop.Confidence, avsync.LowConfidence, ErrLowConfidence)
	}
	ed, err := p.Editor(obsID)
	if err != nil {
		return prop, err
	}
	if _, err := KeepView(ed, prop); err != nil {
		return prop, err
	}
	return prop, nil
}

// OffsetFromMoment is the offset that makes one shared moment (a clap, a
// door) coincide: the coder marks it at primaryAt in the primary view and
// at viewAt in the new one.
func OffsetFromMoment(primaryAt, viewAt annotate.Time) annotate.Time { return primaryAt - viewAt }

// NudgeStep is a nudge of frames of the view's own frames (its nominal
// rate; 40 ms when unknown) plus tens 10 ms steps. A positive step makes
// the view show what it recorded earlier at every session time.
func NudgeStep(v annotate.Video, frames, tens int) annotate.Time {
	frame := v.Rate.FrameDuration()
	if frame <= 0 {
		frame = 40 * annotate.Millisecond
	}
	return annotate.Time(frames)*frame + annotate.Time(tens)*10*annotate.Millisecond
}

// NudgeView moves a view's offset by NudgeStep, as an undoable edit.
func NudgeView(p *store.Project, ed *annotate.Editor, video string, frames, tens int) (annotate.Change, error) {
	v, err := p.Video(video)
	if err != nil {
		return annotate.Change{}, err
	}
	return ed.NudgeView(video, NudgeStep(v, frames, tens))
}

// SessionView is one view of a session with its video, for lists and
// exports.
type SessionView struct {
	annotate.View
	Video   annotate.Video
	Primary bool
}

// Session lists an observation's views, the primary first.
func Session(p *store.Project, o *annotate.Observation) ([]SessionView, error) {
	var out []SessionView
	for i, v := range o.Session() {
		vid, err := p.Video(v.Video)
		if err != nil {
			return nil, fmt.Errorf("observation %s: view %d: %w", o.ID, i+1, err)
		}
		out = append(out, SessionView{View: v, Video: vid, Primary: i == 0})
	}
	return out, nil
}

// OpenSession opens an observation's views for playing together, with
// their cached frame indexes (filled when missing).
func OpenSession(p *store.Project, views []SessionView) (*media.Session, error) {
	srcs := make([]media.ViewSource, len(views))
	fresh := make([]bool, len(views))
	for i, v := range views {
		srcs[i] = media.ViewSource{Path: PlayPath(v.Video), Offset: v.Offset}
		if data, err := p.Cache(IndexKey(v.Video)); err == nil {
			srcs[i].Index, _ = media.UnmarshalIndex(data)
		}
		fresh[i] = srcs[i].Index == nil
	}
	s, err := media.OpenSession(srcs, media.SessionOptions{})
	if err != nil {
		return nil, err
	}
	for i, v := range views {
		if fresh[i] && !p.ReadOnly() {
			_ = p.PutCache(IndexKey(v.Video), s.Index(i).Marshal()) // only costs a rescan
		}
	}
	return s, nil
}

// ViewsLine describes a session for the command line and the report:
// "v1 (main.mp4, primary) + v2 (side.mp4, +1.300 s)".
func ViewsLine(views []SessionView) string {
	s := ""
	for i, v := range views {
		if i > 0 {
			s += " + "
		}
		name := filepath.Base(v.Video.Path)
		if v.Primary {
			s += fmt.Sprintf("%s (%s, primary)", v.Video.ID, name)
		} else {
			s += fmt.Sprintf("%s (%s, %+.6f s)", v.Video.ID, name, v.Offset.Float())
		}
	}
	return s
}
