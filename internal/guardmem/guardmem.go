// Package guardmem is a test helper that places float32 and float64 slices
// flush against an inaccessible guard page, so that a kernel that reads or
// writes even one element past the end of a slice (or, on the other side,
// one element before its start) faults instead of quietly touching a
// neighbour's memory.
//
// A Buffer is one mapping made with mmap: the accessible pages, rounded up
// from the capacity asked for, and one page with no access rights (PROT_NONE)
// immediately after them (side After) or immediately before them (side
// Before). Slice(n) returns the n elements that touch the guard: the last n
// of the accessible region for After, so that element n is the guard's first
// byte, or the first n for Before, so that element −1 is the guard's last
// bytes. Because the start of an After slice moves with n, a sweep over n
// also sweeps every alignment of the start.
//
// A fault in Go or assembly code crashes the program with "unexpected fault
// address", which fails the test binary: that is the point. Catch turns such
// a fault into an error instead, naming the buffer whose guard was hit
// (Describe), so that a test can report which argument of which call ran
// over, and go on:
//
//	b := guardmem.New[float32](t, "x", 256, guardmem.After)
//	for n := range 257 {
//		x := b.Slice(n) // x[n-1] ends where the guard page begins
//		fill(x)
//		if err := guardmem.Catch(func() { kernels.Srelu(x, x) }); err != nil {
//			t.Errorf("n = %d: %v", n, err)
//		}
//	}
//
// Guard pages need mmap and mprotect: New and Make work on Linux (every
// GOARCH) and, elsewhere, skip the test with a message; Supported says which.
// The memory is outside the Go heap: the garbage collector neither scans nor
// moves it, and the race detector does not instrument it. Tests in any
// package of the module may import guardmem.
package guardmem

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// Float is the set of element types a Buffer holds: the kernels'.
type Float = kernels.Float

// Side says where a Buffer's guard page lies.
type Side int

const (
	// After puts the guard page immediately after the last element: reading
	// or writing s[len(s)] faults.
	After Side = iota
	// Before puts the guard page immediately before the first element:
	// reading or writing the element before s[0] faults.
	Before
)

// Sides lists both sides, for tests that run once per side.
var Sides = []Side{After, Before}

// String returns "after" or "before".
func (s Side) String() string {
	switch s {
	case After:
		return "after"
	case Before:
		return "before"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// ErrUnsupported is returned (and reported by New and Make when they skip)
// on platforms without guard pages.
var ErrUnsupported = errors.New("guardmem: guard pages need mmap and mprotect, which this helper supports on Linux only (GOOS=" + runtime.GOOS + ")")

// EmulatedEnv names the environment variable that `make test-emulated` sets
// when it runs the tests under QEMU's user-mode emulation, where New and Make
// skip: QEMU 7.2 faults on a masked AVX2 load or store (VMASKMOVPS/PD) whose
// masked-off lanes lie on a guard page, which no CPU does.
const EmulatedEnv = "SIMDNN_EMULATED"

// Supported reports whether New can allocate guarded buffers on this
// platform. Where it cannot, New and Make skip the test.
func Supported() bool { return supported }

// A Buffer holds up to Cap elements of T with a guard page on one side. It
// is not safe for concurrent use by goroutines that call Slice or Free; the
// memory it hands out may be used like any other slice.
type Buffer[T Float] struct {
	name string
	side Side
	m    *mapping
	data []T // every accessible element: the guard touches one end
}

// New maps a Buffer named name (the name Describe and Catch report) that
// can hold capacity elements of T, with its guard page on side. The Buffer
// is freed when tb's test ends (tb.Cleanup). New skips tb where Supported is
// false or EmulatedEnv is set, and fails it if the mapping cannot be made.
func New[T Float](tb testing.TB, name string, capacity int, side Side) *Buffer[T] {
	tb.Helper()
	if os.Getenv(EmulatedEnv) != "" {
		tb.Skipf("guardmem: %s is set: QEMU 7.2 faults on masked-off lanes of a VMASKMOV against a guard page, which CPUs do not", EmulatedEnv)
	}
	b, err := NewBuffer[T](name, capacity, side)
	if errors.Is(err, ErrUnsupported) {
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Free)
	return b
}

// Make returns n elements of T flush against a fresh guard page on side:
// New(tb, name, n, side).Slice(n). Each call makes a mapping (two virtual
// memory areas), held until the test ends; Linux allows about 65000 areas
// per process, so a sweep over many sizes should reuse a Buffer instead.
func Make[T Float](tb testing.TB, name string, n int, side Side) []T {
	tb.Helper()
	return New[T](tb, name, n, side).Slice(n)
}

// NewBuffer is New without a testing.TB: the caller must call Free. It
// returns ErrUnsupported where Supported is false.
func NewBuffer[T Float](name string, capacity int, side Side) (*Buffer[T], error) {
	if side != After && side != Before {
		return nil, fmt.Errorf("guardmem: %v is not a side", side)
	}
	if capacity < 0 {
		return nil, fmt.Errorf("guardmem: capacity %d < 0", capacity)
	}
	size := int(unsafe.Sizeof(T(0)))
	m, err := mapGuarded(capacity*size, side)
	if err != nil {
		return nil, err
	}
	b := &Buffer[T]{name: name, side: side, m: m}
	b.data = unsafe.Slice((*T)(unsafe.Pointer(&m.mem[m.dataOff])), m.dataLen/size)
	register(b.name, m)
	return b, nil
}

// Slice returns the n elements of the buffer that touch its guard page, with
// len and cap n: the last n accessible elements for After, the first n for
// Before. For n = 0 and After the empty slice points at the guard page
// itself, so that a kernel that reads its first element faults. Successive
// calls return overlapping memory and leave its contents as they were: the
// caller fills what it needs. Slice panics unless 0 ≤ n ≤ Cap.
func (b *Buffer[T]) Slice(n int) []T {
	if n < 0 || n > len(b.data) {
		panic(fmt.Sprintf("guardmem: %s: Slice(%d) out of range [0, %d]", b.name, n, len(b.data)))
	}
	if b.side == Before {
		return b.data[:n:n]
	}
	// Not b.data[len-n:]: for n = 0 the compiler keeps an empty slice's
	// pointer at the base of the array rather than one past its end.
	size := int(unsafe.Sizeof(T(0)))
	end := unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.data)), len(b.data)*size)
	return unsafe.Slice((*T)(unsafe.Add(end, -n*size)), n)
}

