package valid_test

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/internal/valid"
)

// A command checks its flags before any work; the first error names the flag, the value and the range.
func Example() {
	length, bin, dir := 2_000_000_000, math.NaN(), "sideways"
	err := valid.First(
		valid.Int("-length", int64(length), 0, 1<<29),
		valid.Positive("-bin", bin, 1e6),
		valid.Enum("-dir", dir, "up", "down", "both"),
	)
	fmt.Println(err)
	fmt.Println(valid.Alloc("-per-class 1000000000 samples of 16x16", 1_000_000_000, 4*16*16))
	// Output:
	// -length 2000000000: want 0..536870912
	// -per-class 1000000000 samples of 16x16: 1000000000 items of 1024 bytes need 953.7 GiB, over the limit of 4 GiB for one run (use smaller values)
}
