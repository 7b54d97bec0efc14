package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The cache: derived data that is slow to rebuild (a frame index, a
// waveform) kept in the project, keyed by content, and never needed for
// correctness.

// PutCache stores derived data (a frame index, a waveform) under key,
// usually a video fingerprint plus a kind. It can always be rebuilt, but
// rebuilding a 2-hour index takes a while.
func (p *Project) PutCache(key string, data []byte) error {
	if key == "" {
		return errors.New("cache: empty key")
	}
	err := p.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketCache).Put([]byte(key), data) })
	if err != nil {
		return fmt.Errorf("cache %s in %s: %w", key, p.path, err)
	}
	return nil
}

// Cache returns what PutCache stored under key, or ErrNotFound.
func (p *Project) Cache(key string) ([]byte, error) {
	var out []byte
	err := p.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCache).Get([]byte(key))
		if v == nil {
			return errorf(ErrNotFound, "cache %s: not found", key)
		}
		out = clone(v)
		return nil
	})
	return out, err
}
