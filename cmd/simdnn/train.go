package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/simdnn/simdnn/kernels"
	"github.com/simdnn/simdnn/nn"
)

// trainFlags are the flags of simdnn train.
type trainFlags struct {
	data, label, split, out             string
	hidden, activation, loss, optimizer string
	lr, momentum, weightDecay           float64
	testFrac, valFrac                   float64
	epochs, batch, patience             int
	seed                                uint64
	quiet, json                         bool
	kernels                             kernelFlags
}

const trainHelp = `usage: simdnn train [flags]

Train a multilayer perceptron on the built-in digits data or on a CSV file
with a header line, print its scores on the test rows and save it.

A classifier learns the label column (integers or names); -loss mse learns
one or more numeric target columns (-label y1,y2). The features are every
other column, standardized with the training rows' statistics.

examples:
  simdnn train
  simdnn train -data iris.csv -label species -val-fraction 0.2 -patience 10
  simdnn train -data houses.csv -label price -loss mse -out price.safetensors
  simdnn train -data my.csv -json 2>epochs.log >run.json

flags:
`

func parseTrainFlags(args []string, stdout, stderr io.Writer) (*trainFlags, error) {
	var f trainFlags
	fs := newFlagSet("train", stderr)
	fs.StringVar(&f.data, "data", builtinDigits, `training data: "digits" (built in) or a CSV file with a header line`)
	fs.StringVar(&f.label, "label", "", `the label column, or for -loss mse the target columns, by name or 0-based index, comma-separated (default "label")`)
	fs.StringVar(&f.split, "split", "", "files of 0-based row indices for the training and test rows, as TRAIN,TEST (default: the built-in split for digits, else -test-fraction)")
	fs.Float64Var(&f.testFrac, "test-fraction", 0.25, "fraction of the rows held out for testing when there is no split")
	fs.Float64Var(&f.valFrac, "val-fraction", 0, "fraction of the training rows held out for validation after every epoch (stratified for a classifier); the epoch with the lowest validation loss is the model kept")
	fs.IntVar(&f.patience, "patience", 0, "stop after this many epochs without a lower validation loss (0: never; needs -val-fraction)")
	fs.StringVar(&f.hidden, "hidden", "64", `hidden layer widths, comma-separated ("" for none)`)
	fs.StringVar(&f.activation, "activation", "relu", "activation of the hidden layers: relu, sigmoid or tanh")
	fs.StringVar(&f.loss, "loss", "softmax_cross_entropy", "softmax_cross_entropy (one output per class), bce (two classes, one sigmoid output) or mse (regression on numeric targets)")
	fs.StringVar(&f.optimizer, "optimizer", "sgd", "optimizer: sgd, adam or adamw (decoupled weight decay)")
	fs.Float64Var(&f.lr, "lr", 0.01, "learning rate")
	fs.Float64Var(&f.momentum, "momentum", 0, "SGD momentum")
	fs.Float64Var(&f.weightDecay, "weight-decay", 5e-3, "L2 weight decay")
	fs.IntVar(&f.epochs, "epochs", 30, "passes over the training rows (at most)")
	fs.IntVar(&f.batch, "batch", 1, "samples per optimizer step (1: per-sample SGD)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the initial weights, the shuffling and the test and validation splits")
	fs.StringVar(&f.out, "out", "model.safetensors", "where to save the model (its directory is checked before training; the file is replaced only once training has succeeded)")
	f.kernels.register(fs)
	fs.BoolVar(&f.quiet, "quiet", false, "no progress on standard error")
	fs.BoolVar(&f.json, "json", false, "write the run (per-epoch history, test metrics) as one JSON object to standard output instead of the report")
	if err := parseFlags(fs, args, trainHelp, stdout); err != nil {
		return nil, err
	}
	switch {
	case f.epochs < 1:
		return nil, badInput("train: -epochs %d: want at least 1", f.epochs)
	case f.batch < 1:
		return nil, badInput("train: -batch %d: want at least 1", f.batch)
	case !(f.lr > 0) || math.IsInf(f.lr, 1):
		return nil, badInput("train: -lr %v: want a finite positive learning rate", f.lr)
	case !(f.testFrac > 0 && f.testFrac < 1):
		return nil, badInput("train: -test-fraction %v: want a fraction between 0 and 1", f.testFrac)
	case !(f.valFrac >= 0 && f.valFrac < 1):
		return nil, badInput("train: -val-fraction %v: want 0 (none) or a fraction between 0 and 1", f.valFrac)
	case f.patience < 0:
		return nil, badInput("train: -patience %d: want 0 (never stop early) or more", f.patience)
	case f.patience > 0 && f.valFrac == 0:
		return nil, badInput("train: -patience needs a validation split (-val-fraction)")
	case !(f.momentum >= 0 && f.momentum < 1), !(f.weightDecay >= 0) || math.IsInf(f.weightDecay, 1):
		return nil, badInput("train: want 0 ≤ -momentum < 1 and -weight-decay ≥ 0")
	}
	return &f, nil
}

