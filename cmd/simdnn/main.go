// Command simdnn trains, evaluates and uses multilayer perceptrons on CSV
// data with simdnn's kernels.
//
//	simdnn train [flags]      train a network (by default on the built-in digits data)
//	simdnn evaluate [flags]   report a saved model's accuracy on labelled data
//	simdnn predict [flags]    classify the rows of a CSV file with a saved model
//
// Run a subcommand with -h for its flags. Bad input (a missing file, a
// malformed CSV, a model file from something else) ends the command with a
// one-line message and exit status 2.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: simdnn <command> [flags]

commands:
  train      train a network (by default on the built-in digits data) and save it
  evaluate   report a saved model's accuracy on labelled data
  predict    classify the rows of a CSV file with a saved model

Run "simdnn <command> -h" for the flags of a command.
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
	default:
		fmt.Fprintf(stderr, "simdnn: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var input inputError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0 // -h: the flag package has printed the usage
	case errors.Is(err, errUsage):
		return 2 // the flag package has printed the problem and the usage
	case errors.As(err, &input):
		fmt.Fprintf(stderr, "simdnn: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "simdnn: %v\n", err)
		return 1
	}
}

// errUsage reports a flag error the flag package has already printed.
var errUsage = errors.New("usage")

// flagError turns a FlagSet.Parse error, which the flag package has already
// printed with the usage, into flag.ErrHelp for -h and errUsage otherwise.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return flag.ErrHelp
	}
	return errUsage
}
