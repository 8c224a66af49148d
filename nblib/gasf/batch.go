package gasf

import (
	"fmt"
	"runtime"
	"sync"
)

// BatchOptions control EncodeBatch.
type BatchOptions struct {
	// Workers is the number of images encoded at once (each single
	// threaded); <= 0 means GOMAXPROCS. Memory is bounded by Workers
	// series and images in flight plus whatever Sink keeps.
	Workers int
	// Progress, when set, is called after each image with the number done
	// and the total (calls are serialised, done increases by one).
	Progress func(done, total int)
}

// EncodeBatch encodes n series without holding them all in memory: series
// i comes from src(i) and its image goes to sink(i, img). Calls to src and
// sink are serialised (never concurrent) but arrive in any order. The first
// error (from src, Encode or sink) stops the batch and is returned with the
// series index.
func EncodeBatch(n int, src func(i int) ([]float64, error), p Params, opt BatchOptions, sink func(i int, img *Image) error) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	p.Workers = 1
	var (
		mu       sync.Mutex // serialises src, sink, progress and the state below
		next     int
		done     int
		firstErr error
	)
	fail := func(err error) { // called with mu held
		if firstErr == nil {
			firstErr = err
		}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				if firstErr != nil || next >= n {
					mu.Unlock()
					return
				}
				i := next
				next++
				x, err := src(i)
				mu.Unlock()
				if err != nil {
					mu.Lock()
					fail(fmt.Errorf("series %d: %w", i, err))
					mu.Unlock()
					return
				}
				img, err := Encode(x, p)
				mu.Lock()
				if err != nil {
					fail(fmt.Errorf("series %d: %w", i, err))
				} else if firstErr == nil {
					if err := sink(i, img); err != nil {
						fail(fmt.Errorf("series %d: %w", i, err))
					} else {
						done++
						if opt.Progress != nil {
							opt.Progress(done, n)
						}
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return firstErr
}

// EncodeAll encodes every series of an in-memory set in parallel and
// returns the images in order; progress may be nil.
func EncodeAll(series [][]float64, p Params, progress func(done, total int)) ([]*Image, error) {
	imgs := make([]*Image, len(series))
	err := EncodeBatch(len(series), func(i int) ([]float64, error) { return series[i], nil }, p,
		BatchOptions{Progress: progress}, func(i int, img *Image) error { imgs[i] = img; return nil })
	if err != nil {
		return nil, err
	}
	return imgs, nil
}
