package adopt

import "fmt"

func fromObserver(name string, data []byte) (*Result, error) {
	return nil, fmt.Errorf("%s: %w: not yet", name, ErrFormat)
}
