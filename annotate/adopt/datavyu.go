package adopt

import "fmt"

func fromDatavyu(name string, data []byte) (*Result, error) { return nil, errNotYet(name) }

func errNotYet(name string) error { return fmt.Errorf("%s: %w: not yet", name, ErrFormat) }
