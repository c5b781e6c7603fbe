package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/simdnn/simdnn/internal/digits"
)

// builtinDigits is the -data value that selects the embedded digits data.
const builtinDigits = "digits"

// table is a CSV file as text: a header of unique column names and the
// cells of every row. Cells become numbers or class labels only once a
// command knows which columns it uses, so a column it ignores (an id, a
// label predict does not need) may hold anything.
type table struct {
	name   string     // where it came from, for messages
	header []string   // column names, trimmed, unique
	cells  [][]string // one record per row, len(header) cells each
	lines  []int      // the file line of each row
	// train and test hold a fixed split of the rows, when the data come with
	// one (the built-in digits); nil otherwise.
	train, test []int
}

func (t *table) rows() int { return len(t.cells) }

// inputError is bad input from the user: a flag value, a data file, a model
// file. The command prints it on one line and exits with status 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error {
	return inputError{fmt.Errorf(format, args...)}
}

// loadTable reads the data named by a -data flag: the built-in digits or a
// CSV file with a header line.
func loadTable(source string) (*table, error) {
	if source == builtinDigits {
		return loadDigits()
	}
	raw, err := os.ReadFile(source)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return parseCSV(source, raw)
}

func loadDigits() (*table, error) {
	raw, err := digits.CSV()
	if err != nil {
		return nil, err
	}
	t, err := parseCSV(builtinDigits, raw)
	if err != nil {
		return nil, err
	}
	split, err := digits.Load()
	if err != nil {
		return nil, err
	}
	t.train, t.test = split.Train, split.Test
	return t, nil
}

// utf8BOM is the byte-order mark spreadsheets write at the start of a
// "CSV UTF-8" file; it is not part of the first column's name.
const utf8BOM = "\ufeff"

// parseCSV splits a CSV file into its header and rows. Every row must have
// as many cells as the header, and no two columns may share a name: a
// column chosen by name must be one column.
func parseCSV(name string, raw []byte) (*table, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte(utf8BOM))))
	header, err := r.Read()
	if err == io.EOF {
		return nil, badInput("%s: empty file, want a header line and data rows", name)
	}
	if err != nil {
		return nil, badInput("%s: %v", name, csvError(err))
	}
	t := &table{name: name, header: header}
	first := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if j, dup := first[h]; dup {
			return nil, badInput("%s: columns %d and %d are both named %q: rename one", name, j+1, i+1, h)
		}
		first[h] = i
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
		t.cells = append(t.cells, rec)
		t.lines = append(t.lines, line)
	}
	if t.rows() == 0 {
		return nil, badInput("%s: no data rows after the header", name)
	}
	return t, nil
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

// column returns the index of the column spec names: a column name, or a
// 0-based index when no column has that name.
func (t *table) column(spec string) (int, error) {
	spec = strings.TrimSpace(spec)
	for i, h := range t.header {
		if h == spec {
			return i, nil
		}
	}
	if i, err := strconv.Atoi(spec); err == nil {
		if i < 0 || i >= len(t.header) {
			return 0, badInput("%s: column %d out of range: the header has %d columns", t.name, i, len(t.header))
		}
		return i, nil
	}
	return 0, badInput("%s: no column %q in the header", t.name, spec)
}

// targetColumns returns the columns of a -label flag: comma-separated names
// or indices, or "" for the column named "label" (in any case).
func (t *table) targetColumns(spec string) ([]int, error) {
	if strings.TrimSpace(spec) == "" {
		for i, h := range t.header {
			if strings.EqualFold(h, "label") {
				return []int{i}, nil
			}
		}
		return nil, badInput("%s: no label column (name it with -label)", t.name)
	}
	var cols []int
	for _, s := range strings.Split(spec, ",") {
		c, err := t.column(s)
		if err != nil {
			return nil, err
		}
		if slices.Contains(cols, c) {
			return nil, badInput("-label %q: column %q named twice", spec, t.header[c])
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// columnsNamed returns the indices of the named columns, in that order.
func (t *table) columnsNamed(names []string) ([]int, error) {
	cols := make([]int, len(names))
	for i, n := range names {
		c := -1
		for j, h := range t.header {
			if h == n {
				c = j
			}
		}
		if c < 0 {
			return nil, badInput("%s: no column %q: the model takes %d features (%s, …)", t.name, n, len(names), names[0])
		}
		cols[i] = c
	}
	return cols, nil
}

// numbers returns the cells of cols in every row as a row-major
// rows×len(cols) matrix; each must be a finite number.
func (t *table) numbers(cols []int) ([]float64, error) {
	x := make([]float64, 0, t.rows()*len(cols))
	for r, rec := range t.cells {
		for _, c := range cols {
			cell := strings.TrimSpace(rec[c])
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				return nil, badInput("%s:%d: column %d (%s): %q is not a number", t.name, t.lines[r], c+1, t.header[c], rec[c])
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, badInput("%s:%d: column %d (%s): %q is not a finite number", t.name, t.lines[r], c+1, t.header[c], rec[c])
			}
			x = append(x, v)
		}
	}
	return x, nil
}

// labels returns the class label of every row in column c (classLabel of
// the trimmed cell), never empty.
func (t *table) labels(c int) ([]string, error) {
	l := make([]string, t.rows())
	for r, rec := range t.cells {
		l[r] = classLabel(strings.TrimSpace(rec[c]))
		if l[r] == "" {
			return nil, badInput("%s:%d: column %d (%s): empty label", t.name, t.lines[r], c+1, t.header[c])
		}
	}
	return l, nil
}

// others returns the columns not in cols, in file order.
func (t *table) others(cols []int) []int {
	var rest []int
	for i := range t.header {
		if !slices.Contains(cols, i) {
			rest = append(rest, i)
		}
	}
	return rest
}

// names returns the header names of cols.
func (t *table) names(cols []int) []string {
	n := make([]string, len(cols))
	for i, c := range cols {
		n[i] = t.header[c]
	}
	return n
}

// onlyTest keeps only the fixed test rows, when the table has a fixed split:
// evaluating on the built-in digits means evaluating on its test rows.
func (t *table) onlyTest() {
	if t.test == nil {
		return
	}
	cells, lines := make([][]string, len(t.test)), make([]int, len(t.test))
	for i, r := range t.test {
		cells[i], lines[i] = t.cells[r], t.lines[r]
	}
	t.cells, t.lines, t.train, t.test = cells, lines, nil, nil
}

// rowsOf returns the rows of a row-major matrix of width w at the given
// indices.
func rowsOf[T any](x []T, w int, rows []int) []T {
	out := make([]T, 0, len(rows)*w)
	for _, r := range rows {
		out = append(out, x[r*w:(r+1)*w]...)
	}
	return out
}
