package hr

// idSet remembers which ids (by 64-bit hash) a file has used and on which
// line, in two flat arrays with open addressing: about 12 bytes per id, a
// third of a Go map's, so a million-row file stays well inside the memory
// budget. A hash collision between two different ids (odds about 1 in 10^7
// for a million ids) would be reported as a duplicate.
type idSet struct {
	keys  []uint64 // 0 = empty; hashes are forced non-zero
	lines []int32
	n     int
}

// add records h at line, or returns the line that already used it.
func (s *idSet) add(h uint64, line int) (int, bool) {
	if h == 0 {
		h = 1
	}
	if 4*(s.n+1) > 3*len(s.keys) {
		s.grow()
	}
	mask := uint64(len(s.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.keys[i] {
		case 0:
			s.keys[i], s.lines[i] = h, int32(line)
			s.n++
			return 0, false
		case h:
			return int(s.lines[i]), true
		}
	}
}

func (s *idSet) grow() {
	old, oldLines := s.keys, s.lines
	size := max(1024, 2*len(old))
	s.keys, s.lines, s.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			s.add(k, int(oldLines[i]))
		}
	}
}
