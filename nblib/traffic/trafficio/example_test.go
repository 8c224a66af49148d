package trafficio_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func ExampleReadLongCSV() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "traces.csv")
	os.WriteFile(path, []byte(`trace,label,time,size,direction,group
a1,weather,0.00,176,1,alexa
a1,weather,0.02,1500,-1,alexa
a1,weather,0.01,66,x,alexa
g1,timer,0.00,583,1,google
`), 0o644)
	ds, rep, err := trafficio.ReadLongCSV(path, trafficio.LongOptions{Feature: traffic.PacketFeature(traffic.SignedSizes, 3)})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := ds.Series(ds.Default)
	fmt.Println(ds.Classes, ds.Labels(), x)
	for _, s := range rep.Skipped {
		fmt.Printf("line %d: %s\n", s.Line, s.Reason)
	}
	// Output:
	// [timer weather] [1 0] [[176 -1500 0] [583 0 0]]
	// line 4: direction "x" is not a number
}

func ExampleParseWikiPage() {
	p, _ := trafficio.ParseWikiPage("Gordon_Ramsay_en.wikipedia.org_all-access_all-agents")
	fmt.Printf("%q %q %q %q\n", p.Title, p.Domain, p.Access, p.Agent)
	// Output: "Gordon_Ramsay" "en.wikipedia.org" "all-access" "all-agents"
}

func ExampleReadSeries() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	rows := filepath.Join(dir, "rows.csv")
	os.WriteFile(rows, []byte("# one series a line\n1,2,3\n4,5\n"), 0o644)
	column := filepath.Join(dir, "column.csv")
	os.WriteFile(column, []byte("time,bytes\n0,1500\n1,66\n2,NaN\n"), 0o644)
	series, err := trafficio.ReadSeries(rows, trafficio.SeriesOptions{})
	fmt.Println(series, err)
	_, err = trafficio.ReadSeries(column, trafficio.SeriesOptions{Layout: trafficio.SeriesColumn, Column: 1, Header: true})
	fmt.Println(strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	// Output:
	// [[1 2 3] [4 5]] <nil>
	// column.csv: line 4, column 2: "NaN" is not a finite number
}
