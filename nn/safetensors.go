package nn

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/simdnn/simdnn/internal/safetensors"
)

// MaxHeaderSize is the largest safetensors JSON header Load accepts, 100 MiB
// (as the reference implementation): a header length above it is an error,
// read from no file.
const MaxHeaderSize = safetensors.MaxHeaderSize

// The keys of the architecture in a file's __metadata__. Caller metadata may
// use any other key that does not start with MetadataPrefix.
const (
	// MetadataPrefix starts every key this package stores in __metadata__.
	MetadataPrefix = "simdnn."

	metaVersion     = MetadataPrefix + "version"     // "1"
	metaSizes       = MetadataPrefix + "sizes"       // "784,256,10"
	metaActivations = MetadataPrefix + "activations" // "relu,identity"
	metaLoss        = MetadataPrefix + "loss"        // "softmax_cross_entropy"

	formatVersion = "1"
)

// tensorNames returns the names of layer l's weight and bias tensors, the
// names a PyTorch module with an nn.ModuleList of nn.Linear called "layers"
// has.
func tensorNames(l int) (weight, bias string) {
	s := "layers." + strconv.Itoa(l)
	return s + ".weight", s + ".bias"
}

// Save writes the network to the file path in the safetensors format (see
// Encode). It writes a temporary file in the same directory and renames it
// to path once complete and synced, so that path holds either the old file
// or the whole new one, never a part.
func (n *Network[T]) Save(path string, metadata map[string]string) error {
	return writeFile(path, "save", func(w io.Writer) error { return n.Encode(w, metadata) })
}

// writeFile writes what encode writes to the file path atomically: into a
// temporary file in the same directory, synced, then renamed to path. Its
// errors start with "nn: " and what (save, say).
func writeFile(path, what string, encode func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("nn: %s: %w", what, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("nn: %s %s: %w", what, path, err)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := encode(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable where the OS allows
		d.Sync()
		d.Close()
	}
	return nil
}

// openFile opens the regular file path for a decoder and returns it with
// its size; the caller closes it.
func openFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: not a regular file", path)
	}
	return f, st.Size(), nil
}

// Encode writes the network to w in the safetensors format: an 8-byte
// little-endian header length, a JSON header padded with spaces to a
// multiple of 8 bytes, then the tensors "layers.<i>.weight" (shape
// [out, in], row-major) and "layers.<i>.bias" (shape [out]) as raw
// little-endian F32 or F64 values, in layer order and without gaps.
// The header's __metadata__ holds the architecture (under keys starting
// with MetadataPrefix) and the caller's metadata, whose keys must not start
// with MetadataPrefix; keys and values must be valid UTF-8.
func (n *Network[T]) Encode(w io.Writer, metadata map[string]string) error {
	n.guard.read("Encode")
	defer n.guard.done()
	return n.encode(w, metadata, tensorNames)
}

// encode is Encode with the tensors of layer l named names(l).
func (n *Network[T]) encode(w io.Writer, metadata map[string]string, names func(l int) (weight, bias string)) error {
	meta := make(map[string]string, len(metadata)+4)
	for k, v := range metadata {
		if strings.HasPrefix(k, MetadataPrefix) {
			return fmt.Errorf("nn: metadata key %q: the prefix %q is reserved", k, MetadataPrefix)
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("nn: metadata key %q: key and value must be valid UTF-8", k)
		}
		meta[k] = v
	}
	acts := make([]string, len(n.layers))
	sizes := make([]string, len(n.arch.Sizes))
	for i, s := range n.arch.Sizes {
		sizes[i] = strconv.Itoa(s)
	}
	for i, l := range n.layers {
		acts[i] = l.act.String()
	}
	meta[metaVersion] = formatVersion
	meta[metaSizes] = strings.Join(sizes, ",")
	meta[metaActivations] = strings.Join(acts, ",")
	meta[metaLoss] = n.arch.Loss.String()

	tensors := make([]safetensors.Tensor, 0, 2*len(n.layers))
	for i, l := range n.layers {
		wn, bn := names(i)
		tensors = append(tensors,
			safetensors.Tensor{Name: wn, Dtype: safetensors.DtypeOf[T](), Shape: []uint64{uint64(l.out), uint64(l.in)}},
			safetensors.Tensor{Name: bn, Dtype: safetensors.DtypeOf[T](), Shape: []uint64{uint64(l.out)}})
	}
	if err := safetensors.WriteHeader(w, meta, tensors); err != nil {
		return err
	}
	buf := make([]byte, 1<<15)
	for _, l := range n.layers {
		for _, t := range [][]T{l.w, l.b} {
			if err := safetensors.WriteFloats(w, t, buf); err != nil {
				return err
			}
		}
	}
	return nil
}

// Load reads a network saved by Save (or any safetensors file with the same
// tensors and metadata) from the file path; see Decode.
func Load[T Float](path string) (*Network[T], map[string]string, error) {
	f, size, err := openFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load: %w", err)
	}
	defer f.Close()
	n, meta, err := decode[T](f, size)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load %s: %w", path, err)
	}
	return n, meta, nil
}

