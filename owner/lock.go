package owner

import (
	"context"
	"sync"
)

// BuildLock lets one build at a time run on an owned warehouse file,
// whether the owner started it or a client sent it. The zero value is
// not usable; use NewBuildLock.
type BuildLock struct {
	slot   chan struct{}
	mu     sync.Mutex
	holder string
}

// NewBuildLock returns a free lock.
func NewBuildLock() *BuildLock {
	return &BuildLock{slot: make(chan struct{}, 1)}
}

// Acquire takes the lock for who (e.g. "weir watch"), waiting while
// another holds it; then it first calls waiting with the holder's name,
// so the waiting build can say why it does not start. It returns
// ctx.Err() when ctx ends first; otherwise release must be called once.
func (l *BuildLock) Acquire(ctx context.Context, who string, waiting func(holder string)) (release func(), err error) {
	select {
	case l.slot <- struct{}{}:
	default:
		if waiting != nil {
			waiting(l.Holder())
		}
		select {
		case l.slot <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	l.mu.Lock()
	l.holder = who
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.holder = ""
			l.mu.Unlock()
			<-l.slot
		})
	}, nil
}

// Holder names who holds the lock, "" when it is free.
func (l *BuildLock) Holder() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.holder
}
