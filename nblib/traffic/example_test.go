package traffic_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func Example() {
	traces := []traffic.Trace{
		{ID: "a1", Label: "alexa", Packets: []traffic.Packet{{Time: 0, Size: 176, Dir: traffic.Up}, {Time: 0.2, Size: 1500, Dir: traffic.Down}}},
		{ID: "g1", Label: "google", Packets: []traffic.Packet{{Time: 5, Size: 90, Dir: traffic.Up}}},
	}
	ds, err := traffic.NewDataset("speakers", traces, nil, traffic.PacketFeature(traffic.SignedSizes, 3))
	if err != nil {
		fmt.Println(err)
		return
	}
	series, _ := ds.Series(ds.Default)
	fmt.Println(ds.Classes, ds.Labels())
	fmt.Println(series)
	// Output:
	// [alexa google] [0 1]
	// [[176 -1500 0] [90 0 0]]
}

func ExampleBinnedBytes() {
	tr := &traffic.Trace{Packets: []traffic.Packet{
		{Time: 0.0, Size: 1000, Dir: traffic.Down},
		{Time: 0.1, Size: 200, Dir: traffic.Up},
		{Time: 0.3, Size: 1500, Dir: traffic.Down},
	}}
	f := traffic.BinnedBytes(0.25, 1, traffic.Down)
	x, _ := f.Of(tr)
	fmt.Println(f, x)
	// Output: bytes/0.25s/down x4 [1000 1500 0 0]
}

func ExampleSplitPerClass() {
	labels := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	s := traffic.SplitPerClass(labels, 0.8, traffic.FirstInOrder, 0)
	fmt.Println(s.Train, s.Test)
	// Output: [0 1 2 3 5 6 7 8] [4 9]
}

// PacketsFromSeries turns bytes per bin back into packets that reproduce them.
func ExamplePacketsFromSeries() {
	f := traffic.BinnedBytes(1, 3, traffic.Down)
	pk, err := traffic.PacketsFromSeries([]float64{3000, 0, 600}, f, 1)
	if err != nil {
		panic(err)
	}
	for _, p := range pk {
		fmt.Printf("%.2f s  %4.0f bytes\n", p.Time, p.Size)
	}
	back, _ := f.Of(&traffic.Trace{Packets: pk})
	fmt.Println(back)
	// Output:
	// 0.00 s  1500 bytes
	// 0.50 s  1500 bytes
	// 2.10 s   600 bytes
	// [3000 0 600]
}
