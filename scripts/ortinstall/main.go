// Command ortinstall installs the ONNX Runtime CPU library with compute-onnx's own installer, for machines
// that reach the internet but have no npm. scripts/setup calls it; most users never need to.
//
//	go run ./scripts/ortinstall TARGET_DIR
//
// It writes TARGET_DIR/libonnxruntime.so and links libonnxruntime.so.1 to it, the name nblib/backend looks for.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/compute-onnx/support/onnxruntime"
)

// version matches the npm package scripts/setup uses, so both routes give the same runtime.
const version = "1.30.0"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ortinstall TARGET_DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	path, err := onnxruntime.Install(version, false, "", dir, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ortinstall: installing ONNX Runtime %s into %s: %v\n", version, dir, err)
		os.Exit(1)
	}
	link := filepath.Join(dir, "libonnxruntime.so.1")
	if path != link {
		_ = os.Remove(link)
		if err := os.Symlink(filepath.Base(path), link); err != nil {
			fmt.Fprintf(os.Stderr, "ortinstall: %v\n", err)
			os.Exit(1)
		}
	}
	fmt.Println(link)
}
