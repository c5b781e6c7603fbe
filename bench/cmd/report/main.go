// Command report runs simdnn's comparison benchmarks (the bench module's
// go test -bench) and writes what they found: a markdown report of GFLOP/s per
// kernel, shape and implementation with the ratios to OpenBLAS and gonum
// measured in the same run, the time per step of package nn's training steps
// on simdnn's assembly and pure Go, and a chart of Gemv and GemvT against
// matrix size with the machine's measured roofs.
//
// Run it from the bench directory:
//
//	go run ./cmd/report                  # run the suite 6 times, then report
//	go run ./cmd/report -count 6 -benchtime 500ms
//	go run ./cmd/report -in results/bench.txt   # report on an earlier run
//	go run ./cmd/report -tags ''         # without OpenBLAS (no cgo needed)
//
// By default it writes results/report.md, results/gemv.png, results/gemv.svg
// and the raw benchmark output results/bench.txt (which benchstat reads too).
//
// OpenBLAS picks its kernels for the CPU when it loads. Version 0.3.21 does
// not know every newer Intel model, and falls back to old SSE3 "Prescott"
// kernels on some (this project's Emerald Rapids test machine is one), which
// would make the comparison meaningless; the report therefore runs the
// benchmarks with OPENBLAS_CORETYPE=Haswell, OpenBLAS's AVX2/FMA kernels, the
// same instruction set as simdnn's assembly. -coretype SkylakeX selects its
// AVX-512 kernels instead, and -coretype ” lets OpenBLAS choose. The report
// names the kernels OpenBLAS used, as OpenBLAS itself reports them.
package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

