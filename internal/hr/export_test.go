package hr

// SetTotalsFlushAt makes the import write its rollup rows every n rows, so
// that a test sees runs merged; it returns the function that restores it.
func SetTotalsFlushAt(n int) func() {
	old := totalsFlushAt
	totalsFlushAt = n
	return func() { totalsFlushAt = old }
}
