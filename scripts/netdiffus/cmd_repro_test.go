package main

import (
	"strings"
	"testing"
)

func TestReproFlagsAndRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // substring of the error; "" for none
	}{
		{[]string{"-list"}, ""},
		{[]string{"-verdicts"}, ""},
		{[]string{}, "name a figure or table"},
		{[]string{"fig99"}, "no figure or table"},
		{[]string{"table1", "-mode", "medium"}, "preset"},
		{[]string{"table1", "-mode", "smoke", "-write-reference"}, "-write-reference stores the cpu preset"},
		{[]string{"-mode", "cpu", "-write-reference", "table1", "-set", "Train.Steps=5"}, "no -set"},
		{[]string{"table1", "extra"}, "unexpected arguments"},
		{[]string{"variance", "-mode", "full", "-write-reference"}, "-write-reference stores the cpu preset"},
	} {
		err := runRepro(tc.args)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
}

func TestReproParseNameAnywhere(t *testing.T) {
	for _, args := range [][]string{{"fig6", "-mode", "cpu", "-force"}, {"-mode", "cpu", "fig6", "-force"}, {"-force", "-mode=cpu", "fig6"}} {
		f := newReproFlags()
		name, err := f.parse(args)
		if err != nil || name != "fig6" || f.mode != "cpu" || !f.force {
			t.Errorf("%q: name %q mode %q force %v err %v", args, name, f.mode, f.force, err)
		}
	}
}