func main() {
	var (
		in        = flag.String("in", "", "read benchmark output from this `file` instead of running the benchmarks")
		bench     = flag.String("bench", ".", "the -bench `regexp` of the run")
		count     = flag.Int("count", 6, "how many times to run the whole suite (go test -count 1 each time)")
		benchtime = flag.String("benchtime", "50ms", "the -benchtime of the run")
		tags      = flag.String("tags", "openblas", "build `tags` of the run; '' leaves OpenBLAS (and cgo) out")
		coretype  = flag.String("coretype", "Haswell", "OPENBLAS_CORETYPE for the run; '' lets OpenBLAS detect the CPU")
		raw       = flag.String("raw", "results/bench.txt", "where to save the raw output of the run; '' for nowhere")
		out       = flag.String("out", "results/report.md", "the markdown report `file`")
		chart     = flag.String("chart", "results/gemv", "the chart's `path` without extension (.png and .svg are written); '' for none")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./cmd/report [flags]   (from the bench directory)\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	info := runInfo{date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	var output []byte
	if *in != "" {
		b, err := os.ReadFile(*in)
		if err != nil {
			fatal(err)
		}
		output, info.input = b, *in
	} else {
		args := testArgs(*bench, *benchtime, *tags)
		if !slices.Contains(strings.Split(*tags, ","), "openblas") {
			*coretype = "" // no OpenBLAS in the run: its variable would only confuse the report.
		}
		info.command = commandLine(*coretype, args)
		if *count != 1 {
			info.command = fmt.Sprintf("%s   # %d times", info.command, *count)
		}
		info.goVer = goVersion()
		b, err := runBenchmarks(args, *coretype, *count)
		b = append(runConfig(info), b...)
		if *raw != "" && len(b) > 0 {
			if werr := writeOutput(*raw, b); werr != nil {
				fatal(werr)
			}
			fmt.Fprintf(os.Stderr, "report: wrote %s\n", *raw)
		}
		if err != nil {
			fatal(err)
		}
		output = b
	}

	d, err := parse(bytes.NewReader(output), cmp.Or(*in, "go test output"))
	if err != nil {
		fatal(err)
	}
	if *in != "" { // a run of this command says how it ran; see runConfig.
		info.command = d.config["report-command"]
		info.goVer = d.config["report-goversion"]
		info.date = cmp.Or(d.config["report-date"], info.date)
	}
	if *chart != "" {
		if err := os.MkdirAll(filepath.Dir(*chart), 0o755); err != nil {
			fatal(err)
		}
		ok, err := writeChart(d, *chart)
		if err != nil {
			fatal(err)
		}
		if ok {
			info.chart = relTo(*out, *chart+".png")
			info.chartSV = relTo(*out, *chart+".svg")
			fmt.Fprintf(os.Stderr, "report: wrote %s.png and %s.svg\n", *chart, *chart)
		}
	}
	var md bytes.Buffer
	writeReport(&md, d, info)
	if err := writeOutput(*out, md.Bytes()); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "report: wrote %s\n", *out)
}

// runConfig returns the lines that head the raw output of a run, in the
// benchmark format's "key: value" configuration syntax, so that a report
// written later from that file (-in) says how it was measured.
func runConfig(info runInfo) []byte {
	return fmt.Appendf(nil, "report-date: %s\nreport-command: %s\nreport-goversion: %s\n",
		info.date, info.command, info.goVer)
}

// testArgs returns the arguments of go test for one pass of the suite.
func testArgs(bench string, benchtime, tags string) []string {
	args := []string{"test", "-run", "^$", "-bench", bench, "-count", "1",
		"-benchtime", benchtime, "-timeout", "2h"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	return append(args, ".")
}

// commandLine writes the run as a shell command, for the report.
func commandLine(coretype string, args []string) string {
	var b strings.Builder
	if coretype != "" {
		fmt.Fprintf(&b, "OPENBLAS_CORETYPE=%s ", coretype)
	}
	b.WriteString("go")
	for _, a := range args {
		if strings.ContainsAny(a, "^$*?()[]|\\ '") || a == "" {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		b.WriteString(" " + a)
	}
	return b.String()
}

// runBenchmarks runs go test in the bench module with args, rounds times,
// echoing its output to stderr as it comes, and returns all of it.
//
// Whole passes, one after the other, rather than go test -count, which
// repeats each benchmark back to back: that way the repetitions of one
// implementation are minutes apart and see the same spread of machine load
// as those of every other, which keeps a burst of load on a shared machine
// from landing on one implementation's samples only.
func runBenchmarks(args []string, coretype string, rounds int) ([]byte, error) {
	dir, err := benchModuleDir()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for round := 1; round <= rounds; round++ {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = childEnv(os.Environ(), coretype)
		cmd.Stdout = io.MultiWriter(&out, os.Stderr)
		cmd.Stderr = os.Stderr
		fmt.Fprintf(os.Stderr, "report: pass %d of %d: %s in %s\n", round, rounds, commandLine(coretype, args), dir)
		if err := cmd.Run(); err != nil {
			msg := fmt.Sprintf("go test failed: %v", err)
			if slices.Contains(args, "openblas") {
				msg += "\n(the openblas tag needs cgo, a C compiler and OpenBLAS: apt-get install libopenblas-dev; or run with -tags '')"
			}
			return out.Bytes(), errors.New(msg)
		}
	}
	return out.Bytes(), nil
}

// childEnv returns env for the benchmark process: OPENBLAS_CORETYPE set to
// coretype (or removed, for ""), and OpenBLAS held to one thread from the
// start (the benchmarks also call openblas_set_num_threads(1)).
func childEnv(env []string, coretype string) []string {
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") || strings.HasPrefix(kv, "OPENBLAS_NUM_THREADS=")
	})
	env = append(env, "OPENBLAS_NUM_THREADS=1")
	if coretype != "" {
		env = append(env, "OPENBLAS_CORETYPE="+coretype)
	}
	return env
}

// benchModuleDir returns the directory of the bench module, which must be
// the module of the current directory.
func benchModuleDir() (string, error) {
	const want = "github.com/simdnn/simdnn/bench"
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %v (run the report from the bench directory)", err)
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if path != want {
		return "", fmt.Errorf("the current module is %s, not %s: run the report from the bench directory", path, want)
	}
	return dir, nil
}

// goVersion returns the version of the go command that runs the benchmarks.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// writeOutput writes b to name, creating its directory.
func writeOutput(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

// relTo returns target relative to the directory of file, for a link in it.
func relTo(file, target string) string {
	rel, err := filepath.Rel(filepath.Dir(file), target)
	if err != nil {
		return target
	}
	return rel
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "report: %v\n", err)
	os.Exit(1)
}
