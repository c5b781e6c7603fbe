package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/simdnn/simdnn/internal/digits"
)

// builtinDigits is the -data value that selects the embedded digits data.
const builtinDigits = "digits"

// dataset is a table of numeric features with an optional integer label per
// row, as read from a CSV file with a header line.
type dataset struct {
	name     string    // where it came from, for messages
	features []string  // feature column names, in order
	x        []float64 // rows×len(features), row-major
	labels   []int     // one per row; nil when the file has no label column
	label    string    // the label column's name
	// train and test hold a fixed split of the rows, when the data come with
	// one (the built-in digits); nil otherwise.
	train, test []int
}

func (d *dataset) rows() int { return len(d.x) / max(1, len(d.features)) }

// inputError is bad input from the user: a flag value, a data file, a model
// file. The command prints it on one line and exits with status 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error {
	return inputError{fmt.Errorf(format, args...)}
}

// loadData reads the data named by the -data flag: the built-in digits or a
// CSV file. labelSpec names the label column (a name, or a 0-based index);
// "" means "label" if the file has such a column, else no label.
// needLabel makes a missing label column an error.
func loadData(source, labelSpec string, needLabel bool) (*dataset, error) {
	if source == builtinDigits {
		return loadDigits()
	}
	raw, err := os.ReadFile(source)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return parseCSV(source, raw, labelSpec, needLabel)
}

func loadDigits() (*dataset, error) {
	raw, err := digits.CSV()
	if err != nil {
		return nil, err
	}
	d, err := parseCSV("digits", raw, "label", true)
	if err != nil {
		return nil, err
	}
	split, err := digits.Load()
	if err != nil {
		return nil, err
	}
	d.train, d.test = split.Train, split.Test
	return d, nil
}

// parseCSV parses a CSV file with a header line. Every cell but the label's
// must be a finite number; the label must be a non-negative integer.
func parseCSV(name string, raw []byte, labelSpec string, needLabel bool) (*dataset, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, badInput("%s: empty file, want a header line and data rows", name)
	}
	if err != nil {
		return nil, badInput("%s: %v", name, csvError(err))
	}
	header = append([]string(nil), header...)
	labelCol, err := findLabel(name, header, labelSpec)
	if err != nil {
		return nil, err
	}
	if labelCol < 0 && needLabel {
		return nil, badInput("%s: no label column (name it with -label)", name)
	}
	d := &dataset{name: name}
	for i, h := range header {
		if i == labelCol {
			d.label = h
			continue
		}
		d.features = append(d.features, h)
	}
	if len(d.features) == 0 {
		return nil, badInput("%s: no feature columns besides the label", name)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badInput("%s: %v", name, csvError(err))
		}
		line, _ := r.FieldPos(0)
		for i, cell := range rec {
			if i == labelCol {
				label, err := strconv.Atoi(strings.TrimSpace(cell))
				if err != nil || label < 0 {
					return nil, badInput("%s:%d: column %d (%s): label %q is not a non-negative integer", name, line, i+1, header[i], cell)
				}
				d.labels = append(d.labels, label)
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
			if err != nil {
				return nil, badInput("%s:%d: column %d (%s): %q is not a number", name, line, i+1, header[i], cell)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, badInput("%s:%d: column %d (%s): %q is not a finite number", name, line, i+1, header[i], cell)
			}
			d.x = append(d.x, v)
		}
	}
	if d.rows() == 0 {
		return nil, badInput("%s: no data rows after the header", name)
	}
	return d, nil
}

// findLabel returns the index of the label column, or -1 when spec is ""
// and there is no column named "label".
func findLabel(name string, header []string, spec string) (int, error) {
	if spec == "" {
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), "label") {
				return i, nil
			}
		}
		return -1, nil
	}
	for i, h := range header {
		if strings.TrimSpace(h) == spec {
			return i, nil
		}
	}
	if i, err := strconv.Atoi(spec); err == nil {
		if i < 0 || i >= len(header) {
			return 0, badInput("%s: label column %d out of range: the header has %d columns", name, i, len(header))
		}
		return i, nil
	}
	return 0, badInput("%s: no column %q in the header", name, spec)
}

// csvError makes encoding/csv's errors read as "line N: …".
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("line %d: wrong number of fields (every row needs as many as the header)", pe.Line)
		}
		return fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err
}

// subset returns the rows of d at the given indices.
func (d *dataset) subset(rows []int) (x []float64, labels []int) {
	f := len(d.features)
	x = make([]float64, 0, len(rows)*f)
	for _, r := range rows {
		x = append(x, d.x[r*f:(r+1)*f]...)
		if d.labels != nil {
			labels = append(labels, d.labels[r])
		}
	}
	return x, labels
}

// standardizer maps each feature to (v − mean)/std with statistics from the
// training rows; a constant feature keeps std 1.
type standardizer struct {
	mean, std []float64
}

func fitStandardizer(x []float64, features int) standardizer {
	s := standardizer{mean: make([]float64, features), std: make([]float64, features)}
	rows := len(x) / features
	for r := 0; r < rows; r++ {
		for j := range features {
			s.mean[j] += x[r*features+j]
		}
	}
	for j := range s.mean {
		s.mean[j] /= float64(rows)
	}
	for r := 0; r < rows; r++ {
		for j := range features {
			d := x[r*features+j] - s.mean[j]
			s.std[j] += d * d
		}
	}
	for j := range s.std {
		s.std[j] = math.Sqrt(s.std[j] / float64(rows))
		if s.std[j] == 0 {
			s.std[j] = 1
		}
	}
	return s
}

// apply returns the standardized rows as float32, the network's type.
func (s standardizer) apply(x []float64) []float32 {
	f := len(s.mean)
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32((v - s.mean[i%f]) / s.std[i%f])
	}
	return out
}
