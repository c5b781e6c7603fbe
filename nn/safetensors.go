package nn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxHeaderSize is the largest safetensors JSON header Load accepts, 100 MiB
// (as the reference implementation): a header length above it is an error,
// read from no file.
const MaxHeaderSize = 100 << 20

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

// tensorInfo is one tensor's entry in a safetensors header.
type tensorInfo struct {
	Dtype       string   `json:"dtype"`
	Shape       []uint64 `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"`
}

// tensorNames returns the names of layer l's weight and bias tensors, the
// names a PyTorch module with an nn.ModuleList of nn.Linear called "layers"
// has.
func tensorNames(l int) (weight, bias string) {
	s := "layers." + strconv.Itoa(l)
	return s + ".weight", s + ".bias"
}

func dtypeName[T Float]() string {
	if dtypeSize[T]() == 4 {
		return "F32"
	}
	return "F64"
}

// Save writes the network to the file path in the safetensors format (see
// Encode). It writes a temporary file in the same directory and renames it
// to path once complete and synced, so that path holds either the old file
// or the whole new one, never a part.
func (n *Network[T]) Save(path string, metadata map[string]string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("nn: save: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("nn: save %s: %w", path, err)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := n.Encode(bw, metadata); err != nil {
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

// Encode writes the network to w in the safetensors format: an 8-byte
// little-endian header length, a JSON header padded with spaces to a
// multiple of 8 bytes, then the tensors "layers.<i>.weight" (shape
// [out, in], row-major) and "layers.<i>.bias" (shape [out]) as raw
// little-endian F32 or F64 values, in layer order and without gaps.
// The header's __metadata__ holds the architecture (under keys starting
// with MetadataPrefix) and the caller's metadata, whose keys must not start
// with MetadataPrefix; keys and values must be valid UTF-8.
func (n *Network[T]) Encode(w io.Writer, metadata map[string]string) error {
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

	var h bytes.Buffer
	h.WriteString(`{"__metadata__":`)
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	h.Write(mj)
	size := uint64(dtypeSize[T]())
	var off uint64
	for i, l := range n.layers {
		wn, bn := tensorNames(i)
		for _, t := range []struct {
			name  string
			shape []uint64
		}{
			{wn, []uint64{uint64(l.out), uint64(l.in)}},
			{bn, []uint64{uint64(l.out)}},
		} {
			numel := t.shape[0]
			if len(t.shape) == 2 {
				numel *= t.shape[1]
			}
			tj, err := json.Marshal(tensorInfo{dtypeName[T](), t.shape, []uint64{off, off + numel*size}})
			if err != nil {
				return err
			}
			fmt.Fprintf(&h, ",%q:%s", t.name, tj)
			off += numel * size
		}
	}
	h.WriteByte('}')
	for (8+h.Len())%8 != 0 {
		h.WriteByte(' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(h.Len()))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return err
	}
	if _, err := w.Write(h.Bytes()); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<15)
	for _, l := range n.layers {
		for _, t := range [][]T{l.w, l.b} {
			for len(t) > 0 {
				k := min(len(t), cap(buf)/int(size))
				buf = buf[:0]
				for _, v := range t[:k] {
					if size == 4 {
						buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
					} else {
						buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(v)))
					}
				}
				if _, err := w.Write(buf); err != nil {
					return err
				}
				t = t[k:]
			}
		}
	}
	return nil
}

