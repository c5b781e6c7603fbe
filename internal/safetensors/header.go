package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxHeaderSize is the largest JSON header ReadHeader accepts, 100 MiB (as
// the reference implementation): a header length above it is an error, read
// from no input.
const MaxHeaderSize = 100 << 20

// TensorInfo is one tensor's entry in a header.
type TensorInfo struct {
	Dtype       string   `json:"dtype"`
	Shape       []uint64 `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"` // [begin, end), relative to the data
}

// Header is the parsed header of a safetensors input.
type Header struct {
	Metadata  map[string]string     // __metadata__, nil when the header has none
	Tensors   map[string]TensorInfo // every other member, by name
	DataStart int64                 // where the data starts in the input
	DataLen   uint64                // the bytes of data: all of the input after the header
}

// ReadHeader reads and parses the header of the safetensors input of size
// bytes in r. It checks the header length and the JSON; the tensors' byte
// ranges are checked by Locate and CheckLayout.
func ReadHeader(r io.ReaderAt, size int64) (*Header, error) {
	if size < 8 {
		return nil, fmt.Errorf("%d bytes is too short for the 8-byte header length", size)
	}
	var lenBuf [8]byte
	if err := readAt(r, lenBuf[:], 0); err != nil {
		return nil, err
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	switch {
	case hlen > MaxHeaderSize:
		return nil, fmt.Errorf("header length %d exceeds the limit of %d", hlen, MaxHeaderSize)
	case hlen > uint64(size-8):
		return nil, fmt.Errorf("header length %d exceeds the %d bytes that follow it", hlen, size-8)
	case hlen < 2:
		return nil, fmt.Errorf("header length %d is too short for a JSON object", hlen)
	}
	header := make([]byte, hlen)
	if err := readAt(r, header, 8); err != nil {
		return nil, err
	}
	h := &Header{DataStart: 8 + int64(hlen)}
	h.DataLen = uint64(size - h.DataStart)
	var err error
	if h.Metadata, h.Tensors, err = parseHeader(header); err != nil {
		return nil, err
	}
	return h, nil
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

// parseHeader parses a JSON header: one object whose members are the
// optional "__metadata__" (strings to strings) and the tensors.
func parseHeader(header []byte) (map[string]string, map[string]TensorInfo, error) {
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
	tensors := make(map[string]TensorInfo, len(members))
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
// white space allowed), into its members, rejecting duplicate keys:
// encoding/json would keep the last of them silently, and two readers of
// the same file could then see different tensors.
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
// and data_offsets, none of them null (encoding/json would leave a null
// field at its zero value, which could pass for an empty shape).
func parseTensorInfo(data json.RawMessage) (TensorInfo, error) {
	var t TensorInfo
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
