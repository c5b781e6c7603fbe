// Package digits holds simdnn's built-in data set, the UCI "Optical
// Recognition of Handwritten Digits" data in the copy scikit-learn bundles
// (1797 images of 8×8 pixels with values 0–16, labels 0–9), together with the
// fixed stratified 75/25 train/test split every simdnn figure is measured on.
//
// The files are embedded, gzip-compressed, so programs and tests never read
// anything outside the module at run time. See README.md in this directory for
// their source and licence: E. Alpaydin and C. Kaynak, Boğaziçi University,
// 1998, CC BY 4.0 (UCI Machine Learning Repository); the scikit-learn copy is
// distributed under BSD-3-Clause.
package digits

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The shape of the data set.
const (
	Samples  = 1797 // images
	Features = 64   // pixels per image, row by row, each an integer in [0, 16]
	Classes  = 10   // the digits 0–9
	Train    = 1347 // rows in the training part of the split
	Test     = 450  // rows in the test part of the split
)

var (
	//go:embed digits.csv.gz
	csvGz []byte
	//go:embed digits_split_train.txt.gz
	trainGz []byte
	//go:embed digits_split_test.txt.gz
	testGz []byte
)

// Data is the whole data set and its split.
type Data struct {
	// X holds the pixels, Samples×Features row-major: X[i*Features+j] is
	// pixel j (row j/8, column j%8) of image i.
	X []float64
	// Labels holds the digit shown by each image.
	Labels []int
	// Train and Test are the 0-based row indices of the fixed split, in
	// increasing order; together they hold every row exactly once.
	Train, Test []int
}

// Load decompresses and parses the embedded data. Each call returns a fresh
// copy that the caller may modify.
func Load() (*Data, error) {
	d := &Data{}
	var err error
	if d.X, d.Labels, err = parseCSV(csvGz); err != nil {
		return nil, fmt.Errorf("digits: digits.csv: %w", err)
	}
	if d.Train, err = parseSplit(trainGz, Train); err != nil {
		return nil, fmt.Errorf("digits: digits_split_train.txt: %w", err)
	}
	if d.Test, err = parseSplit(testGz, Test); err != nil {
		return nil, fmt.Errorf("digits: digits_split_test.txt: %w", err)
	}
	seen := make([]bool, Samples)
	for _, i := range append(append([]int(nil), d.Train...), d.Test...) {
		if seen[i] {
			return nil, fmt.Errorf("digits: row %d is in the split twice", i)
		}
		seen[i] = true
	}
	return d, nil
}

// Rows returns the pixels and labels of the given rows, in that order: x is
// len(rows)×Features row-major.
func (d *Data) Rows(rows []int) (x []float64, labels []int) {
	x = make([]float64, 0, len(rows)*Features)
	labels = make([]int, 0, len(rows))
	for _, r := range rows {
		x = append(x, d.X[r*Features:(r+1)*Features]...)
		labels = append(labels, d.Labels[r])
	}
	return x, labels
}

// CSV returns the decompressed CSV file: a header line (pixel_0_0, …,
// pixel_7_7, label), then one line per image.
func CSV() ([]byte, error) {
	return gunzip(csvGz)
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func parseCSV(gz []byte) (x []float64, labels []int, err error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = Features + 1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	if header[Features] != "label" {
		return nil, nil, fmt.Errorf("last column is %q, want label", header[Features])
	}
	x = make([]float64, 0, Samples*Features)
	labels = make([]int, 0, Samples)
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		for j, cell := range rec {
			v, err := strconv.Atoi(cell)
			if err != nil {
				return nil, nil, fmt.Errorf("line %d, column %d: %w", line, j+1, err)
			}
			if j == Features {
				if v < 0 || v >= Classes {
					return nil, nil, fmt.Errorf("line %d: label %d out of range", line, v)
				}
				labels = append(labels, v)
				continue
			}
			if v < 0 || v > 16 {
				return nil, nil, fmt.Errorf("line %d, column %d: pixel %d out of range", line, j+1, v)
			}
			x = append(x, float64(v))
		}
	}
	if len(labels) != Samples {
		return nil, nil, fmt.Errorf("%d rows, want %d", len(labels), Samples)
	}
	return x, labels, nil
}

func parseSplit(gz []byte, want int) ([]int, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	var rows []int
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		i, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if i < 0 || i >= Samples || (len(rows) > 0 && i <= rows[len(rows)-1]) {
			return nil, fmt.Errorf("line %d: row %d out of range or out of order", line, i)
		}
		rows = append(rows, i)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rows) != want {
		return nil, fmt.Errorf("%d rows, want %d", len(rows), want)
	}
	return rows, nil
}
