package hr

// SetTotalsFlushAt makes the import write its rollup rows every n rows, so
// that a test sees runs merged; it returns the function that restores it.
func SetTotalsFlushAt(n int) func() {
	old := totalsFlushAt
	totalsFlushAt = n
	return func() { totalsFlushAt = old }
}

// SetFingerprintMask makes the import's id set keep only the bits of mask,
// so that different ids collide; it returns the function that restores it.
func SetFingerprintMask(m uint64) func() {
	old := fingerprintMask
	fingerprintMask = m
	return func() { fingerprintMask = old }
}
