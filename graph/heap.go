package graph

import "cmp"

// minHeap is a binary min-heap of ordered values.
type minHeap[T cmp.Ordered] []T

func (h minHeap[T]) len() int { return len(h) }

// push adds v.
func (h *minHeap[T]) push(v T) {
	s := append(*h, v)
	for i := len(s) - 1; i > 0; {
		parent := (i - 1) / 2
		if s[parent] <= s[i] {
			break
		}
		s[parent], s[i] = s[i], s[parent]
		i = parent
	}
	*h = s
}

// pop removes and returns the smallest value; the heap must not be empty.
func (h *minHeap[T]) pop() T {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < last && s[l] < s[smallest] {
			smallest = l
		}
		if r < last && s[r] < s[smallest] {
			smallest = r
		}
		if smallest == i {
			break
		}
		s[i], s[smallest] = s[smallest], s[i]
		i = smallest
	}
	*h = s
	return top
}
