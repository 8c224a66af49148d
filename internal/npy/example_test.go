package npy_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// Write an .npz archive and read one array back; a claim larger than the limit is an ErrLimit.
func Example() {
	dir, _ := os.MkdirTemp("", "npy-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "data.npz")
	w, _ := npy.CreateNPZ(path)
	w.Add("x", []float32{1, 2, 3, 4, 5, 6}, 2, 3)
	w.Add("y", []int64{0, 1})
	if err := w.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	ar, _ := npy.OpenNPZ(path, npy.Limits{})
	defer ar.Close()
	x, _ := ar.Read("x")
	fmt.Println(ar.Names(), x.Shape, x.Descr, x.Float64s())

	small, _ := npy.OpenNPZ(path, npy.Limits{MaxArrayBytes: 16})
	defer small.Close()
	_, err := small.Read("x")
	fmt.Println(errors.Is(err, npy.ErrLimit))
	// Output:
	// [x y] [2 3] <f4 [1 2 3 4 5 6]
	// true
}
