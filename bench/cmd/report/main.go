// Command report runs simdnn's comparison benchmarks (the bench module's
// go test -bench) and writes what they found: a markdown report of GFLOP/s per
// kernel, shape and implementation with the ratios to OpenBLAS and gonum
// measured in the same run, the time per step of package nn's training steps
// on simdnn's assembly and pure Go, the same on 1 to GOMAXPROCS threads
// beside OpenBLAS, PyTorch and numpy, and a chart of Gemv and GemvT against
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
// Each round runs these passes, one after the other:
//
//  1. the whole suite but the benchmarks on several threads, with
//     OPENBLAS_CORETYPE=Haswell (-coretype);
//  2. PyTorch and numpy (python/mlp_bench.py, run by -python on one thread
//     and with the same OPENBLAS_CORETYPE, since both call OpenBLAS) on the
//     same float32 products, network and batch sizes, if that Python exists;
//  3. OpenBLAS alone, with the kernels it picks for the CPU by itself
//     (OPENBLAS_CORETYPE unset; -openblas-own);
//  4. on a machine of several cores (-threads), the benchmarks on 1 to
//     GOMAXPROCS threads (bench/threads_test.go): simdnn's, then OpenBLAS's
//     in a process of their own, then PyTorch's and numpy's on each thread
//     count.
//
// OpenBLAS picks its kernels for the CPU when it loads, and reads
// OPENBLAS_CORETYPE only then, so its own choice and the forced one need two
// processes. Version 0.3.21 does not know every newer Intel model and falls
// back to old SSE3 "Prescott" kernels on some (this project's Emerald
// Rapids test machine is one): pass 1 measures its AVX2/FMA kernels, the
// same instruction set as simdnn's assembly, as impl=openblas-haswell, and
// pass 3 what a program linking OpenBLAS gets, as impl=openblas.
// -coretype SkylakeX selects its AVX-512 kernels for pass 1 instead, and
// an empty -coretype lets OpenBLAS choose there (and drops pass 3). The report
// names the kernels OpenBLAS used in each, as OpenBLAS itself reports them.
//
// The run's length is set by -count (rounds), -benchtime and -bench; with
// the defaults it took 18 minutes on the project's two-core test machine,
// 8½ without the passes on several threads (-threads=false).
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
	"strconv"
	"strings"
	"time"

	"github.com/simdnn/simdnn/internal/benchshape"
)

