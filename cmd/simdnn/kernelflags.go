package main

import (
	"flag"
	"strings"

	"github.com/simdnn/simdnn/kernels"
)

// kernelFlags are the flags every command has for the kernels it runs on.
type kernelFlags struct {
	impl    string
	workers int
}

// register adds -kernels and -workers to fs.
func (k *kernelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.impl, "kernels", "auto", "kernel implementation: auto, "+strings.Join(kernels.Implementations(), ", "))
	fs.IntVar(&k.workers, "workers", 0, "goroutines a large matrix product runs on (0: one per CPU the Go runtime uses); the results are the same bits for any number")
}

// apply selects the implementation and the number of workers.
func (k *kernelFlags) apply() error {
	impl := k.impl
	if impl == "auto" {
		impl = ""
	}
	if err := kernels.UseImplementation(impl); err != nil {
		return badInput("-kernels: %v", err)
	}
	if k.workers < 0 {
		return badInput("-workers %d: want 0 (one per CPU) or more", k.workers)
	}
	kernels.SetWorkers(k.workers)
	return nil
}
