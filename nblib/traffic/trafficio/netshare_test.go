package trafficio

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// NetShare packet CSV: packets of one bidirectional flow form one trace;
// the endpoint that sent first is Up. Times are microseconds.
func TestReadNetSharePackets(t *testing.T) {
	body := "srcip,dstip,srcport,dstport,proto,time,pkt_len,version,ihl,tos,id,flag,off,ttl\n" +
		"10.0.0.1,10.0.0.2,4000,443,6,1000000,60,4,5,0,1,0,0,64\n" +
		"10.0.0.2,10.0.0.1,443,4000,6,1250000,1500,4,5,0,2,0,0,64\n" +
		"10.0.0.3,10.0.0.2,5000,53,17,1300000,80,4,5,0,3,0,0,64\n" +
		"10.0.0.1,10.0.0.2,4000,443,6,1500000,52,4,5,0,4,0,0,64\n" +
		"10.0.0.1,10.0.0.2,4000,443,6,oops,52,4,5,0,4,0,0,64\n"
	dir := writeFiles(t, map[string]string{"p.csv": body})
	ds, rep, err := ReadNetSharePackets(filepath.Join(dir, "p.csv"), NetShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 2 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 6 {
		t.Fatalf("%d traces, report %v; want 2 flows and line 6 reported", len(ds.Traces), rep.Skipped)
	}
	want := []traffic.Packet{{Time: 1, Size: 60, Dir: traffic.Up}, {Time: 1.25, Size: 1500, Dir: traffic.Down}, {Time: 1.5, Size: 52, Dir: traffic.Up}}
	if got := ds.Traces[0].Packets; !reflect.DeepEqual(got, want) {
		t.Errorf("flow packets %+v, want %+v", got, want)
	}
	if ds.Traces[0].Label != "unlabelled" || ds.Traces[1].Group != "17" {
		t.Errorf("labels/groups: %+v", ds.Traces)
	}
	byHost, _, err := ReadNetSharePackets(filepath.Join(dir, "p.csv"), NetShareOptions{ByHost: true})
	if err != nil || len(byHost.Traces) != 3 {
		t.Errorf("by host: %v traces, %v; want 3 sources", len(byHost.Traces), err)
	}
}
