package hr

import "time"

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

// SetMaxSuspects changes how many rows the import holds back with their
// values and by id alone; it returns the function that restores them.
func SetMaxSuspects(rows, ids int) func() {
	oldRows, oldIDs := maxSuspects, maxSuspectIDs
	maxSuspects, maxSuspectIDs = rows, ids
	return func() { maxSuspects, maxSuspectIDs = oldRows, oldIDs }
}

// Rereads is how many times imports have read a file a second time.
func Rereads() int64 { return rereads.Load() }

// SetSwapWait changes how long an import tries to swap its new partitions
// in on PostgreSQL; it returns the function that restores it.
func SetSwapWait(d time.Duration) func() {
	old := swapWait
	swapWait = d
	return func() { swapWait = old }
}
