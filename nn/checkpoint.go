package nn

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/simdnn/simdnn/internal/safetensors"
)

// Optimizer checkpoints: an optimizer's state (its hyperparameters, step
// count and moment or velocity buffers) and the network's epoch count, in
// a safetensors file of its own beside the model's. Save the model and the
// state after an epoch, Load the model, make the same kind of optimizer for
// it and LoadState: training then continues bit for bit as if it had never
// stopped (the shuffle of an epoch depends on the seed and the epoch count
// only). The tensors carry PyTorch's state names: "momentum_buffer" for
// SGD, "exp_avg" and "exp_avg_sq" for Adam and AdamW, each as long as the
// network's Params, in its element type.

// The __metadata__ keys of a state file.
const (
	stateKind   = MetadataPrefix + "optimizer" // "sgd", "adam" or "adamw"
	stateParams = MetadataPrefix + "params"    // the network's parameter count
	stateEpochs = MetadataPrefix + "epochs"    // Network.Epochs
	stateStep   = MetadataPrefix + "step"      // Adam's and AdamW's t
)

// state is what one optimizer saves: its kind, hyperparameters by name
// (PyTorch's: lr, momentum, weight_decay, beta1, beta2, eps), integers
// and buffers by tensor name (a nil buffer is not saved).
type state[T Float] struct {
	kind    string
	floats  map[string]*float64
	step    *int
	buffers map[string]*[]T
}

func (o *SGD[T]) state() state[T] {
	return state[T]{kind: "sgd",
		floats:  map[string]*float64{"lr": &o.LR, "momentum": &o.Momentum, "weight_decay": &o.WeightDecay},
		buffers: map[string]*[]T{"momentum_buffer": &o.buf}}
}

func adamState[T Float](kind string, lr, b1, b2, eps, wd *float64, m *moments[T]) state[T] {
	return state[T]{kind: kind,
		floats: map[string]*float64{"lr": lr, "beta1": b1, "beta2": b2, "eps": eps, "weight_decay": wd},
		step:   &m.t, buffers: map[string]*[]T{"exp_avg": &m.m, "exp_avg_sq": &m.v}}
}

func (o *Adam[T]) state() state[T] {
	return adamState("adam", &o.LR, &o.Beta1, &o.Beta2, &o.Eps, &o.WeightDecay, &o.moments)
}

func (o *AdamW[T]) state() state[T] {
	return adamState("adamw", &o.LR, &o.Beta1, &o.Beta2, &o.Eps, &o.WeightDecay, &o.moments)
}

// SaveState writes the optimizer's state and its network's epoch count to
// the file path (atomically, as Network.Save); see LoadState.
func (o *SGD[T]) SaveState(path string) error { return saveState(o.n, o.state(), path) }

// LoadState restores what SaveState wrote into o, which must be an SGD
// for a network of as many parameters: the hyperparameters, the velocity
// and the network's epoch count. It returns an error, changing nothing,
// for a file of another optimizer or size or one that is not a state file.
func (o *SGD[T]) LoadState(path string) error { return loadState(o.n, o.state(), path) }

// SaveState writes the optimizer's state and its network's epoch count to
// the file path (atomically, as Network.Save); see LoadState.
func (o *Adam[T]) SaveState(path string) error { return saveState(o.n, o.state(), path) }

// LoadState restores what SaveState wrote into o, which must be an Adam
// for a network of as many parameters: the hyperparameters, the step count,
// both moments and the network's epoch count. It returns an error, changing
// nothing, for a file of another optimizer or size or one that is not a
// state file.
func (o *Adam[T]) LoadState(path string) error { return loadState(o.n, o.state(), path) }

// SaveState writes the optimizer's state and its network's epoch count to
// the file path (atomically, as Network.Save); see LoadState.
func (o *AdamW[T]) SaveState(path string) error { return saveState(o.n, o.state(), path) }

// LoadState restores what SaveState wrote into o, as Adam's LoadState.
func (o *AdamW[T]) LoadState(path string) error { return loadState(o.n, o.state(), path) }

func saveState[T Float](n *Network[T], s state[T], path string) error {
	n.guard.read("SaveState")
	defer n.guard.done()
	return writeFile(path, "save state", func(w io.Writer) error { return encodeState(w, n, s) })
}

