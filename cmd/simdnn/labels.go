package main

import (
	"cmp"
	"slices"
	"strconv"
)

// classLabel returns the class a label cell names. Integer labels are
// compared as numbers ("01" and "1" are one class, named "1"); any other
// label is its text.
func classLabel(cell string) string {
	if v, err := strconv.Atoi(cell); err == nil {
		return strconv.Itoa(v)
	}
	return cell
}

// classNames returns the classes present in labels (as classLabel gives
// them), in a stable order: numeric when every class is an integer, as
// scikit-learn's LabelEncoder sorts them, byte order otherwise. A numeric
// label that is not an integer is refused: it is a regression target.
func classNames(labels []string) ([]string, error) {
	seen := make(map[string]bool)
	var names []string
	numeric := true
	for _, l := range labels {
		if seen[l] {
			continue
		}
		seen[l] = true
		names = append(names, l)
		if _, err := strconv.Atoi(l); err != nil {
			if _, err := strconv.ParseFloat(l, 64); err == nil {
				return nil, badInput("label %q is not a class: for a numeric target use -loss mse", l)
			}
			numeric = false
		}
	}
	if numeric {
		slices.SortFunc(names, func(a, b string) int {
			x, _ := strconv.Atoi(a)
			y, _ := strconv.Atoi(b)
			return cmp.Compare(x, y)
		})
	} else {
		slices.Sort(names)
	}
	return names, nil
}

// classIndices maps each label to its index in classes, reporting the first
// label that is not one of them.
func classIndices(labels, classes []string) ([]int, int, bool) {
	index := make(map[string]int, len(classes))
	for i, c := range classes {
		index[c] = i
	}
	idx := make([]int, len(labels))
	for r, l := range labels {
		i, ok := index[l]
		if !ok {
			return nil, r, false
		}
		idx[r] = i
	}
	return idx, 0, true
}
