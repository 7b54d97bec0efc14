package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Coders: the names of the people who code, kept so the window can offer
// them and an observation records who coded it.

// AddCoder adds a coder name; adding a known name is not an error.
func (p *Project) AddCoder(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("add coder: empty name")
	}
	err := p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCoders)
		if b.Get([]byte(name)) != nil {
			return nil
		}
		return b.Put([]byte(name), coderValue(time.Now()))
	})
	if err != nil {
		return fmt.Errorf("add coder %q to %s: %w", name, p.path, err)
	}
	return nil
}
