package bench

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/bench/internal/roof"
	"github.com/simdnn/simdnn/internal/benchshape"
)

// BenchmarkRoofFMA measures the core's peak of independent fused
// multiply-adds on the registers of each instruction set the kernels have
// (impl=avx512: ZMM, impl=avx2: YMM), in GFLOP/s (2 flops per lane): the
// compute roof of every kernel of that implementation.
func BenchmarkRoofFMA(b *testing.B) {
	if !roof.Available {
		b.Skip("the roof probes need amd64 with AVX2 and FMA")
	}
	for _, p := range []struct {
		key string
		fma func(string) int
	}{{benchshape.TypeKey[float32](), roof.FMA32}, {benchshape.TypeKey[float64](), roof.FMA64}} {
		for _, isa := range roof.ISAs() {
			b.Run(p.key+"/impl="+isa, func(b *testing.B) {
				flops := 0
				for b.Loop() {
					flops = p.fma(isa)
				}
				reportGFLOPS(b, flops)
			})
		}
	}
}

// BenchmarkRoofRead measures the read bandwidth of each memory level in GB/s:
// loads of full registers of each instruction set (impl=avx512: 64 bytes,
// impl=avx2: 32) streaming through a buffer sized for that level (see
// roof.Caches.Levels), nothing computed. Times 0.5 flop/byte (f32) or 0.25
// (f64) it is the roof of a matrix-vector product whose matrix lives there.
func BenchmarkRoofRead(b *testing.B) {
	if !roof.Available {
		b.Skip("the roof probes need amd64 with AVX2 and FMA")
	}
	for _, l := range roof.DetectCaches().Levels() {
		buf := roof.Buffer(l.Bytes)
		for _, isa := range roof.ISAs() {
			b.Run(fmt.Sprintf("level=%s/size=%s/impl=%s", l.Name, sizeName(l.Bytes), isa), func(b *testing.B) {
				roof.Read(isa, buf) // into the level, if it fits
				b.SetBytes(int64(len(buf)))
				for b.Loop() {
					roof.Read(isa, buf)
				}
				b.ReportMetric(float64(len(buf))*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
}

// sizeName writes n bytes as KiB, MiB or GiB, e.g. 24KiB.
func sizeName(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}
