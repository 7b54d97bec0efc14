package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// Format 5: every observation is a session. Its bucket holds
//
//	"views" -> JSON [{"video":"v1","offset_s":0}, {"video":"v3","offset_s":-1.25}, ...]
//
// the primary video first (offset 0, the time base), then the further
// views in layout order (annotate.View). An observation written before
// format 5 is a session of one view; migrate4to5 writes that list.

var keyViews = []byte("views")

// readViews returns the further views of an observation (not the primary).
// A missing key is a session of one view.
func readViews(ob *bolt.Bucket, id string) ([]annotate.View, error) {
	data := ob.Get(keyViews)
	if data == nil {
		return nil, nil
	}
	var all []annotate.View
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, errorf(ErrNotProject, "observation %s: stored views are damaged: %v", id, err)
	}
	if len(all) <= 1 {
		return nil, nil
	}
	return all[1:], nil
}

// writeViews stores an observation's session.
func writeViews(ob *bolt.Bucket, primary string, views []annotate.View) error {
	all := append([]annotate.View{{Video: primary}}, views...)
	data, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return ob.Put(keyViews, data)
}

// applyViewChange writes a change's session part, checking first (like
// applyChange) that the views it removes are stored as described.
func applyViewChange(ob *bolt.Bucket, info *obsInfo, ch annotate.Change) error {
	if len(ch.ViewsBefore)+len(ch.ViewsAfter) == 0 {
		return nil
	}
	views, err := readViews(ob, info.ID)
	if err != nil {
		return err
	}
	for _, v := range ch.ViewsBefore {
		if !slices.Contains(views, v) {
			return fmt.Errorf("%s: view of %s at %s: %w", ch.Label, v.Video, v.Offset.Seconds(), annotate.ErrNoView)
		}
	}
	o := &annotate.Observation{Video: info.Video, Views: views}
	if err := ch.Apply(o); err != nil {
		return err
	}
	return writeViews(ob, info.Video, o.Views)
}

// migrate4to5 makes every observation a session of one view: its video,
// the time base, at offset 0.
func migrate4to5(tx *bolt.Tx) error {
	obs := tx.Bucket(bucketObservations)
	var ids [][]byte
	if err := obs.ForEachBucket(func(k []byte) error { ids = append(ids, clone(k)); return nil }); err != nil {
		return err
	}
	for _, id := range ids {
		ob := obs.Bucket(id)
		num := binary.BigEndian.Uint64(id)
		info, err := readInfo(ob, fmt.Sprint(num))
		if err != nil {
			return err
		}
		if ob.Get(keyViews) != nil {
			continue // already a session
		}
		if err := writeViews(ob, info.Video, nil); err != nil {
			return fmt.Errorf("observation %d: %w", num, err)
		}
	}
	return nil
}

// checkViews is Check's part for sessions: the list decodes, starts with
// the observation's own video at offset 0, names project videos only and
// obeys the session invariant (annotate).
func checkViews(tx *bolt.Tx) []error {
	var errs []error
	videos := tx.Bucket(bucketVideos)
	obs := tx.Bucket(bucketObservations)
	if obs == nil || videos == nil {
		return nil
	}
	obs.ForEachBucket(func(k []byte) error {
		ob := obs.Bucket(k)
		id := fmt.Sprint(binary.BigEndian.Uint64(k))
		info, err := readInfo(ob, id)
		if err != nil {
			return nil // checkLayout reports it
		}
		data := ob.Get(keyViews)
		if data == nil {
			return nil // a session of one view (readViews)
		}
		var all []annotate.View
		if err := json.Unmarshal(data, &all); err != nil {
			errs = append(errs, fmt.Errorf("observation %s: views: %v", id, err))
			return nil
		}
		if len(all) == 0 || all[0] != (annotate.View{Video: info.Video}) {
			errs = append(errs, fmt.Errorf("observation %s: views do not start with its video %s at offset 0", id, info.Video))
			return nil
		}
		for _, v := range all[1:] {
			if vk, err := videoKey(v.Video); err != nil || videos.Get(vk) == nil {
				errs = append(errs, fmt.Errorf("observation %s: view of %s, not a project video", id, v.Video))
			}
		}
		o := annotate.Observation{Video: info.Video, Views: all[1:]}
		if err := o.ValidateSession(); err != nil {
			errs = append(errs, fmt.Errorf("observation %s: %w", id, err))
		}
		return nil
	})
	return errs
}

// putSession checks and stores a whole session: the views name project
// videos and obey annotate's session invariant.
func putSession(tx *bolt.Tx, ob *bolt.Bucket, primary string, views []annotate.View) error {
	o := annotate.Observation{Video: primary, Views: views}
	if err := o.ValidateSession(); err != nil {
		return err
	}
	for _, v := range views {
		if tx.Bucket(bucketVideos).Get(mustVideoKey(v.Video)) == nil {
			return errorf(ErrNotFound, "view of video %s: no such video in the project", v.Video)
		}
	}
	return writeViews(ob, primary, views)
}

// Sessions returns every observation's further views by observation ID,
// for lists (observations, probe) that should not load events.
func (p *Project) Sessions() (map[string][]annotate.View, error) {
	out := map[string][]annotate.View{}
	err := p.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketObservations)
		return all.ForEachBucket(func(k []byte) error {
			id := fmt.Sprint(binary.BigEndian.Uint64(k))
			views, err := readViews(all.Bucket(k), id)
			if err != nil {
				return err
			}
			out[id] = views
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sessions of %s: %w", p.path, err)
	}
	return out, nil
}

// SetViews replaces an observation's further views without history: for
// importing and merging a whole session. Coding edits go through
// annotate.Editor (AddView, NudgeView, ...) so they can be undone.
func (p *Project) SetViews(obsID string, views []annotate.View) error {
	err := p.update(func(tx *bolt.Tx) error {
		ob, info, err := obsBucketInfo(tx, obsID)
		if err != nil {
			return err
		}
		return putSession(tx, ob, info.Video, views)
	})
	if err != nil {
		return fmt.Errorf("set the views of observation %s in %s: %w", obsID, p.path, err)
	}
	return nil
}

// readMergeViews reads a source observation's views for Merge, naming
// each view's video by its fingerprint: the target may number the same
// recording differently.
func readMergeViews(ob *bolt.Bucket, o *srcObs, videos map[string]annotate.Video) error {
	views, err := readViews(ob, o.info.ID)
	if err != nil {
		return err
	}
	for i, v := range views {
		vid, ok := videos[v.Video]
		if !ok {
			return fmt.Errorf("view of %s, not a video of the project", v.Video)
		}
		views[i].Video = vid.Fingerprint
	}
	o.obs.Views = views
	return nil
}

// writeViews stores a merged observation's session under the target's
// video IDs (merge adds every source video first).
func (m *merger) writeViews(ob *bolt.Bucket, primary string, o *srcObs) error {
	views := make([]annotate.View, 0, len(o.obs.Views))
	for _, v := range o.obs.Views {
		id, ok := m.videos[v.Video]
		if !ok {
			return fmt.Errorf("observation %s: view video with fingerprint %s not merged", o.info.ID, v.Video)
		}
		views = append(views, annotate.View{Video: id, Offset: v.Offset})
	}
	return writeViews(ob, primary, views)
}
