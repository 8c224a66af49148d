package repro_test

import (
	"github.com/netdiffus/netdiffus/nblib/must"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

// A figure notebook is one cell: run (or load from the cache) Fig. 2(b) in the notebook's mode
// ($NETDIFFUS_MODE) and show the paper | cpu reference | this-run table, the figures and the verdicts.
// (Not run as a test: it trains a diffusion model and a GAN when nothing is cached.)
func ExampleShow() {
	must.M(repro.Show("fig2b"))
}
