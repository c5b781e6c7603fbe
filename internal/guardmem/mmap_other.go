//go:build !linux

package guardmem

const supported = false

func mapGuarded(dataBytes int, side Side) (*mapping, error) { return nil, ErrUnsupported }

func (m *mapping) unmap() error { return nil }
