package main

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
)

// splitRows returns the training and test rows of t: from the -split files,
// from the data's own split, or a seeded random -test-fraction of the rows.
func splitRows(t *table, f *trainFlags) (trainRows, testRows []int, err error) {
	n := t.rows()
	if f.split != "" {
		names := strings.Split(f.split, ",")
		if len(names) != 2 {
			return nil, nil, badInput("-split %q: want TRAIN,TEST file names", f.split)
		}
		// A row listed twice or in both files would be counted twice or
		// tested on after being trained on: both are mistakes, not choices.
		where := make(map[int]string, n)
		if trainRows, err = readIndices(strings.TrimSpace(names[0]), n, where); err != nil {
			return nil, nil, err
		}
		if testRows, err = readIndices(strings.TrimSpace(names[1]), n, where); err != nil {
			return nil, nil, err
		}
		return trainRows, testRows, nil
	}
	if t.train != nil {
		return t.train, t.test, nil
	}
	order := rand.New(rand.NewPCG(f.seed, 0x5eed)).Perm(n)
	nTest := int(float64(n) * f.testFrac)
	if nTest == 0 || nTest == n {
		return nil, nil, badInput("%s: %d rows cannot be split with -test-fraction %v", t.name, n, f.testFrac)
	}
	testRows, trainRows = order[:nTest], order[nTest:]
	slices.Sort(testRows)
	slices.Sort(trainRows)
	return trainRows, testRows, nil
}

// readIndices reads one 0-based row index per line. where records the file
// and line of every index read so far, so that a row listed again, in this
// file or an earlier one, is refused.
func readIndices(path string, rows int, where map[int]string) ([]int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput("%v", err)
	}
	var idx []int
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := strconv.Atoi(line)
		if err != nil || v < 0 || v >= rows {
			return nil, badInput("%s:%d: %q is not a row index in [0, %d)", path, i+1, line, rows)
		}
		here := path + ":" + strconv.Itoa(i+1)
		if first, ok := where[v]; ok {
			return nil, badInput("%s: row %d is listed again (first at %s): a row belongs to one split, once", here, v, first)
		}
		where[v] = here
		idx = append(idx, v)
	}
	if len(idx) == 0 {
		return nil, badInput("%s: no row indices", path)
	}
	return idx, nil
}

// validationRows takes a seeded random fraction of the training rows for
// validation: the same fraction of every class when classes is not nil
// (stratified, as scikit-learn's train_test_split with stratify), at least
// one row of each class that has two or more. It returns the rows left for
// training and the validation rows, both in their original order.
func validationRows(rows []int, classes []int, frac float64, seed uint64) (train, val []int) {
	rng := rand.New(rand.NewPCG(seed, 0x7a1))
	groups := map[int][]int{0: nil}
	keys := []int{0}
	if classes != nil {
		groups, keys = map[int][]int{}, nil
		for _, r := range rows {
			c := classes[r]
			if _, ok := groups[c]; !ok {
				keys = append(keys, c)
			}
			groups[c] = append(groups[c], r)
		}
		slices.Sort(keys)
	} else {
		groups[0] = rows
	}
	inVal := make(map[int]bool)
	for _, k := range keys {
		g := slices.Clone(groups[k])
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		take := int(frac*float64(len(g)) + 0.5)
		if take == 0 && len(g) >= 2 {
			take = 1
		}
		take = min(take, len(g)-1) // keep a row of every class for training
		for _, r := range g[:max(take, 0)] {
			inVal[r] = true
		}
	}
	for _, r := range rows {
		if inVal[r] {
			val = append(val, r)
		} else {
			train = append(train, r)
		}
	}
	return train, val
}
