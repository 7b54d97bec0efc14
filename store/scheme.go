package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// The coding scheme: replacing it without orphaning what is coded.

// SetScheme replaces the coding scheme. It must validate, and may not make
// stored coding invalid: it refuses to drop a behaviour code, modifier,
// episode or rating scale that observations use, to turn a state used with
// durations into a point, or to move a used code to another subject. The
// error names each code and how many events (marks, ratings) use it.
func (p *Project) SetScheme(s *annotate.Scheme) error {
	if s == nil {
		return errors.New("set scheme: nil scheme")
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("set scheme of %s: %w", p.path, err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = p.update(func(tx *bolt.Tx) error {
		u, err := usage(tx)
		if err != nil {
			return err
		}
		var errs []error
		refuse := func(format string, a ...any) { errs = append(errs, errorf(ErrInUse, format, a...)) }
		for _, code := range sortedKeys(u.events) {
			b, ok := s.Behavior(code)
			if !ok {
				refuse("behavior %q is used by %d events; recode or delete them before removing it", code, u.events[code])
				continue
			}
			if n := u.durations[code]; b.Kind == annotate.Point && n > 0 {
				refuse("behavior %q cannot become a point: %d of its events have a duration or are still running", code, n)
			}
			for _, sub := range sortedKeys(u.subjects[code]) {
				if sub != "" && b.Subject != "" && sub != b.Subject {
					refuse("behavior %q cannot move to subject %q: %d events code it for %q", code, b.Subject, u.subjects[code][sub], sub)
				}
			}
			for _, m := range sortedKeys(u.modifiers[code]) {
				if !slices.Contains(b.Modifiers, m) {
					refuse("modifier %q of behavior %q is used by %d events; remove it from them first", m, code, u.modifiers[code][m])
				}
			}
		}
		for _, name := range sortedKeys(u.marks) {
			if _, ok := s.Episode(name); !ok {
				refuse("episode %q is marked %d times; remove the marks before removing it", name, u.marks[name])
			}
		}
		for _, scale := range sortedKeys(u.ratings) {
			if _, ok := s.Rating(scale); !ok {
				refuse("rating scale %q has %d ratings; clear them before removing it", scale, u.ratings[scale])
			}
		}
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
		return tx.Bucket(bucketMeta).Put(keyScheme, data)
	})
	if err != nil {
		return fmt.Errorf("set scheme of %s: %w", p.path, err)
	}
	p.mu.Lock()
	p.scheme = s.Clone()
	p.mu.Unlock()
	return nil
}

// schemeUsage is what stored observations use of a scheme.
type schemeUsage struct {
	events    map[string]int            // events per behaviour code
	durations map[string]int            // of those, with a duration or open
	subjects  map[string]map[string]int // code -> subject -> events
	modifiers map[string]map[string]int // code -> modifier -> events
	marks     map[string]int            // marks per episode name
	ratings   map[string]int            // ratings per scale
}

// usage counts what all observations use.
func usage(tx *bolt.Tx) (schemeUsage, error) {
	u := schemeUsage{events: map[string]int{}, durations: map[string]int{}, subjects: map[string]map[string]int{},
		modifiers: map[string]map[string]int{}, marks: map[string]int{}, ratings: map[string]int{}}
	inc := func(m map[string]map[string]int, a, b string) {
		if m[a] == nil {
			m[a] = map[string]int{}
		}
		m[a][b]++
	}
	all := tx.Bucket(bucketObservations)
	err := all.ForEachBucket(func(k []byte) error {
		ob := all.Bucket(k)
		obsID := binary.BigEndian.Uint64(k)
		if err := ob.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			e, err := decodeEvent(v)
			if err != nil {
				return errorf(ErrNotProject, "observation %d: event key %x is damaged: %v", obsID, k, err)
			}
			u.events[e.Behavior]++
			if e.Open || e.End != e.Start {
				u.durations[e.Behavior]++
			}
			inc(u.subjects, e.Behavior, e.Subject)
			for _, m := range e.Modifiers {
				inc(u.modifiers, e.Behavior, m)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := ob.Bucket(bucketRatings).ForEach(func(k, _ []byte) error {
			_, scale, _ := strings.Cut(string(k), "\x00")
			u.ratings[scale]++
			return nil
		}); err != nil {
			return err
		}
		return ob.Bucket(bucketEpisodes).ForEach(func(_, v []byte) error {
			u.marks[string(v)]++
			return nil
		})
	})
	return u, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
