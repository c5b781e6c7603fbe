package kernels

import (
	"sync"
	"unsafe"
)

// maxCallBytes bounds the memory traffic of one assembly call: the bytes it
// reads plus the bytes it writes, matrices and vectors together. Assembly is
// not preemptible: at DRAM bandwidth 2 MiB takes about 100 µs (measured:
// 100–110 µs per 4096² Sgemv block), so a garbage collection never waits much
// longer than that on a kernel. The wrappers cut every call into pieces
// within it, and report each piece to observeCall, where a test checks them.
const maxCallBytes = 2 << 20

// maxCallElems is maxCallBytes expressed in elements of T.
func maxCallElems[T Float]() int {
	return maxCallBytes / int(unsafe.Sizeof(T(0)))
}

// callObserver, when a test sets it, is told the traffic in bytes of every
// call the wrappers hand to a kernel, one call at a time (callObserverMu):
// the parts of a call run on several goroutines.
var (
	callObserver   func(bytes int)
	callObserverMu sync.Mutex
)

// observeCall reports a kernel call that moves elems elements of T (an
// element read and written counts twice).
func observeCall[T Float](elems int) {
	if callObserver != nil {
		callObserverMu.Lock()
		callObserver(elems * int(unsafe.Sizeof(T(0))))
		callObserverMu.Unlock()
	}
}

// spans calls f for the consecutive spans [lo, hi) that cut n elements into
// pieces of at most step elements.
func spans(n, step int, f func(lo, hi int)) {
	for lo := 0; lo < n; lo += step {
		f(lo, min(n, lo+step))
	}
}

// blocks calls f for the blocks [r0, r1)×[c0, c1) that tile an m×n matrix,
// column block by column block, so that each call moves at most
// maxCallBytes: a call moves streams elements per element of the block (1 to
// read A, 2 to update it in place, 3 to read W and update dW), perRow
// elements per row (of y in Gemv, say) and perCol per column. Rows are cut
// first, at multiples of rowUnit where a call holds that many; columns only
// when one row alone is too long.
func blocks[T Float](m, n, streams, perRow, perCol, rowUnit int, f func(r0, r1, c0, c1 int)) {
	budget := maxCallElems[T]()
	cols, rows := n, 1
	if rowCost := streams*n + perRow + perCol*n; rowCost <= budget {
		rows = max(1, (budget-perCol*n)/(streams*n+perRow))
		if rows >= rowUnit {
			rows -= rows % rowUnit
		}
	} else {
		cols = (budget - perRow) / (streams + perCol)
	}
	for c0 := 0; c0 < n; c0 += cols {
		c1 := min(n, c0+cols)
		for r0 := 0; r0 < m; r0 += rows {
			f(r0, min(m, r0+rows), c0, c1)
		}
	}
}
