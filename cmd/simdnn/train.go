package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/simdnn/simdnn/kernels"
	"github.com/simdnn/simdnn/nn"
)

// trainFlags are the flags of simdnn train.
type trainFlags struct {
	data, label, split, out, kernelPath string
	hidden, activation, loss, optimizer string
	lr, momentum, weightDecay, testFrac float64
	epochs, batch                       int
	seed                                uint64
	quiet                               bool
}

func parseTrainFlags(args []string, stderr io.Writer) (*trainFlags, error) {
	var f trainFlags
	fs := flag.NewFlagSet("simdnn train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.data, "data", builtinDigits, `training data: "digits" (built in) or a CSV file with a header line`)
	fs.StringVar(&f.label, "label", "", `label column of a CSV file, by name or 0-based index (default "label")`)
	fs.StringVar(&f.split, "split", "", "files of 0-based row indices for the training and test rows, as TRAIN,TEST (default: the built-in split for digits, else -test-fraction)")
	fs.Float64Var(&f.testFrac, "test-fraction", 0.25, "fraction of the rows held out for testing when there is no split")
	fs.StringVar(&f.hidden, "hidden", "64", `hidden layer widths, comma-separated ("" for none)`)
	fs.StringVar(&f.activation, "activation", "relu", "activation of the hidden layers: relu or sigmoid")
	fs.StringVar(&f.loss, "loss", "softmax_cross_entropy", "loss: softmax_cross_entropy (one output per class), bce (binary labels 0/1, one sigmoid output) or mse")
	fs.StringVar(&f.optimizer, "optimizer", "sgd", "optimizer: sgd or adam")
	fs.Float64Var(&f.lr, "lr", 0.01, "learning rate")
	fs.Float64Var(&f.momentum, "momentum", 0, "SGD momentum")
	fs.Float64Var(&f.weightDecay, "weight-decay", 5e-3, "L2 weight decay")
	fs.IntVar(&f.epochs, "epochs", 30, "passes over the training rows")
	fs.IntVar(&f.batch, "batch", 1, "samples per optimizer step (1: per-sample SGD)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the initial weights, the shuffling and the test split")
	fs.StringVar(&f.out, "out", "model.safetensors", "where to save the model (replaced only once training has succeeded)")
	fs.StringVar(&f.kernelPath, "kernels", "auto", "kernel implementation: auto, "+strings.Join(kernels.Implementations(), ", "))
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar (there is none either when standard error is not a terminal)")
	if err := fs.Parse(args); err != nil {
		return nil, flagError(err)
	}
	if fs.NArg() > 0 {
		return nil, badInput("train: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case f.epochs < 1:
		return nil, badInput("train: -epochs %d: want at least 1", f.epochs)
	case f.batch < 1:
		return nil, badInput("train: -batch %d: want at least 1", f.batch)
	case !(f.lr > 0):
		return nil, badInput("train: -lr %v: want a positive learning rate", f.lr)
	case !(f.testFrac > 0 && f.testFrac < 1):
		return nil, badInput("train: -test-fraction %v: want a fraction between 0 and 1", f.testFrac)
	case !(f.momentum >= 0 && f.momentum < 1), !(f.weightDecay >= 0):
		return nil, badInput("train: want 0 ≤ -momentum < 1 and -weight-decay ≥ 0")
	}
	return &f, nil
}

// selectKernels applies the -kernels flag.
func selectKernels(path string) error {
	if path == "auto" {
		path = ""
	}
	if err := kernels.UseImplementation(path); err != nil {
		return badInput("-kernels: %v", err)
	}
	return nil
}

func train(args []string, stdout, stderr io.Writer) error {
	f, err := parseTrainFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := selectKernels(f.kernelPath); err != nil {
		return err
	}
	d, err := loadData(f.data, f.label, true)
	if err != nil {
		return err
	}
	loss, err := nn.ParseLoss(f.loss)
	if err != nil {
		return badInput("-loss: %v", err)
	}
	hiddenAct, err := nn.ParseActivation(f.activation)
	if err != nil || hiddenAct == nn.Identity {
		return badInput("-activation %q: want relu or sigmoid", f.activation)
	}
	classes := slices.Max(d.labels) + 1
	if loss == nn.BCE && classes > 2 {
		return badInput("%s: -loss bce needs labels 0 and 1, found label %d", d.name, classes-1)
	}
	if classes < 2 {
		return badInput("%s: every row has label 0: nothing to learn", d.name)
	}
	arch, err := architecture(len(d.features), f.hidden, hiddenAct, loss, classes)
	if err != nil {
		return err
	}
	trainRows, testRows, err := splitRows(d, f)
	if err != nil {
		return err
	}

	xTrain, yTrain := d.subset(trainRows)
	xTest, yTest := d.subset(testRows)
	m := &model{features: d.features, label: d.label, classes: classes}
	m.std = fitStandardizer(xTrain, len(d.features))
	net, err := nn.New[float32](arch, f.seed)
	if err != nil {
		return badInput("%v", err)
	}
	m.net = net
	x := m.std.apply(xTrain)
	y := targets(yTrain, loss, classes)
	opt, err := optimizer(f, net)
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "training %s on %s: %d training rows, %d test rows, %s kernels\n",
		arch, d.name, len(trainRows), len(testRows), kernels.Implementation())
	bar := progressbar.NewOptions(f.epochs,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetVisibility(!f.quiet && isTerminal(stderr)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("epoch"))
	start := time.Now()
	var last nn.EpochStats
	err = net.Train(x, y, opt, nn.TrainConfig{
		Epochs: f.epochs, BatchSize: f.batch, Shuffle: true, Seed: f.seed,
		OnEpoch: func(s nn.EpochStats) error {
			last = s
			bar.Describe(fmt.Sprintf("epoch %d/%d  loss %.4f  %.0f samples/s", s.Epoch, f.epochs, s.Loss, s.SamplesPerSec))
			return bar.Set(s.Epoch)
		},
	})
	elapsed := time.Since(start)
	bar.Exit()
	if err != nil {
		return fmt.Errorf("training failed, %s left as it was: %w", f.out, err)
	}
	fmt.Fprintf(stdout, "trained %d epochs in %v: last epoch loss %.4f, training accuracy %.4f, %.0f samples/s\n",
		f.epochs, elapsed.Round(time.Millisecond), last.Loss, last.Accuracy, last.SamplesPerSec)

	if len(testRows) > 0 {
		report(stdout, m, m.std.apply(xTest), yTest)
	}
	if err := net.Save(f.out, m.metadata()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model saved to %s\n", f.out)
	return nil
}

// architecture builds the network for features inputs, the hidden widths of
// the -hidden flag and the output layer the loss needs.
func architecture(features int, hidden string, act nn.Activation, loss nn.Loss, classes int) (nn.Architecture, error) {
	arch := nn.Architecture{Sizes: []int{features}, Loss: loss}
	if strings.TrimSpace(hidden) != "" {
		for _, s := range strings.Split(hidden, ",") {
			w, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || w < 1 {
				return arch, badInput("-hidden %q: want positive layer widths separated by commas", hidden)
			}
			arch.Sizes = append(arch.Sizes, w)
			arch.Activations = append(arch.Activations, act)
		}
	}
	arch.Sizes = append(arch.Sizes, outputsFor(loss, classes))
	switch loss {
	case nn.BCE:
		arch.Activations = append(arch.Activations, nn.Sigmoid)
	default:
		arch.Activations = append(arch.Activations, nn.Identity)
	}
	if err := arch.Validate(); err != nil {
		return arch, badInput("%v", err)
	}
	return arch, nil
}

// targets turns labels into the loss's target vectors.
func targets(labels []int, loss nn.Loss, classes int) []float32 {
	if loss == nn.BCE {
		y := make([]float32, len(labels))
		for i, l := range labels {
			y[i] = float32(l)
		}
		return y
	}
	return nn.OneHot[float32](labels, classes)
}

func optimizer(f *trainFlags, net *nn.Network[float32]) (nn.Optimizer[float32], error) {
	switch f.optimizer {
	case "sgd":
		o := nn.NewSGD(net, f.lr)
		o.Momentum, o.WeightDecay = f.momentum, f.weightDecay
		return o, nil
	case "adam":
		o := nn.NewAdam(net, f.lr)
		o.WeightDecay = f.weightDecay
		return o, nil
	}
	return nil, badInput("-optimizer %q: want sgd or adam", f.optimizer)
}

// splitRows returns the training and test rows: from -split files, from the
// data's own split, or a seeded random -test-fraction of the rows.
func splitRows(d *dataset, f *trainFlags) (trainRows, testRows []int, err error) {
	n := d.rows()
	if f.split != "" {
		names := strings.Split(f.split, ",")
		if len(names) != 2 {
			return nil, nil, badInput("-split %q: want TRAIN,TEST file names", f.split)
		}
		if trainRows, err = readIndices(names[0], n); err != nil {
			return nil, nil, err
		}
		if testRows, err = readIndices(names[1], n); err != nil {
			return nil, nil, err
		}
		return trainRows, testRows, nil
	}
	if d.train != nil {
		return d.train, d.test, nil
	}
	order := rand.New(rand.NewPCG(f.seed, 0x5eed)).Perm(n)
	nTest := int(float64(n) * f.testFrac)
	if nTest == 0 || nTest == n {
		return nil, nil, badInput("%s: %d rows cannot be split with -test-fraction %v", d.name, n, f.testFrac)
	}
	testRows, trainRows = order[:nTest], order[nTest:]
	slices.Sort(testRows)
	slices.Sort(trainRows)
	return trainRows, testRows, nil
}

// readIndices reads one 0-based row index per line.
func readIndices(path string, rows int) ([]int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput("%v", err)
	}
	var idx []int
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := strconv.Atoi(line)
		if err != nil || v < 0 || v >= rows {
			return nil, badInput("%s:%d: %q is not a row index in [0, %d)", path, i+1, line, rows)
		}
		idx = append(idx, v)
	}
	if len(idx) == 0 {
		return nil, badInput("%s: no row indices", path)
	}
	return idx, nil
}

// isTerminal reports whether w is a terminal, where a progress bar can
// redraw itself; in a log file it would be a heap of carriage returns.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