// checkOut makes sure the model can be saved at path before any time is
// spent training: its directory exists and takes a new file, and path is
// not a directory.
func checkOut(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return badInput("-out %s: is a directory, want a file name", path)
	}
	dir := filepath.Dir(path)
	probe, err := os.CreateTemp(dir, ".simdnn-out-check-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return badInput("-out %s: cannot create a file in %s: %v", path, dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// trainRun is what train reports: the -json object, and the source of the
// report for people.
type trainRun struct {
	Data         string        `json:"data"`
	Architecture string        `json:"architecture"`
	Kernels      string        `json:"kernels"`
	Classes      []string      `json:"classes,omitempty"` // classification, in output order
	Targets      []string      `json:"targets"`           // the label column, or the regression targets
	TrainRows    int           `json:"train_rows"`
	ValRows      int           `json:"val_rows"`
	TestRows     int           `json:"test_rows"`
	History      []epochRecord `json:"history"`
	BestEpoch    int           `json:"best_epoch"`    // the epoch whose weights were kept
	StoppedEarly bool          `json:"stopped_early"` // -patience ended training
	Seconds      float64       `json:"seconds"`       // wall time of training
	// Validation holds the kept model's scores on the validation rows
	// (the best epoch's, recomputed), Test on the test rows.
	Validation *metrics `json:"validation,omitempty"`
	Test       *metrics `json:"test,omitempty"`
	Model      string   `json:"model"`
}

func train(args []string, stdout, stderr io.Writer) error {
	f, err := parseTrainFlags(args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := f.kernels.apply(); err != nil {
		return err
	}
	if err := checkOut(f.out); err != nil {
		return err
	}
	loss, err := nn.ParseLoss(f.loss)
	if err != nil {
		return badInput("-loss: %v", err)
	}
	hiddenAct, err := nn.ParseActivation(f.activation)
	if err != nil || hiddenAct == nn.Identity {
		return badInput("-activation %q: want relu, sigmoid or tanh", f.activation)
	}
	t, err := loadTable(f.data)
	if err != nil {
		return err
	}
	m, all, classOf, err := prepareTraining(t, f.label, loss)
	if err != nil {
		return err
	}
	trainRows, testRows, err := splitRows(t, f)
	if err != nil {
		return err
	}
	var valRows []int
	if f.valFrac > 0 {
		trainRows, valRows = validationRows(trainRows, classOf, f.valFrac, f.seed)
		if len(valRows) == 0 || len(trainRows) == 0 {
			return badInput("%s: %d training rows cannot be split with -val-fraction %v", t.name, len(trainRows)+len(valRows), f.valFrac)
		}
	}
	// The data are finite (the table refuses anything else) and there are
	// training rows, so fitting cannot fail.
	if m.std, err = nn.FitStandardizer(rowsOf(all.x64, len(m.features), trainRows), len(m.features)); err != nil {
		return err
	}
	if m.regression() {
		if m.targetStd, err = nn.FitStandardizer(rowsOf(all.value, len(m.targets), trainRows), len(m.targets)); err != nil {
			return err
		}
	}
	arch, err := architecture(len(m.features), f.hidden, hiddenAct, loss, m)
	if err != nil {
		return err
	}
	if m.net, err = nn.New[float32](arch, f.seed); err != nil {
		return badInput("%v", err)
	}
	sets := all.standardized(m)
	trainSet, valSet, testSet := m.subset(sets, trainRows), m.subset(sets, valRows), m.subset(sets, testRows)
	opt, err := optimizer(f, m.net)
	if err != nil {
		return err
	}

	run := &trainRun{Data: t.name, Architecture: arch.String(), Kernels: kernels.Implementation(),
		Classes: m.classes, Targets: m.targets, TrainRows: len(trainRows), ValRows: len(valRows),
		TestRows: len(testRows), Model: f.out}
	report := stdout
	if f.json {
		report = io.Discard
	}
	fmt.Fprintf(report, "training %s on %s: %s, %s kernels\n", arch, t.name, rowCounts(run), run.Kernels)
	bar := newProgress(stderr, f.epochs, f.quiet)
	best := newBest(m.net, f.patience)
	start := time.Now()
	err = m.net.Train(trainSet.x, trainSet.y, opt, nn.TrainConfig{
		Epochs: f.epochs, BatchSize: f.batch, Shuffle: true, Seed: f.seed,
		OnEpoch: func(s nn.EpochStats) error {
			e := epochRecord{Epoch: s.Epoch, Loss: s.Loss, SamplesPerSec: s.SamplesPerSec, Seconds: s.Duration.Seconds()}
			if !m.regression() {
				e.Accuracy = &s.Accuracy
			}
			stop := false
			if len(valRows) > 0 {
				v := m.score(valSet)
				e.ValLoss = &v.Loss
				if name, x := v.metric(); name == "accuracy" {
					e.ValAccuracy = &x
				} else {
					e.ValRMSE = &x
				}
				stop = best.observe(s.Epoch, v.Loss)
			}
			run.History = append(run.History, e)
			bar.epoch(e)
			if stop {
				run.StoppedEarly = true
				return nn.ErrStop
			}
			return nil
		},
	})
	run.Seconds = time.Since(start).Seconds()
	bar.done()
	if err != nil {
		return fmt.Errorf("training failed, %s left as it was: %w", f.out, err)
	}
	run.BestEpoch = len(run.History)
	if len(valRows) > 0 {
		run.BestEpoch = best.restore()
		v := m.score(valSet)
		run.Validation = &v
	}
	last := run.History[len(run.History)-1]
	fmt.Fprintf(report, "trained %d epochs in %v: last epoch loss %.4f, %.0f samples/s\n",
		len(run.History), time.Duration(run.Seconds*float64(time.Second)).Round(time.Millisecond), last.Loss, last.SamplesPerSec)
	if len(valRows) > 0 {
		b := run.History[run.BestEpoch-1]
		name, v := "accuracy", b.ValAccuracy
		if v == nil {
			name, v = "RMSE", b.ValRMSE
		}
		how := "kept"
		if run.StoppedEarly {
			how = fmt.Sprintf("kept, stopped after %d epochs without a better one", f.patience)
		}
		fmt.Fprintf(report, "best epoch %d (validation loss %.4f, %s %.4f) %s\n", run.BestEpoch, *b.ValLoss, name, *v, how)
	}
	if len(testRows) > 0 {
		s := m.score(testSet)
		run.Test = &s
		m.printMetrics(report, "test", s)
	}
	if err := m.net.Save(f.out, m.metadata()); err != nil {
		return err
	}
	fmt.Fprintf(report, "model saved to %s\n", f.out)
	if f.json {
		return writeJSON(stdout, run)
	}
	return nil
}

// rowCounts says how the rows were split, e.g. "1347 training rows, 450
// test rows".
func rowCounts(r *trainRun) string {
	s := fmt.Sprintf("%d training rows", r.TrainRows)
	if r.ValRows > 0 {
		s += fmt.Sprintf(", %d validation rows", r.ValRows)
	}
	return s + fmt.Sprintf(", %d test rows", r.TestRows)
}

// rawSet is every row of the training data before standardization.
type rawSet struct {
	x64   []float64 // rows×features
	class []int     // classification: the class index of each row
	value []float64 // regression: rows×targets
}

// standardized returns every row ready for m's network.
func (r *rawSet) standardized(m *model) *labelled {
	x := standardize(m.std, r.x64)
	if m.regression() {
		return m.regressionSet(x, r.value)
	}
	return m.classSet(x, r.class)
}

// prepareTraining chooses the target and feature columns of t for the loss
// and reads them: the model (without its network and statistics), every
// row, and for a classifier the class of each row (nil for a regression).
func prepareTraining(t *table, labelSpec string, loss nn.Loss) (*model, *rawSet, []int, error) {
	targetCols, err := t.targetColumns(labelSpec)
	if err != nil {
		return nil, nil, nil, err
	}
	if loss != nn.MSE && len(targetCols) > 1 {
		return nil, nil, nil, badInput("-label %q: a classifier has one label column (-loss mse learns several numeric targets)", labelSpec)
	}
	featureCols := t.others(targetCols)
	if len(featureCols) == 0 {
		return nil, nil, nil, badInput("%s: no feature columns besides the label", t.name)
	}
	m := &model{features: t.names(featureCols), targets: t.names(targetCols)}
	raw := &rawSet{}
	if raw.x64, err = t.numbers(featureCols); err != nil {
		return nil, nil, nil, err
	}
	if loss == nn.MSE {
		raw.value, err = t.numbers(targetCols)
		return m, raw, nil, err
	}
	labels, err := t.labels(targetCols[0])
	if err != nil {
		return nil, nil, nil, err
	}
	if m.classes, err = classNames(labels); err != nil {
		return nil, nil, nil, badInput("%s: column %s: %v", t.name, m.targets[0], err)
	}
	switch {
	case len(m.classes) < 2:
		return nil, nil, nil, badInput("%s: every row has label %s: nothing to learn", t.name, m.classes[0])
	case loss == nn.BCE && len(m.classes) != 2:
		return nil, nil, nil, badInput("%s: -loss bce needs two classes, found %d (%s)", t.name, len(m.classes), strings.Join(m.classes, ", "))
	}
	raw.class, _, _ = classIndices(labels, m.classes)
	return m, raw, raw.class, nil
}

// architecture builds the network for features inputs, the hidden widths of
// the -hidden flag and the output layer m needs for the loss.
func architecture(features int, hidden string, act nn.Activation, loss nn.Loss, m *model) (nn.Architecture, error) {
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
	arch.Sizes = append(arch.Sizes, m.outputs(loss))
	if loss == nn.BCE {
		arch.Activations = append(arch.Activations, nn.Sigmoid)
	} else {
		arch.Activations = append(arch.Activations, nn.Identity)
	}
	if err := arch.Validate(); err != nil {
		return arch, badInput("%v", err)
	}
	return arch, nil
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
	case "adamw":
		o := nn.NewAdamW(net, f.lr)
		o.WeightDecay = f.weightDecay
		return o, nil
	}
	return nil, badInput("-optimizer %q: want sgd, adam or adamw", f.optimizer)
}

// best keeps the weights of the epoch with the lowest validation loss and
// counts the epochs since, for early stopping.
type best struct {
	net      *nn.Network[float32]
	params   []float32
	epoch    int
	loss     float64
	patience int
}

func newBest(net *nn.Network[float32], patience int) *best {
	return &best{net: net, patience: patience}
}

// observe records an epoch's validation loss and reports whether to stop.
func (b *best) observe(epoch int, loss float64) bool {
	if b.epoch == 0 || loss < b.loss {
		b.epoch, b.loss = epoch, loss
		b.params = append(b.params[:0], b.net.Params()...)
		return false
	}
	return b.patience > 0 && epoch-b.epoch >= b.patience
}

// restore puts the best epoch's weights back and returns that epoch.
func (b *best) restore() int {
	copy(b.net.Params(), b.params)
	return b.epoch
}
