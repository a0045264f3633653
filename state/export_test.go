package state

// SetPruneBatch sets the runs one Prune deletes at most, for a test.
func SetPruneBatch(n int) (restore func()) {
	old := pruneBatch
	pruneBatch = n
	return func() { pruneBatch = old }
}
