package hr

import "math/bits"

// idSet remembers which ids a file has used as 48 bits of each id's hash,
// in flat arrays with open addressing: 6 bytes a slot, sized for 85 % full
// (grown past 90 %), so ten million shift ids take about 80 MB where a Go
// map of the strings would take a gigabyte, and an import stays within its
// memory budget. Equal bits do
// not prove equal ids (for ten million ids, about one chance in five that
// two differ in bits only), so a hit is only a suspect: the importer holds
// the row back and settles its suspects by reading the file's ids again.
type idSet struct {
	hi []uint32 // high 32 of the 48 bits; hi and lo both 0 = empty
	lo []uint16
	n  int
}

// fingerprintMask keeps the bits an idSet stores (a variable so that a test
// can make fingerprints collide).
var fingerprintMask uint64 = 1<<48 - 1

// newIDSet sizes the set for about n ids, so that it need not grow (a
// growing set holds its old and new arrays at once).
func newIDSet(n int) *idSet {
	size := max(1024, n*100/85)
	return &idSet{hi: make([]uint32, size), lo: make([]uint16, size)}
}

// add records the id of hash h, or reports that an id of the same bits is
// already there.
func (s *idSet) add(h uint64) (suspect bool) {
	fp := h & fingerprintMask
	if fp == 0 {
		fp = 1
	}
	if 10*(s.n+1) > 9*len(s.hi) {
		s.grow()
	}
	hi, lo := uint32(fp>>16), uint16(fp)
	// the slot comes from the stored bits themselves (mixed, then scaled
	// to the size, which need not be a power of two), so that grow can
	// place them again without the id
	size := uint64(len(s.hi))
	i, _ := bits.Mul64(fp*0x9e3779b97f4a7c15, size)
	for ; ; i++ {
		if i == size {
			i = 0
		}
		switch {
		case s.hi[i] == 0 && s.lo[i] == 0:
			s.hi[i], s.lo[i] = hi, lo
			s.n++
			return false
		case s.hi[i] == hi && s.lo[i] == lo:
			return true
		}
	}
}

func (s *idSet) grow() {
	old := *s
	*s = idSet{hi: make([]uint32, 2*len(old.hi)), lo: make([]uint16, 2*len(old.lo))}
	for i := range old.hi {
		if old.hi[i] != 0 || old.lo[i] != 0 {
			s.add(uint64(old.hi[i])<<16 | uint64(old.lo[i]))
		}
	}
}
