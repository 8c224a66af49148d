package outputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGuardRules(t *testing.T) {
	dir := t.TempDir()
	at := func(n string) string { return filepath.Join(dir, n) }
	os.WriteFile(at("x.npy"), []byte("in"), 0o644)
	os.WriteFile(at("old.npz"), []byte("old"), 0o644)
	os.Mkdir(at("infolder"), 0o755)
	os.WriteFile(at("infolder/a.csv"), []byte("a"), 0o644)
	os.Mkdir(at("full"), 0o755)
	os.WriteFile(at("full/f"), []byte("f"), 0o644)
	os.Symlink(at("x.npy"), at("link.npy"))
	for _, tc := range []struct {
		name   string
		force  bool
		claims []string // "f:path" or "d:path"; all but the last must succeed
		want   string   // in the last claim's error; "" for success
	}{
		{"the input itself", true, []string{"f:x.npy"}, "is an input"},
		{"a link to the input", true, []string{"f:link.npy"}, "is an input"},
		{"an existing file", false, []string{"f:old.npz"}, "add -force"},
		{"an existing file with -force", true, []string{"f:old.npz"}, ""},
		{"a new file", false, []string{"f:new.npz"}, ""},
		{"a file of an input folder", true, []string{"f:infolder/a.csv"}, "input folder"},
		{"a new file in an input folder", false, []string{"f:infolder/b.npz"}, ""},
		{"a folder holding the input", true, []string{"d:."}, "holds the input"},
		{"a non-empty folder", false, []string{"d:full"}, "not empty"},
		{"a non-empty folder with -force", true, []string{"d:full"}, ""},
		{"the same output twice", false, []string{"f:n.npz", "f:n.npz"}, "already writes a file"},
		{"a file inside a claimed folder", false, []string{"d:out", "f:out/x.csv"}, "folder"},
		{"a folder around a claimed file", false, []string{"f:out2/x.csv", "d:out2"}, "inside it"},
		{"a file where a folder is", true, []string{"f:full"}, "is a folder"},
	} {
		g := New(tc.force, at("x.npy"), at("infolder"))
		var err error
		for i, c := range tc.claims {
			p := at(c[2:])
			if c[0] == 'f' {
				err = g.File(p)
			} else {
				err = g.Folder(p)
			}
			if i < len(tc.claims)-1 && err != nil {
				t.Fatalf("%s: claim %s: %v", tc.name, c, err)
			}
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