// Decode reads a network from the safetensors data of size bytes in r and
// returns it with the caller metadata Encode stored (the __metadata__ entries
// outside MetadataPrefix).
//
// It checks everything before it trusts it: the header length against
// MaxHeaderSize and the data size, the header's UTF-8 and JSON (one object,
// no duplicate keys, no unknown fields), the architecture in __metadata__,
// each tensor's name, dtype ("F32", "F64", "F16" or "BF16", converted to T:
// exactly, but for F64 into float32, which rounds),
// shape (against the architecture) and data_offsets (inside the data, of the
// size the shape and dtype give, and together covering the data exactly,
// without gaps or overlap, as the format requires). Nothing is allocated from
// a size in the file before it has been checked against size, so a small
// hostile input cannot make Decode allocate much. Errors are returned, never
// panics.
func Decode[T Float](r io.ReaderAt, size int64) (*Network[T], map[string]string, error) {
	n, meta, err := decode[T](r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: safetensors: %w", err)
	}
	return n, meta, nil
}

func decode[T Float](r io.ReaderAt, size int64) (*Network[T], map[string]string, error) {
	h, err := safetensors.ReadHeader(r, size)
	if err != nil {
		return nil, nil, err
	}
	arch, user, err := parseMetadata(h.Metadata)
	if err != nil {
		return nil, nil, err
	}
	L := len(arch.Activations)
	if len(h.Tensors) != 2*L {
		for name := range h.Tensors {
			if !expectedTensor(name, L) {
				return nil, nil, fmt.Errorf("unexpected tensor %q", name)
			}
		}
		return nil, nil, fmt.Errorf("%d tensors for %d layers, want %d", len(h.Tensors), L, 2*L)
	}

	n, err := readLayers[T](r, h, arch, tensorNames)
	if err != nil {
		return nil, nil, err
	}
	return n, user, nil
}

// readLayers checks every layer's weight and bias tensor, named by names,
// against arch and the data size, in layer order (weight, then bias), and
// then reads them into a new network of architecture arch, converting each
// element to T.
func readLayers[T Float](r io.ReaderAt, h *safetensors.Header, arch Architecture, names func(l int) (weight, bias string)) (*Network[T], error) {
	L := len(arch.Activations)
	spans := make([]safetensors.Span, 0, 2*L)
	for l := range L {
		in, out := uint64(arch.Sizes[l]), uint64(arch.Sizes[l+1])
		wn, bn := names(l)
		for _, want := range []struct {
			name  string
			shape []uint64
		}{{wn, []uint64{out, in}}, {bn, []uint64{out}}} {
			t, ok := h.Tensors[want.name]
			if !ok {
				return nil, fmt.Errorf("missing tensor %q", want.name)
			}
			// The dtype before the shape, then the offsets: Locate checks
			// the dtype again, but the first error a file has is the one
			// reported.
			if _, err := safetensors.DtypeSize(t.Dtype); err != nil {
				return nil, fmt.Errorf("tensor %q: %w", want.name, err)
			}
			if !slices.Equal(t.Shape, want.shape) {
				return nil, fmt.Errorf("tensor %q: shape %v, want %v for architecture %v", want.name, t.Shape, want.shape, arch)
			}
			s, err := h.Locate(want.name, t)
			if err != nil {
				return nil, err
			}
			spans = append(spans, s)
		}
	}
	if err := h.CheckLayout(spans); err != nil {
		return nil, err
	}

	// Every tensor lies inside the file: the network is no larger than it.
	n, err := newNetwork[T](arch)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, min(h.DataLen, 1<<16))
	for i, s := range spans {
		l := &n.layers[i/2]
		dst := l.w
		if i%2 == 1 {
			dst = l.b
		}
		if err := safetensors.ReadFloats(r, h, s, dst, buf); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// expectedTensor reports whether name is one of the tensors of an L-layer
// network.
func expectedTensor(name string, L int) bool {
	for l := range L {
		if w, b := tensorNames(l); name == w || name == b {
			return true
		}
	}
	return false
}

// parseMetadata reads the architecture from a file's __metadata__ and returns
// it with the remaining (caller) entries.
func parseMetadata(meta map[string]string) (Architecture, map[string]string, error) {
	var arch Architecture
	if _, ok := meta[metaSizes]; !ok {
		return arch, nil, fmt.Errorf("not a simdnn network: __metadata__ has no %q", metaSizes)
	}
	user := make(map[string]string)
	for k, v := range meta {
		if !strings.HasPrefix(k, MetadataPrefix) {
			user[k] = v
			continue
		}
		var err error
		switch k {
		case metaVersion:
			if v != formatVersion {
				err = fmt.Errorf("format version %q, want %q", v, formatVersion)
			}
		case metaSizes:
			parts := strings.Split(v, ",")
			if len(parts) > maxLayers+1 {
				err = fmt.Errorf("%d sizes, want at most %d", len(parts), maxLayers+1)
				break
			}
			arch.Sizes = make([]int, len(parts))
			for i, p := range parts {
				if arch.Sizes[i], err = strconv.Atoi(p); err != nil {
					break
				}
			}
		case metaActivations:
			parts := strings.Split(v, ",")
			if len(parts) > maxLayers {
				err = fmt.Errorf("%d activations, want at most %d", len(parts), maxLayers)
				break
			}
			arch.Activations = make([]Activation, len(parts))
			for i, p := range parts {
				if arch.Activations[i], err = parseActivation(p); err != nil {
					break
				}
			}
		case metaLoss:
			arch.Loss, err = parseLoss(v)
		default:
			err = errors.New("unknown key")
		}
		if err != nil {
			return arch, nil, fmt.Errorf("__metadata__ %q: %w", k, err)
		}
	}
	for _, k := range []string{metaVersion, metaActivations, metaLoss} {
		if _, ok := meta[k]; !ok {
			return arch, nil, fmt.Errorf("__metadata__ has no %q", k)
		}
	}
	if err := arch.validate(); err != nil {
		return arch, nil, err
	}
	return arch, user, nil
}