// Load reads a network saved by Save (or any safetensors file with the same
// tensors and metadata) from the file path; see Decode.
func Load[T Float](path string) (*Network[T], map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("nn: load %s: not a regular file", path)
	}
	n, meta, err := decode[T](f, st.Size())
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
// each tensor's name, dtype ("F32" or "F64"; either is converted to T),
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
	if size < 8 {
		return nil, nil, fmt.Errorf("%d bytes is too short for the 8-byte header length", size)
	}
	var lenBuf [8]byte
	if err := readAt(r, lenBuf[:], 0); err != nil {
		return nil, nil, err
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	switch {
	case hlen > MaxHeaderSize:
		return nil, nil, fmt.Errorf("header length %d exceeds the limit of %d", hlen, MaxHeaderSize)
	case hlen > uint64(size-8):
		return nil, nil, fmt.Errorf("header length %d exceeds the %d bytes that follow it", hlen, size-8)
	case hlen < 2:
		return nil, nil, fmt.Errorf("header length %d is too short for a JSON object", hlen)
	}
	header := make([]byte, hlen)
	if err := readAt(r, header, 8); err != nil {
		return nil, nil, err
	}
	dataStart := 8 + int64(hlen)
	dataLen := uint64(size - dataStart)

	meta, tensors, err := parseHeader(header)
	if err != nil {
		return nil, nil, err
	}
	arch, user, err := parseMetadata(meta)
	if err != nil {
		return nil, nil, err
	}
	L := len(arch.Activations)
	if len(tensors) != 2*L {
		for name := range tensors {
			if !expectedTensor(name, L) {
				return nil, nil, fmt.Errorf("unexpected tensor %q", name)
			}
		}
		return nil, nil, fmt.Errorf("%d tensors for %d layers, want %d", len(tensors), L, 2*L)
	}

	// Check every tensor against the architecture and the data size.
	type span struct {
		name       string
		begin, end uint64
		f64        bool
	}
	spans := make([]span, 0, 2*L)
	for l := range L {
		in, out := uint64(arch.Sizes[l]), uint64(arch.Sizes[l+1])
		wn, bn := tensorNames(l)
		for _, want := range []struct {
			name  string
			shape []uint64
		}{{wn, []uint64{out, in}}, {bn, []uint64{out}}} {
			t, ok := tensors[want.name]
			if !ok {
				return nil, nil, fmt.Errorf("missing tensor %q", want.name)
			}
			var dsize uint64
			switch t.Dtype {
			case "F32":
				dsize = 4
			case "F64":
				dsize = 8
			default:
				return nil, nil, fmt.Errorf("tensor %q: dtype %q, want F32 or F64", want.name, t.Dtype)
			}
			if !slices.Equal(t.Shape, want.shape) {
				return nil, nil, fmt.Errorf("tensor %q: shape %v, want %v for architecture %v", want.name, t.Shape, want.shape, arch)
			}
			if len(t.DataOffsets) != 2 {
				return nil, nil, fmt.Errorf("tensor %q: data_offsets %v, want [begin, end]", want.name, t.DataOffsets)
			}
			begin, end := t.DataOffsets[0], t.DataOffsets[1]
			numel := out // ≤ 2³⁰ each, so no product below overflows
			if len(want.shape) == 2 {
				numel *= in
			}
			if begin > end || end > dataLen {
				return nil, nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] outside the %d bytes of data", want.name, begin, end, dataLen)
			}
			if end-begin != numel*dsize {
				return nil, nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] hold %d bytes, want %d for shape %v %s",
					want.name, begin, end, end-begin, numel*dsize, t.Shape, t.Dtype)
			}
			spans = append(spans, span{want.name, begin, end, dsize == 8})
		}
	}
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b span) int {
		switch {
		case a.begin < b.begin:
			return -1
		case a.begin > b.begin:
			return 1
		}
		return 0
	})
	var pos uint64
	for _, s := range sorted {
		switch {
		case s.begin < pos:
			return nil, nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap the previous tensor, which ends at %d", s.name, s.begin, s.end, pos)
		case s.begin > pos:
			return nil, nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap after byte %d", s.name, s.begin, s.end, pos)
		}
		pos = s.end
	}
	if pos != dataLen {
		return nil, nil, fmt.Errorf("the tensors end at byte %d of the data, but the file holds %d bytes of data", pos, dataLen)
	}

	// Every tensor lies inside the file: the network is no larger than it.
	n, err := newNetwork[T](arch)
	if err != nil {
		return nil, nil, err
	}
	buf := make([]byte, min(dataLen, 1<<16))
	for i, s := range spans {
		l := &n.layers[i/2]
		dst := l.w
		if i%2 == 1 {
			dst = l.b
		}
		if err := readTensor(r, dataStart+int64(s.begin), s.f64, dst, buf); err != nil {
			return nil, nil, fmt.Errorf("tensor %q: %w", s.name, err)
		}
	}
	return n, user, nil
}

