package guardmem_test

import (
	"errors"
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/guardmem"
)

// sink keeps the loads of the tests from being optimised away.
var sink float64

// load reads the float32 at byte offset off from &s[0] (or from where s's
// pointer is, for an empty s), as a kernel that ran over would.
func load(s []float32, off int) float32 {
	return *(*float32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off))
}

// store writes v there.
func store(s []float32, off int, v float32) {
	*(*float32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off)) = v
}

func TestSliceIsFlushAgainstTheGuard(t *testing.T) {
	for _, side := range guardmem.Sides {
		t.Run(side.String(), func(t *testing.T) {
			b := guardmem.New[float32](t, "x", 1500, side)
			require.GreaterOrEqual(t, b.Cap(), 1500)
			require.Equal(t, side, b.Side())
			require.Equal(t, "x", b.Name())
			for _, n := range []int{0, 1, 7, 8, 9, 1023, 1024, 1025, 1500, b.Cap()} {
				s := b.Slice(n)
				require.Len(t, s, n)
				require.Equal(t, n, cap(s))
				for i := range s { // every element is readable and writable
					s[i] = float32(i)
				}
				for i := range s {
					require.Equal(t, float32(i), s[i])
				}
				// One element past the end (After) or before the start
				// (Before) faults, for reads and for writes.
				off := 4 * n
				if side == guardmem.Before {
					off = -4
				}
				for _, access := range []func(){
					func() { sink = float64(load(s, off)) },
					func() { store(s, off, 1) },
				} {
					err := guardmem.Catch(access)
					var fe *guardmem.FaultError
					require.True(t, errors.As(err, &fe), "n = %d: access at byte %d did not fault: %v", n, off, err)
					assert.Contains(t, fe.Where, `guard page `+side.String()+` "x"`)
					assert.Contains(t, err.Error(), "memory fault at")
				}
				// The other end is ordinary memory.
				if side == guardmem.After && n < b.Cap() {
					require.NoError(t, guardmem.Catch(func() { sink = float64(load(s, -4)) }))
				}
			}
		})
	}
}

func TestMake(t *testing.T) {
	s := guardmem.Make[float64](t, "y", 3, guardmem.After)
	require.Len(t, s, 3)
	s[2] = 1
	err := guardmem.Catch(func() {
		sink = *(*float64)(unsafe.Add(unsafe.Pointer(&s[2]), 8))
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `byte 0 of the guard page after "y"`)
}

func TestDescribe(t *testing.T) {
	b := guardmem.New[float64](t, "a", 10, guardmem.Before)
	s := b.Slice(10)
	addr := uintptr(unsafe.Pointer(&s[0]))
	assert.Equal(t, `8 bytes before the end of the guard page before "a"`, guardmem.Describe(addr-8))
	assert.Equal(t, "", guardmem.Describe(addr))
	b.Free()
	b.Free() // idempotent
	assert.Equal(t, "", guardmem.Describe(addr-8), "a freed buffer is forgotten")
}

func TestCatchPassesOtherPanicsOn(t *testing.T) {
	require.NoError(t, guardmem.Catch(func() {}))
	require.PanicsWithValue(t, "boom", func() { _ = guardmem.Catch(func() { panic("boom") }) })
	require.Panics(t, func() {
		_ = guardmem.Catch(func() {
			var s []int
			_ = s[len(s)-1+1] // an index error is a runtime.Error without an address
		})
	})
}

func TestBadArguments(t *testing.T) {
	_, err := guardmem.NewBuffer[float32]("x", -1, guardmem.After)
	require.Error(t, err)
	_, err = guardmem.NewBuffer[float32]("x", 1, guardmem.Side(7))
	require.Error(t, err)
	b := guardmem.New[float32](t, "x", 4, guardmem.After)
	require.PanicsWithValue(t, fmt.Sprintf("guardmem: x: Slice(%d) out of range [0, %d]", b.Cap()+1, b.Cap()),
		func() { b.Slice(b.Cap() + 1) })
	require.Panics(t, func() { b.Slice(-1) })
}
