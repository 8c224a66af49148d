package outputs_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/netdiffus/netdiffus/internal/outputs"
)

// A run reading x.npy claims its outputs before writing any: the input itself is refused even with
// -force, an existing file needs -force, a new file is fine.
func Example() {
	dir, _ := os.MkdirTemp("", "outputs")
	defer os.RemoveAll(dir)
	in, old := filepath.Join(dir, "x.npy"), filepath.Join(dir, "old.png")
	os.WriteFile(in, []byte("series"), 0o644)
	os.WriteFile(old, []byte("image"), 0o644)

	g := outputs.New(false, in)
	fmt.Println(g.File(in) != nil, g.File(old) != nil, g.File(filepath.Join(dir, "new.png")))
	// Output: true true <nil>
}
