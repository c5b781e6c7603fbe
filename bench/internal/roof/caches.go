package roof

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Caches are the sizes in bytes of the data caches one core sees: its L1
// data cache, its L2 and the last-level L3 (shared by the whole socket, and on
// a virtual machine with other guests too).
type Caches struct {
	L1d, L2, L3 int
	// Detected reports whether the sizes come from the operating system;
	// if not, they are DefaultCaches.
	Detected bool
}

// DefaultCaches are the sizes assumed where the operating system does not
// say: 32 KiB, 1 MiB and 32 MiB.
var DefaultCaches = Caches{L1d: 32 << 10, L2: 1 << 20, L3: 32 << 20}

// DetectCaches returns the cache sizes of CPU 0 from Linux's sysfs
// (/sys/devices/system/cpu/cpu0/cache), or DefaultCaches elsewhere.
func DetectCaches() Caches {
	dirs, _ := filepath.Glob("/sys/devices/system/cpu/cpu0/cache/index*")
	c := Caches{}
	for _, dir := range dirs {
		level := readSysfs(dir, "level")
		typ := readSysfs(dir, "type")
		size, ok := parseSize(readSysfs(dir, "size"))
		if !ok || typ == "Instruction" {
			continue
		}
		switch level {
		case "1":
			c.L1d = size
		case "2":
			c.L2 = size
		case "3":
			c.L3 = size
		}
	}
	if c.L1d == 0 || c.L2 == 0 {
		return DefaultCaches
	}
	if c.L3 == 0 {
		c.L3 = c.L2 // no L3: past L2 is DRAM.
	}
	c.Detected = true
	return c
}

func readSysfs(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// parseSize parses sysfs's "48K", "2048K" or "300M".
func parseSize(s string) (int, bool) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n * mult, true
}

// A Level is a memory level and the working set that measures its read
// bandwidth.
type Level struct {
	Name  string // "L1", "L2", "L3" or "DRAM"
	Bytes int    // the size of the buffer Read streams through
}

// Levels returns the working sets that measure each level of c: half of L1d;
// a quarter of L2 (larger sets lose bandwidth to L2 conflicts long before
// they fill it); 8× L2, at most half of L3, so that it is well out of L2 and
// well inside L3; and 4× L3, at least 256 MiB and at most 2 GiB, for DRAM.
// Each is a multiple of BlockBytes.
func (c Caches) Levels() []Level {
	round := func(n int) int { return max(BlockBytes, n/BlockBytes*BlockBytes) }
	return []Level{
		{"L1", round(c.L1d / 2)},
		{"L2", round(c.L2 / 4)},
		{"L3", round(min(8*c.L2, c.L3/2))},
		{"DRAM", round(min(max(4*c.L3, 256<<20), 2<<30))},
	}
}
