package roof

import (
	"testing"
	"unsafe"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"48K": 48 << 10, "2048K": 2 << 20, "300M": 300 << 20, "1G": 1 << 30, "512": 512} {
		if got, ok := parseSize(in); !ok || got != want {
			t.Errorf("parseSize(%q) = %d, %t; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "K", "-1K", "x"} {
		if _, ok := parseSize(in); ok {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}

func TestLevels(t *testing.T) {
	c := Caches{L1d: 48 << 10, L2: 2 << 20, L3: 300 << 20}
	want := []Level{{"L1", 24 << 10}, {"L2", 512 << 10}, {"L3", 16 << 20}, {"DRAM", 1200 << 20}}
	got := c.Levels()
	if len(got) != len(want) {
		t.Fatalf("Levels = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Levels[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	// A small L3 keeps the L3 set inside it, and DRAM's at least 256 MiB.
	small := Caches{L1d: 32 << 10, L2: 1 << 20, L3: 8 << 20}.Levels()
	if small[2].Bytes != 4<<20 || small[3].Bytes != 256<<20 {
		t.Errorf("Levels of a small L3 = %v", small)
	}
}

func TestBuffer(t *testing.T) {
	for _, n := range []int{1, 256, 1000, 1 << 20} {
		b := Buffer(n)
		if len(b) < n || len(b)%BlockBytes != 0 || uintptr(unsafe.Pointer(&b[0]))%64 != 0 {
			t.Errorf("Buffer(%d): len %d, address %p", n, len(b), &b[0])
		}
		for _, isa := range ISAs() {
			Read(isa, b)
		}
	}
	for _, isa := range ISAs() {
		if FMA32(isa) <= 0 || FMA64(isa) <= 0 {
			t.Errorf("FMA32 or FMA64 (%s) reported no flops", isa)
		}
	}
	if Available != (len(ISAs()) > 0) {
		t.Errorf("Available = %t but ISAs() = %v", Available, ISAs())
	}
}
