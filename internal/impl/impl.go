// Package impl is a registry of the alternative implementations of simdnn's
// kernels, modelled on the Go standard library's crypto/internal/impl.
//
// A package with assembly registers each accelerated implementation with a
// pointer to the boolean that enables it. Tests and benchmarks select one
// implementation at a time (or none: the pure-Go fallback) so that every path
// available on the machine runs in every `go test`, and so that users can
// compare the paths through the exported kernels API.
package impl

import (
	"fmt"
	"strings"
)

// An Implementation is one accelerated code path of a package.
type Implementation struct {
	Package   string // the package that owns the path, e.g. "kernels"
	Name      string // a short name, e.g. "avx2"
	Available bool   // whether the CPU can run it

	toggle *bool
}

// Generic names the pure-Go fallback every package has.
const Generic = "go"

var registry []Implementation

// Register records that pkg has an implementation called name, enabled while
// *available is true. It must be called from an init function, before any
// Select, with *available set to whether the CPU supports the path.
func Register(pkg, name string, available *bool) {
	if strings.ToLower(name) != name {
		panic(fmt.Sprintf("impl: implementation name %q must be lower case", name))
	}
	registry = append(registry, Implementation{
		Package:   pkg,
		Name:      name,
		Available: *available,
		toggle:    available,
	})
}

// List returns the implementations registered for pkg, available or not.
func List(pkg string) []Implementation {
	var out []Implementation
	for _, i := range registry {
		if i.Package == pkg {
			out = append(out, i)
		}
	}
	return out
}

// Names returns the names of the implementations of pkg this CPU can run,
// in registration order, followed by Generic.
func Names(pkg string) []string {
	var names []string
	for _, i := range List(pkg) {
		if i.Available {
			names = append(names, i.Name)
		}
	}
	return append(names, Generic)
}

// Select enables the implementation name of pkg and disables the others;
// Generic disables all of them, leaving the pure-Go fallback. It reports
// whether the request could be honoured: an implementation the CPU lacks is
// never enabled. Select is not safe to call while pkg's functions run.
func Select(pkg, name string) bool {
	found := name == Generic
	for _, i := range registry {
		if i.Package != pkg {
			continue
		}
		on := i.Name == name && i.Available
		*i.toggle = on
		found = found || on
	}
	return found
}

// Selected returns the name of the enabled implementation of pkg, or Generic
// when the pure-Go fallback runs.
func Selected(pkg string) string {
	for _, i := range registry {
		if i.Package == pkg && *i.toggle {
			return i.Name
		}
	}
	return Generic
}

// Reset restores the default choice for pkg: the first available
// implementation in registration order, or the pure-Go fallback.
func Reset(pkg string) {
	for _, i := range List(pkg) {
		if i.Available {
			Select(pkg, i.Name)
			return
		}
	}
	Select(pkg, Generic)
}