func main() {
	var (
		in        = flag.String("in", "", "read benchmark output from this `file` instead of running the benchmarks")
		bench     = flag.String("bench", ".", "the -bench `regexp` of the run")
		count     = flag.Int("count", 6, "how many times to run the whole suite (go test -count 1 each time)")
		benchtime = flag.String("benchtime", "50ms", "the -benchtime of the run")
		tags      = flag.String("tags", "openblas", "build `tags` of the run; '' leaves OpenBLAS (and cgo) out")
		coretype  = flag.String("coretype", "Haswell", "OPENBLAS_CORETYPE for the main pass; '' lets OpenBLAS detect the CPU")
		own       = flag.Bool("openblas-own", true, "also run OpenBLAS with the kernels it picks itself, in a pass of its own, when -coretype is set")
		python    = flag.String("python", "/usr/bin/python3", "the `python` that runs python/mlp_bench.py (PyTorch and numpy) between the Go passes; '' for none")
		raw       = flag.String("raw", "results/bench.txt", "where to save the raw output of the run; '' for nowhere")
		out       = flag.String("out", "results/report.md", "the markdown report `file`")
		chart     = flag.String("chart", "results/gemv", "the chart's `path` without extension (.png and .svg are written); '' for none")
		threads   = flag.Bool("threads", true, "also run the benchmarks on 1 to GOMAXPROCS threads (simdnn, OpenBLAS, PyTorch and numpy), in passes of their own")
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
		dir, err := benchModuleDir()
		if err != nil {
			fatal(err)
		}
		withOpenBLAS := slices.Contains(strings.Split(*tags, ","), "openblas")
		if !withOpenBLAS {
			*coretype = "" // no OpenBLAS in the run: its variable would only confuse the report.
		}
		goTest := func(bench, skip string, extra ...string) []string {
			return append(append([]string{"go"}, testArgs(bench, skip, *benchtime, *tags)...), extra...)
		}
		passes := []pass{{name: "go", argv: goTest(*bench, threadsBenches), coretype: *coretype}}
		var pyNote []byte
		havePython := false
		if *python != "" {
			if _, err := exec.LookPath(*python); err != nil {
				pyNote = fmt.Appendf(nil, "python-torch: missing (no %s)\npython-numpy: missing (no %s)\n", *python, *python)
			} else {
				havePython = true
				passes = append(passes, pass{name: "python", argv: pythonArgs(*python, *benchtime, 0), coretype: *coretype})
			}
		}
		if *own && withOpenBLAS && *coretype != "" {
			passes = append(passes, pass{name: "openblas-own", argv: goTest(*bench, threadsBenches, "-args", "-impl", "^openblas$")})
		}
		if *threads && runtime.GOMAXPROCS(0) > 1 {
			// simdnn and OpenBLAS apart: OpenBLAS's threads spin after each
			// call and would slow whatever ran next in their process.
			passes = append(passes, pass{name: "threads", argv: goTest(threadsBenches, "", "-args", "-impl", simdnnImplsRegexp)})
			if withOpenBLAS {
				passes = append(passes, pass{name: "threads-openblas", argv: goTest(threadsBenches, "", "-args", "-impl", "^openblas$")})
			}
			for n := 1; havePython && n <= runtime.GOMAXPROCS(0); n++ {
				passes = append(passes, pass{name: "python", argv: pythonArgs(*python, *benchtime, n), coretype: *coretype, threads: n})
			}
		}
		var cmds []string
		for _, p := range passes {
			cmds = append(cmds, commandLine(p.coretype, p.argv))
		}
		info.command = strings.Join(cmds, "\n    ")
		if *count != 1 {
			info.command = fmt.Sprintf("%s\n    # each of them %d times, in turn", info.command, *count)
		}
		info.goVer = goVersion()
		b, err := runBenchmarks(dir, passes, *count)
		b = append(append(runConfig(info), pyNote...), b...)
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

// pass is one process of a round: its command line, the OPENBLAS_CORETYPE
// it runs with ("" for none), and the threads its libraries may start
// (OMP_NUM_THREADS and OPENBLAS_NUM_THREADS; 0 for 1, set by the Go
// benchmarks themselves where they run several).
type pass struct {
	name     string
	argv     []string
	coretype string
	threads  int
}

// threadsBenches matches the benchmarks on several threads
// (bench/threads_test.go), which run in passes of their own.
const threadsBenches = "Threads"

// simdnnImplsRegexp selects simdnn's implementations (simdnnImpls) in the
// bench module's -impl flag: the threads benchmarks run the best of them.
var simdnnImplsRegexp = "^(" + strings.Join(simdnnImpls, "|") + ")$"

// pythonArgs returns the command line of python/mlp_bench.py on the bench
// module's float32 products and on the network nn's benchmarks train
// (benchshape.TrainNets[0]), at its batch sizes, each benchmark running
// benchtime (a duration; 50ms if it is not one). With threads > 0 it runs
// on that many threads the sizes of bench/threads_test.go, under its names.
func pythonArgs(python, benchtime string, threads int) []string {
	shapes, batches, predict := benchshape.GemmCompare(), benchshape.TrainBatches, benchshape.PredictRows
	if threads > 0 {
		shapes = benchshape.ThreadsGemmSquares()
		batches, predict = threadsRows(batches), threadsRows(predict)
	}
	var gemm []string
	for _, s := range shapes {
		gemm = append(gemm, fmt.Sprintf("%s:%dx%dx%d", s.Op, s.M, s.N, s.K))
	}
	join := func(v []int) string {
		var s []string
		for _, x := range v {
			s = append(s, strconv.Itoa(x))
		}
		return strings.Join(s, ",")
	}
	net := strings.ReplaceAll(join(benchshape.TrainNets[0]), ",", "-")
	bt, err := time.ParseDuration(benchtime)
	if err != nil {
		bt = 50 * time.Millisecond
	}
	argv := []string{python, "python/mlp_bench.py", "--gemm", strings.Join(gemm, ","), "--net", net,
		"--batches", join(batches), "--predict", join(predict),
		"--benchtime", strconv.FormatFloat(bt.Seconds(), 'g', -1, 64)}
	if threads > 0 {
		argv = append(argv, "--threads", strconv.Itoa(threads))
	}
	return argv
}

// threadsRows returns the elements of rows from benchshape.ThreadsMinRows
// on, as bench/threads_test.go runs them.
func threadsRows(rows []int) []int {
	var out []int
	for _, r := range rows {
		if r >= benchshape.ThreadsMinRows {
			out = append(out, r)
		}
	}
	return out
}

// testArgs returns the arguments of go test for one pass of the suite:
// the benchmarks bench matches and skip (if not "") does not.
func testArgs(bench, skip, benchtime, tags string) []string {
	args := []string{"test", "-run", "^$", "-bench", bench, "-count", "1",
		"-benchtime", benchtime, "-timeout", "2h"}
	if skip != "" {
		args = append(args, "-skip", skip)
	}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	return append(args, ".")
}

// commandLine writes a pass as a shell command, for the report: argv with
// OPENBLAS_CORETYPE before it when set.
func commandLine(coretype string, argv []string) string {
	var b strings.Builder
	if coretype != "" {
		fmt.Fprintf(&b, "OPENBLAS_CORETYPE=%s ", coretype)
	}
	for i, a := range argv {
		if strings.ContainsAny(a, "^$*?()[]|\\ '") || a == "" {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		if i > 0 {
			b.WriteString(" ")
		}
		if len(a) > 60 {
			a = a[:57] + "…'" // the lists of shapes: python/mlp_bench.py -h says what they hold.
		}
		b.WriteString(a)
	}
	return b.String()
}

// runBenchmarks runs the passes in the bench module directory dir, rounds
// times in turn, echoing their output to stderr as it comes, and returns all
// of it. A failing go test ends the run; a failing Python pass is reported
// and left out, since the report stands without PyTorch and numpy.
//
// Whole passes, one after the other, rather than go test -count, which
// repeats each benchmark back to back: that way the repetitions of one
// implementation are minutes apart and see the same spread of machine load
// as those of every other, which keeps a burst of load on a shared machine
// from landing on one implementation's samples only.
func runBenchmarks(dir string, passes []pass, rounds int) ([]byte, error) {
	var out bytes.Buffer
	for round := 1; round <= rounds; round++ {
		for _, p := range passes {
			cmd := exec.Command(p.argv[0], p.argv[1:]...)
			cmd.Dir = dir
			cmd.Env = childEnv(os.Environ(), p.coretype, p.threads)
			var pass bytes.Buffer
			cmd.Stdout = io.MultiWriter(&pass, os.Stderr)
			cmd.Stderr = os.Stderr
			fmt.Fprintf(os.Stderr, "report: round %d of %d, %s: %s in %s\n", round, rounds, p.name, commandLine(p.coretype, p.argv), dir)
			err := cmd.Run()
			switch {
			case err != nil && p.name == "python":
				fmt.Fprintf(os.Stderr, "report: %s failed (%v): no PyTorch and numpy figures from this round\n", p.argv[0], err)
				continue
			case err != nil:
				out.Write(pass.Bytes())
				msg := fmt.Sprintf("go test failed: %v", err)
				if slices.Contains(p.argv, "openblas") {
					msg += "\n(the openblas tag needs cgo, a C compiler and OpenBLAS: apt-get install libopenblas-dev; or run with -tags '')"
				}
				return out.Bytes(), errors.New(msg)
			}
			out.Write(pass.Bytes())
		}
	}
	return out.Bytes(), nil
}

// childEnv returns env for a benchmark process: OPENBLAS_CORETYPE set to
// coretype (or removed, for ""), and OpenBLAS and OpenMP (PyTorch's
// threads) held to threads threads (1 for 0) from the start (the Go
// benchmarks also call openblas_set_num_threads, the Python script
// torch.set_num_threads).
func childEnv(env []string, coretype string, threads int) []string {
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") || strings.HasPrefix(kv, "OPENBLAS_NUM_THREADS=") ||
			strings.HasPrefix(kv, "OMP_NUM_THREADS=")
	})
	n := strconv.Itoa(max(1, threads))
	env = append(env, "OPENBLAS_NUM_THREADS="+n, "OMP_NUM_THREADS="+n)
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
