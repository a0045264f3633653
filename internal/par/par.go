// Package par runs a loop's iterations on every core.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(0) … f(n-1) on as many goroutines as Go has cores
// (GOMAXPROCS), each taking the next index as it finishes one, and
// returns when every call has returned. f must be safe to call
// concurrently.
func For(n int, f func(i int)) {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}
