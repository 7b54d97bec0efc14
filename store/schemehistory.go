package store

import (
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// A scheme change is undoable: ChangeScheme keeps the scheme it replaces
// in the meta bucket (a key of its own, so the file format's version does
// not change: an older dyadcode ignores the key), newest last, and
// UndoSchemeChange puts it back. Both go through annotate.SchemeBreaks, so
// neither a change nor its undo can leave coded data the scheme no longer
// describes.

// keySchemeHistory holds the JSON array of replaced schemes, oldest first.
var keySchemeHistory = []byte("scheme-history")

// schemeHistoryMax bounds the history: an undo list, not an archive.
const schemeHistoryMax = 20

// ErrNoSchemeHistory: there is no scheme change to undo.
var ErrNoSchemeHistory = errors.New("no scheme change to undo")

// SchemeBreaks lists what replacing the project's scheme by s would break
// in its observations (annotate.SchemeBreaks over all of them): what a
// scheme editor shows before saving.
func (p *Project) SchemeBreaks(s *annotate.Scheme) ([]annotate.SchemeBreak, error) {
	infos, err := p.Observations()
	if err != nil {
		return nil, err
	}
	obs := make([]*annotate.Observation, 0, len(infos))
	for _, in := range infos {
		o, err := p.Observation(in.ID)
		if err != nil {
			return nil, err
		}
		obs = append(obs, o)
	}
	return annotate.SchemeBreaks(p.Scheme(), s, obs), nil
}

// ChangeScheme replaces the coding scheme, keeping the old one for
// UndoSchemeChange, in one transaction. It refuses (wrapping
// annotate.ErrSchemeBreaks and returning the list) a scheme under which
// stored coding would break.
func (p *Project) ChangeScheme(s *annotate.Scheme) ([]annotate.SchemeBreak, error) {
	if s == nil {
		return nil, errors.New("change scheme: nil scheme")
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("change scheme of %s: %w", p.path, err)
	}
	breaks, err := p.SchemeBreaks(s)
	if err != nil {
		return nil, fmt.Errorf("change scheme of %s: %w", p.path, err)
	}
	if len(breaks) > 0 {
		return breaks, fmt.Errorf("change scheme of %s: %w", p.path, annotate.BreaksError(breaks))
	}
	err = p.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		hist, err := readSchemeHistory(meta)
		if err != nil {
			return err
		}
		hist = append(hist, json.RawMessage(clone(meta.Get(keyScheme))))
		if len(hist) > schemeHistoryMax {
			hist = hist[len(hist)-schemeHistoryMax:]
		}
		return putScheme(meta, s, hist)
	})
	if err != nil {
		return nil, fmt.Errorf("change scheme of %s: %w", p.path, err)
	}
	p.setSchemeCache(s)
	return nil, nil
}

// CanUndoSchemeChange reports whether a replaced scheme is kept.
func (p *Project) CanUndoSchemeChange() bool {
	n := 0
	_ = p.view(func(tx *bolt.Tx) error {
		hist, err := readSchemeHistory(tx.Bucket(bucketMeta))
		n = len(hist)
		return err
	})
	return n > 0
}

// UndoSchemeChange puts back the scheme the last ChangeScheme replaced and
// returns it. What was coded since under the newer scheme is checked like
// any change: an undo that would break it is refused with the list.
func (p *Project) UndoSchemeChange() (*annotate.Scheme, []annotate.SchemeBreak, error) {
	var prev annotate.Scheme
	var hist []json.RawMessage
	if err := p.view(func(tx *bolt.Tx) error {
		var err error
		hist, err = readSchemeHistory(tx.Bucket(bucketMeta))
		if err != nil {
			return err
		}
		if len(hist) == 0 {
			return ErrNoSchemeHistory
		}
		return json.Unmarshal(hist[len(hist)-1], &prev)
	}); err != nil {
		return nil, nil, fmt.Errorf("undo scheme change in %s: %w", p.path, err)
	}
	breaks, err := p.SchemeBreaks(&prev)
	if err != nil {
		return nil, nil, fmt.Errorf("undo scheme change in %s: %w", p.path, err)
	}
	if len(breaks) > 0 {
		return nil, breaks, fmt.Errorf("undo scheme change in %s: %w", p.path, annotate.BreaksError(breaks))
	}
	err = p.update(func(tx *bolt.Tx) error {
		return putScheme(tx.Bucket(bucketMeta), &prev, hist[:len(hist)-1])
	})
	if err != nil {
		return nil, nil, fmt.Errorf("undo scheme change in %s: %w", p.path, err)
	}
	p.setSchemeCache(&prev)
	return prev.Clone(), nil, nil
}

func readSchemeHistory(meta *bolt.Bucket) ([]json.RawMessage, error) {
	data := meta.Get(keySchemeHistory)
	if data == nil {
		return nil, nil
	}
	var hist []json.RawMessage
	if err := json.Unmarshal(data, &hist); err != nil {
		return nil, fmt.Errorf("the scheme history is damaged: %w", err)
	}
	return hist, nil
}

func putScheme(meta *bolt.Bucket, s *annotate.Scheme, hist []json.RawMessage) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	hdata, err := json.Marshal(hist)
	if err != nil {
		return err
	}
	if err := meta.Put(keyScheme, data); err != nil {
		return err
	}
	return meta.Put(keySchemeHistory, hdata)
}

func (p *Project) setSchemeCache(s *annotate.Scheme) {
	p.mu.Lock()
	p.scheme = s.Clone()
	p.mu.Unlock()
}