func encodeState[T Float](w io.Writer, n *Network[T], s state[T]) error {
	meta := map[string]string{
		metaVersion: formatVersion,
		stateKind:   s.kind,
		stateParams: strconv.Itoa(len(n.params)),
		stateEpochs: strconv.Itoa(n.epochs),
	}
	for k, v := range s.floats {
		meta[MetadataPrefix+k] = strconv.FormatFloat(*v, 'g', -1, 64) // exact
	}
	if s.step != nil {
		meta[stateStep] = strconv.Itoa(*s.step)
	}
	var tensors []safetensors.Tensor
	var data [][]T
	for _, name := range slices.Sorted(maps.Keys(s.buffers)) {
		if b := *s.buffers[name]; b != nil {
			tensors = append(tensors, safetensors.Tensor{Name: name, Dtype: safetensors.DtypeOf[T](), Shape: []uint64{uint64(len(b))}})
			data = append(data, b)
		}
	}
	if err := safetensors.WriteHeader(w, meta, tensors); err != nil {
		return err
	}
	buf := make([]byte, 1<<15)
	for _, d := range data {
		if err := safetensors.WriteFloats(w, d, buf); err != nil {
			return err
		}
	}
	return nil
}

func loadState[T Float](n *Network[T], s state[T], path string) error {
	f, size, err := openFile(path)
	if err != nil {
		return fmt.Errorf("nn: load state: %w", err)
	}
	defer f.Close()
	n.guard.write("LoadState")
	defer n.guard.unwrite()
	if err := decodeState(f, size, n, s); err != nil {
		return fmt.Errorf("nn: load state %s: %w", path, err)
	}
	return nil
}

// decodeState checks everything in the state file before it sets
// anything, so that an error leaves the optimizer and network unchanged.
func decodeState[T Float](r io.ReaderAt, size int64, n *Network[T], s state[T]) error {
	h, err := safetensors.ReadHeader(r, size)
	if err != nil {
		return err
	}
	meta := h.Metadata
	if kind, ok := meta[stateKind]; !ok {
		return fmt.Errorf("not an optimizer state: __metadata__ has no %q", stateKind)
	} else if kind != s.kind {
		return fmt.Errorf("the state of a %s optimizer, not of %s", kind, s.kind)
	}
	if v := meta[metaVersion]; v != formatVersion {
		return fmt.Errorf("format version %q, want %q", v, formatVersion)
	}
	integer := func(key string) (int, error) {
		v, err := strconv.Atoi(meta[key])
		if err != nil || v < 0 {
			return 0, fmt.Errorf("__metadata__ %q = %q, want an integer ≥ 0", key, meta[key])
		}
		return v, nil
	}
	params, err := integer(stateParams)
	if err != nil {
		return err
	}
	if params != len(n.params) {
		return fmt.Errorf("the state of a network of %d parameters, this one has %d", params, len(n.params))
	}
	epochs, err := integer(stateEpochs)
	if err != nil {
		return err
	}
	var step int
	if s.step != nil {
		if step, err = integer(stateStep); err != nil {
			return err
		}
	}
	floats := make(map[string]float64, len(s.floats))
	for k := range s.floats {
		key := MetadataPrefix + k
		v, err := strconv.ParseFloat(meta[key], 64)
		if err != nil {
			return fmt.Errorf("__metadata__ %q = %q, want a number", key, meta[key])
		}
		floats[k] = v
	}
	var spans []safetensors.Span
	for name, t := range h.Tensors {
		if _, ok := s.buffers[name]; !ok {
			return fmt.Errorf("unexpected tensor %q", name)
		}
		if len(t.Shape) != 1 || t.Shape[0] != uint64(params) {
			return fmt.Errorf("tensor %q: shape %v, want [%d]", name, t.Shape, params)
		}
		sp, err := h.Locate(name, t)
		if err != nil {
			return err
		}
		spans = append(spans, sp)
	}
	if err := h.CheckLayout(spans); err != nil {
		return err
	}
	if s.step != nil && len(spans) != len(s.buffers) {
		return fmt.Errorf("%d tensors, want %d (%v)", len(spans), len(s.buffers), slices.Sorted(maps.Keys(s.buffers)))
	}
	read := make(map[string][]T, len(spans))
	buf := make([]byte, min(h.DataLen, 1<<16))
	for _, sp := range spans {
		b := make([]T, params) // the file holds this many values: checked above
		if err := safetensors.ReadFloats(r, h, sp, b, buf); err != nil {
			return err
		}
		read[sp.Name] = b
	}

	// Everything checked: set it.
	for k, v := range floats {
		*s.floats[k] = v
	}
	if s.step != nil {
		*s.step = step
	}
	for name, dst := range s.buffers {
		if b, ok := read[name]; ok {
			if *dst == nil {
				*dst = b
			} else {
				copy(*dst, b)
			}
		} else {
			*dst = nil // an SGD that had taken no step with momentum
		}
	}
	n.epochs = epochs
	return nil
}