// readTensor reads len(dst) little-endian F32 or F64 values at offset off of
// r into dst, converting them to T, through buf.
func readTensor[T Float](r io.ReaderAt, off int64, f64 bool, dst []T, buf []byte) error {
	size := 4
	if f64 {
		size = 8
	}
	per := len(buf) / size
	for len(dst) > 0 {
		k := min(len(dst), per)
		b := buf[:k*size]
		if err := readAt(r, b, off); err != nil {
			return err
		}
		for j := range dst[:k] {
			if f64 {
				dst[j] = T(math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:])))
			} else {
				dst[j] = T(math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:])))
			}
		}
		dst, off = dst[k:], off+int64(len(b))
	}
	return nil
}

// readAt fills p from offset off of r.
func readAt(r io.ReaderAt, p []byte, off int64) error {
	k, err := r.ReadAt(p, off)
	if k == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading %d bytes at offset %d: %w", len(p), off, err)
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

// parseHeader parses a safetensors JSON header: one object whose members are
// the optional "__metadata__" (strings to strings) and the tensors.
func parseHeader(header []byte) (map[string]string, map[string]tensorInfo, error) {
	if !utf8.Valid(header) {
		return nil, nil, errors.New("header is not valid UTF-8")
	}
	if header[0] != '{' {
		return nil, nil, errors.New("header does not start with '{'")
	}
	members, err := object(header)
	if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	var meta map[string]string
	tensors := make(map[string]tensorInfo, len(members))
	for _, m := range members {
		if m.key == "__metadata__" {
			if meta, err = stringMap(m.value); err != nil {
				return nil, nil, fmt.Errorf("__metadata__: %w", err)
			}
			continue
		}
		t, err := parseTensorInfo(m.value)
		if err != nil {
			return nil, nil, fmt.Errorf("tensor %q: %w", m.key, err)
		}
		tensors[m.key] = t
	}
	return meta, tensors, nil
}

// member is one key and value of a JSON object.
type member struct {
	key   string
	value json.RawMessage
}

// object parses data, which must be exactly one JSON object (surrounding
// white space allowed), into its members, rejecting duplicate keys.
func object(data []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, fmt.Errorf("%v is not an object", tok)
	}
	var members []member
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is not a string", tok)
		}
		if seen[key] {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		members = append(members, member{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the end of the object")
	}
	return members, nil
}

// stringMap parses a JSON object whose values are all strings.
func stringMap(data json.RawMessage) (map[string]string, error) {
	members, err := object(data)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(members))
	for _, mb := range members {
		v := bytes.TrimSpace(mb.value)
		if len(v) == 0 || v[0] != '"' {
			return nil, fmt.Errorf("%q: value %.40s is not a string", mb.key, v)
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("%q: %w", mb.key, err)
		}
		m[mb.key] = s
	}
	return m, nil
}

// parseTensorInfo parses one tensor entry: exactly the members dtype, shape
// and data_offsets.
func parseTensorInfo(data json.RawMessage) (tensorInfo, error) {
	var t tensorInfo
	members, err := object(data)
	if err != nil {
		return t, err
	}
	for _, m := range members {
		var dst any
		switch m.key {
		case "dtype":
			dst = &t.Dtype
		case "shape":
			dst = &t.Shape
		case "data_offsets":
			dst = &t.DataOffsets
		default:
			return t, fmt.Errorf("unknown field %q", m.key)
		}
		if v := bytes.TrimSpace(m.value); bytes.Equal(v, []byte("null")) {
			return t, fmt.Errorf("%s is null", m.key)
		}
		if err := json.Unmarshal(m.value, dst); err != nil {
			return t, fmt.Errorf("%s: %w", m.key, err)
		}
	}
	if len(members) != 3 {
		return t, errors.New("want the fields dtype, shape and data_offsets")
	}
	return t, nil
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
