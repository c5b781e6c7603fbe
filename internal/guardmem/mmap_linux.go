//go:build linux

package guardmem

import (
	"fmt"

	"golang.org/x/sys/unix"
)

const supported = true

// mapGuarded maps dataBytes (rounded up to whole pages, at least one) of
// read-write memory and one PROT_NONE page after or before it.
func mapGuarded(dataBytes int, side Side) (*mapping, error) {
	page := unix.Getpagesize()
	dataLen := max(page, (dataBytes+page-1)/page*page)
	mem, err := unix.Mmap(-1, 0, dataLen+page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("guardmem: mmap of %d bytes: %w", dataLen+page, err)
	}
	m := &mapping{mem: mem, side: side, dataLen: dataLen, pageLen: page}
	if side == After {
		m.guardOff = dataLen
	} else {
		m.dataOff = page
	}
	if err := unix.Mprotect(mem[m.guardOff:m.guardOff+page], unix.PROT_NONE); err != nil {
		_ = unix.Munmap(mem)
		return nil, fmt.Errorf("guardmem: mprotect of the guard page: %w", err)
	}
	return m, nil
}

func (m *mapping) unmap() error {
	if err := unix.Munmap(m.mem); err != nil {
		return fmt.Errorf("munmap: %w", err)
	}
	return nil
}
