// Command simdnn trains, evaluates and uses multilayer perceptrons on CSV
// data with simdnn's kernels.
//
//	simdnn train [flags]      train a classifier or a regression (by default on the built-in digits data)
//	simdnn evaluate [flags]   score a saved model on labelled data
//	simdnn predict [flags]    print a saved model's class or values for every row of a CSV file
//
// Run a subcommand with -h for its flags and examples. Bad input (a missing
// file, a malformed CSV, a model file from something else) ends the command
// with a one-line message and exit status 2.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: simdnn <command> [flags]

commands:
  train      train a classifier or a regression (by default on the built-in digits data) and save it
  evaluate   score a saved model on labelled data
  predict    print a saved model's class or values for every row of a CSV file

examples:
  simdnn train -out digits.safetensors
  simdnn evaluate -model digits.safetensors -data digits
  simdnn train -data my.csv -label y -val-fraction 0.1 -patience 5 -json > run.json
  simdnn predict -model model.safetensors -data new.csv -probs

Run "simdnn <command> -h" for the flags of a command, "simdnn -version" for
the version.
`

// run executes the command line args and returns the exit status: 0 on
// success, 2 on bad input or usage, 1 on any other failure.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "train":
		err = train(args[1:], stdout, stderr)
	case "evaluate":
		err = evaluate(args[1:], stdout, stderr)
	case "predict":
		err = predict(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "-version", "--version":
		fmt.Fprintln(stdout, version())
		return 0
	default:
		fmt.Fprintf(stderr, "simdnn: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var input inputError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2 // the flag package has printed the problem
	case errors.As(err, &input):
		fmt.Fprintf(stderr, "simdnn: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "simdnn: %v\n", err)
		return 1
	}
}

// version returns the module version and VCS revision the binary was built
// from, as the go command recorded them, and the Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "simdnn (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			v += " " + s.Value
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return "simdnn " + v + " " + bi.GoVersion
}

// errUsage reports a flag error the flag package has already printed.
var errUsage = errors.New("usage")

// newFlagSet returns the flag set of a subcommand. Its errors go to stderr
// with a pointer to -h; parseFlags prints the help itself.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("simdnn "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args. -h prints help (a synopsis and examples) and the
// flags to stdout, as every help a user asks for goes, and returns
// flag.ErrHelp; a bad flag returns errUsage once the flag package has said
// what is wrong. An argument that is not a flag is bad input.
func parseFlags(fs *flag.FlagSet, args []string, help string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, help)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return flag.ErrHelp
	}
	if err != nil {
		fmt.Fprintf(fs.Output(), "run \"%s -h\" for help\n", fs.Name())
		return errUsage
	}
	if fs.NArg() > 0 {
		return badInput("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// writeJSON writes v to w as indented JSON, the -json output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
