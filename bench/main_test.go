package bench

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/simdnn/simdnn/bench/internal/roof"
	"github.com/simdnn/simdnn/kernels"
)

// configLines returns lines "key: value" that describe the run, printed
// before the results when benchmarks run: benchstat and the report command
// read them as the configuration of every result that follows. Files with
// build tags append to it.
var configLines = []func() []string{func() []string {
	c := roof.DetectCaches()
	return []string{
		"simdnn-kernels: " + strings.Join(kernels.Implementations(), " "),
		fmt.Sprintf("cache-l1d: %d", c.L1d),
		fmt.Sprintf("cache-l2: %d", c.L2),
		fmt.Sprintf("cache-l3: %d", c.L3),
		fmt.Sprintf("cache-detected: %t", c.Detected),
	}
}}

// implFlag selects implementations by name: the report runs OpenBLAS alone
// in a second process with other kernels (see openblasName).
var implFlag = flag.String("impl", "", "run only the benchmarks of the implementations whose name matches this `regexp`")

// implSelected reports whether the -impl flag selects the implementation
// name.
func implSelected(name string) bool {
	if *implFlag == "" {
		return true
	}
	return implRegexp.MatchString(name)
}

var implRegexp *regexp.Regexp

func TestMain(m *testing.M) {
	flag.Parse()
	// One goroutine per call, as OpenBLAS and gonum run here, unless a
	// benchmark of threads says otherwise (threads_test.go).
	kernels.SetWorkers(1)
	var err error
	if implRegexp, err = regexp.Compile(*implFlag); err != nil {
		fmt.Fprintf(os.Stderr, "bench: -impl: %v\n", err)
		os.Exit(2)
	}
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		for _, lines := range configLines {
			for _, l := range lines() {
				fmt.Println(l)
			}
		}
	}
	os.Exit(m.Run())
}
