package duckdb

// SetAttachMemoryLimit replaces the memory_limit Open attaches a file
// under, for a test, and returns the function that puts it back.
func SetAttachMemoryLimit(limit string) (restore func()) {
	old := attachMemoryLimit
	attachMemoryLimit = limit
	return func() { attachMemoryLimit = old }
}
