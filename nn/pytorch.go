package nn

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/simdnn/simdnn/internal/safetensors"
)

// PyTorch's own layout: the state_dict of a torch.nn.Sequential of Linear
// layers and activation modules, as safetensors' save_file writes it,
//
//	model = torch.nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
//	save_file(model.state_dict(), "model.safetensors")   # 0.weight, 0.bias, 2.weight, 2.bias
//
// names each Linear by its index in the Sequential, "<i>.weight" (shape
// [out, in]) and "<i>.bias" ([out]), and records no architecture: the
// activations are modules without parameters. LoadPyTorch therefore takes
// the Architecture and pairs the Linear layers with it in index order;
// SavePyTorch writes the names of the Sequential that puts one activation
// module after each Linear whose activation is not Identity.

// LoadPyTorch reads the network of architecture arch from the safetensors
// file path holding a torch.nn.Sequential's state_dict; see DecodePyTorch.
func LoadPyTorch[T Float](path string, arch Architecture) (*Network[T], map[string]string, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load PyTorch: %w", err)
	}
	defer f.Close()
	n, meta, err := decodePyTorch[T](f, size, arch)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load PyTorch %s: %w", path, err)
	}
	return n, meta, nil
}

// DecodePyTorch reads a network of architecture arch from the safetensors
// data of size bytes in r, a torch.nn.Sequential's state_dict: the tensors
// "<i>.weight" and "<i>.bias" of each Linear module, the modules in
// increasing i (the gaps between them being the activations), one per
// layer of arch, of dtype F32, F64, F16 or BF16 (converted to T; F16 and
// BF16 exactly). It returns the file's __metadata__ (nil if it has none)
// without the keys starting with MetadataPrefix; when the file has an
// architecture there (SavePyTorch writes one), it must be arch.
//
// It checks the file as Decode does, and returns an error naming the
// tensor for a name that is not "<i>.weight" or "<i>.bias", a Linear
// without its weight or bias, a count of layers other than arch's, or a
// shape that does not fit arch.
func DecodePyTorch[T Float](r io.ReaderAt, size int64, arch Architecture) (*Network[T], map[string]string, error) {
	n, meta, err := decodePyTorch[T](r, size, arch)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: PyTorch safetensors: %w", err)
	}
	return n, meta, nil
}

func decodePyTorch[T Float](r io.ReaderAt, size int64, arch Architecture) (*Network[T], map[string]string, error) {
	if err := arch.validate(); err != nil {
		return nil, nil, err
	}
	h, err := safetensors.ReadHeader(r, size)
	if err != nil {
		return nil, nil, err
	}
	var user map[string]string
	if _, ok := h.Metadata[metaSizes]; ok {
		fileArch, u, err := parseMetadata(h.Metadata)
		if err != nil {
			return nil, nil, err
		}
		if fileArch.String() != arch.String() {
			return nil, nil, fmt.Errorf("the file's architecture %v is not the one given, %v", fileArch, arch)
		}
		user = u
	} else if h.Metadata != nil {
		user = h.Metadata
	}

	// The Linear modules' indices, in order.
	seen := make(map[int][2]bool)
	for name := range h.Tensors {
		i, kind, ok := sequentialName(name)
		if !ok {
			return nil, nil, fmt.Errorf("unexpected tensor %q: want <i>.weight and <i>.bias of a torch.nn.Sequential's Linear modules", name)
		}
		s := seen[i]
		s[kind] = true
		seen[i] = s
	}
	indices := make([]int, 0, len(seen))
	for i, s := range seen {
		if !s[0] || !s[1] {
			missing := "weight"
			if s[0] {
				missing = "bias"
			}
			return nil, nil, fmt.Errorf("module %d has no tensor %q (each Linear needs its weight and bias)", i, strconv.Itoa(i)+"."+missing)
		}
		indices = append(indices, i)
	}
	slices.Sort(indices)
	if len(indices) != len(arch.Activations) {
		return nil, nil, fmt.Errorf("the file has %d Linear modules, %v has %d layers", len(indices), arch, len(arch.Activations))
	}
	n, err := readLayers[T](r, h, arch, func(l int) (string, string) {
		s := strconv.Itoa(indices[l])
		return s + ".weight", s + ".bias"
	})
	if err != nil {
		return nil, nil, err
	}
	return n, user, nil
}

// sequentialName parses "<i>.weight" (kind 0) and "<i>.bias" (kind 1), i a
// decimal index without sign or leading zeros.
func sequentialName(name string) (i, kind int, ok bool) {
	idx, param, found := strings.Cut(name, ".")
	switch {
	case !found:
		return 0, 0, false
	case param == "weight":
	case param == "bias":
		kind = 1
	default:
		return 0, 0, false
	}
	if idx == "" || len(idx) > 9 || (idx[0] == '0' && len(idx) > 1) {
		return 0, 0, false
	}
	for _, c := range idx {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
	}
	i, _ = strconv.Atoi(idx)
	return i, kind, true
}

// sequentialIndices returns the index of each layer's Linear module in the
// torch.nn.Sequential SavePyTorch describes: each Linear followed by its
// activation module, none for Identity.
func sequentialIndices(acts []Activation) []int {
	idx := make([]int, len(acts))
	next := 0
	for l, h := range acts {
		idx[l] = next
		next++
		if h != Identity {
			next++
		}
	}
	return idx
}

// SavePyTorch writes the network to the file path as EncodePyTorch does,
// atomically as Save.
func (n *Network[T]) SavePyTorch(path string, metadata map[string]string) error {
	return writeFile(path, "save PyTorch", func(w io.Writer) error { return n.EncodePyTorch(w, metadata) })
}

// EncodePyTorch writes the network to w as the safetensors state_dict of
// the torch.nn.Sequential that has, for each layer, an nn.Linear and then
// its activation module (nn.ReLU(), nn.Sigmoid() or nn.Tanh(); none for
// Identity):
// for 784-256(relu)-10(identity) the tensors "0.weight", "0.bias",
// "2.weight" and "2.bias", loadable with
//
//	model.load_state_dict(safetensors.torch.load_file(path))
//
// The metadata holds the architecture and the caller's metadata, as
// Encode's (PyTorch ignores it; LoadPyTorch checks it).
func (n *Network[T]) EncodePyTorch(w io.Writer, metadata map[string]string) error {
	n.guard.read("EncodePyTorch")
	defer n.guard.done()
	idx := sequentialIndices(n.arch.Activations)
	return n.encode(w, metadata, func(l int) (string, string) {
		s := strconv.Itoa(idx[l])
		return s + ".weight", s + ".bias"
	})
}
