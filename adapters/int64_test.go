package adapters

import "testing"

// TestInt64 reads the integer types and texts drivers return for a count.
func TestInt64(t *testing.T) {
	for _, v := range []any{int64(42), int32(42), 42, uint64(42), float64(42), []byte("42"), "42"} {
		if n, err := Int64(v); err != nil || n != 42 {
			t.Errorf("Int64(%#v) = %d, %v; want 42", v, n, err)
		}
	}
	if _, err := Int64("forty"); err == nil {
		t.Error("Int64(\"forty\") gave no error")
	}
}