// Cap returns the largest n Slice accepts: the capacity asked for, rounded
// up to whole pages.
func (b *Buffer[T]) Cap() int { return len(b.data) }

// Side returns the side of the guard page.
func (b *Buffer[T]) Side() Side { return b.side }

// Name returns the name given to New.
func (b *Buffer[T]) Name() string { return b.name }

// Free unmaps the buffer; no slice it returned may be used afterwards. It
// may be called more than once.
func (b *Buffer[T]) Free() {
	if b.m == nil {
		return
	}
	unregister(b.m)
	if err := b.m.unmap(); err != nil {
		panic(fmt.Sprintf("guardmem: %s: %v", b.name, err))
	}
	b.m, b.data = nil, nil
}

// A mapping is one mmap'd region: the accessible bytes
// mem[dataOff:dataOff+dataLen] and the guard page
// mem[guardOff:guardOff+pageSize].
type mapping struct {
	mem               []byte // the whole region as returned by mmap
	side              Side
	dataOff, dataLen  int
	guardOff, pageLen int
}

// guardAddr returns the address of the first byte of the guard page.
func (m *mapping) guardAddr() uintptr {
	return uintptr(unsafe.Pointer(unsafe.SliceData(m.mem))) + uintptr(m.guardOff)
}

// live holds the mappings not yet freed, for Describe.
var live struct {
	sync.Mutex
	names map[*mapping]string
}

func register(name string, m *mapping) {
	live.Lock()
	defer live.Unlock()
	if live.names == nil {
		live.names = make(map[*mapping]string)
	}
	live.names[m] = name
}

func unregister(m *mapping) {
	live.Lock()
	defer live.Unlock()
	delete(live.names, m)
}

// Describe says where addr lies relative to the live buffers' guard pages,
// e.g. `byte 0 of the guard page after "y"` or `4 bytes before the end of
// the guard page before "a"`, or returns "" when addr is in none of them.
func Describe(addr uintptr) string {
	live.Lock()
	defer live.Unlock()
	for m, name := range live.names {
		g := m.guardAddr()
		if addr < g || addr-g >= uintptr(m.pageLen) {
			continue
		}
		off := addr - g
		if m.side == After {
			return fmt.Sprintf("byte %d of the guard page after %q", off, name)
		}
		return fmt.Sprintf("%d bytes before the end of the guard page before %q", uintptr(m.pageLen)-off, name)
	}
	return ""
}

// A FaultError is a memory fault that Catch recovered from.
type FaultError struct {
	Addr  uintptr // the faulting address the CPU reported
	Where string  // Describe(Addr), or "" outside every guard page
	Err   error   // the runtime error the fault raised
}

func (e *FaultError) Error() string {
	where := e.Where
	if where == "" {
		where = "outside every guard page"
	}
	return fmt.Sprintf("memory fault at %#x (%s): %v", e.Addr, where, e.Err)
}

func (e *FaultError) Unwrap() error { return e.Err }

// Catch calls f with runtime/debug.SetPanicOnFault set for the calling
// goroutine, so that a fault at a non-nil address (a guard page's, typically)
// becomes a panic, and returns that fault as a *FaultError; it returns nil
// when f returns normally, and re-panics any other panic. After a fault the
// state of what f was writing is unspecified.
func Catch(f func()) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		r := recover()
		if r == nil {
			return
		}
		re, ok := r.(runtime.Error)
		if fa, ok2 := r.(interface{ Addr() uintptr }); ok && ok2 {
			err = &FaultError{Addr: fa.Addr(), Where: Describe(fa.Addr()), Err: re}
			return
		}
		panic(r)
	}()
	f()
	return nil
}
