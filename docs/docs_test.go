// Package docs_test checks the README and the pages under docs/ against the repository they describe:
// the layout lists every Go package directory, every relative link resolves inside the repository, the
// notebook index names every notebook, and the library example is the tested Example it quotes.
package docs_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// readme returns the README's text.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(project.Path("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fencedBlock returns the body of the first ``` block after the line heading, "" when there is none.
func fencedBlock(text, heading string) string {
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := text[i+len(heading)+2:]
	start := strings.Index(rest, "```")
	if start < 0 {
		return ""
	}
	rest = rest[start:]
	rest = rest[strings.Index(rest, "\n")+1:]
	end := strings.Index(rest, "```")
	if end < 0 {
		return ""
	}
	return rest[:end]
}

// inlineDir matches a folder named in a layout line's description: "fid/," or "(real/:" or "unet/ the".
var inlineDir = regexp.MustCompile(`(?:^|[\s,;(])([a-z][a-z0-9_-]*)/(?:[\s,;:)]|$)`)

// layoutPaths reads the README's layout block: a line starting (indented by less than 8 spaces) with
// "name/" is a folder, a child of the nearest line above it indented less; a folder named inside a line's
// description is a child of that line's folder; lines indented by 8 or more continue the line above.
func layoutPaths(block string) []string {
	type entry struct {
		indent int
		path   string
	}
	var stack []entry
	var paths []string
	current := ""
	for _, line := range strings.Split(block, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		desc := trimmed
		if trimmed != "" && indent < 8 {
			first, rest, _ := strings.Cut(trimmed, " ")
			for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
			current = ""
			if strings.HasSuffix(first, "/") {
				parent := ""
				if len(stack) > 0 {
					parent = stack[len(stack)-1].path
				}
				current = parent + first
				stack = append(stack, entry{indent, current})
				paths = append(paths, strings.TrimSuffix(current, "/"))
			}
			desc = rest
		}
		if current == "" {
			continue
		}
		for _, m := range inlineDir.FindAllStringSubmatch(desc, -1) {
			paths = append(paths, current+m[1])
		}
	}
	return paths
}

// packageDirs lists the folders (relative to the root) that hold Go files, outside test data, hidden
// folders, outputs and nested modules.
func packageDirs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			name := d.Name()
			if rel != "." && (strings.HasPrefix(name, ".") || name == "testdata" || rel == "out" || rel == "results") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && filepath.Dir(rel) != "." {
			seen[filepath.ToSlash(filepath.Dir(rel))] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for d := range seen {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	return dirs
}

// TestLayoutListsEveryPackage: every folder holding Go code is in the README's layout, and every folder
// the layout names exists.
func TestLayoutListsEveryPackage(t *testing.T) {
	block := fencedBlock(readme(t), "## Layout")
	if block == "" {
		t.Fatal("README.md has no ``` block under \"## Layout\"")
	}
	listed := layoutPaths(block)
	root := project.Path()
	dirs := packageDirs(t, root)
	if len(dirs) < 10 {
		t.Fatalf("found only %d package folders under %s: %v", len(dirs), root, dirs)
	}
	for _, d := range dirs {
		if !slices.Contains(listed, d) {
			t.Errorf("README.md's layout omits the package folder %s/: add it under its parent", d)
		}
	}
	for _, p := range listed {
		if fi, err := os.Stat(filepath.Join(root, p)); err != nil || !fi.IsDir() {
			t.Errorf("README.md's layout lists %s/, which is not a folder of the repository", p)
		}
	}
}

// TestLayoutParsing pins the reading of the layout's three forms: a folder line, a deeper folder line,
// folders named in a description (also on a continuation line), and prose that is not a folder.
func TestLayoutParsing(t *testing.T) {
	block := "nblib/        the library, smoke / cpu / full\n" +
		"  eval/        fid/, stats/ (intervals); NPZ/PNG and out/figures are not folders\n" +
		"    internal/  synthdata/ test data\n" +
		"  gasf/        images\n" +
		"internal/      npy/ the reader of .npy/.npz;\n" +
		"               ckptdir/ checkpoints\n" +
		".ci/run        CI: runs scripts/test\n"
	want := []string{"nblib", "nblib/eval", "nblib/eval/fid", "nblib/eval/stats", "nblib/eval/internal",
		"nblib/eval/internal/synthdata", "nblib/gasf", "internal", "internal/npy", "internal/ckptdir"}
	if got := layoutPaths(block); !slices.Equal(got, want) {
		t.Errorf("layoutPaths:\n got %q\nwant %q", got, want)
	}
}

// markdownFiles lists the README and every Markdown page under docs/.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{project.Path("README.md")}
	err := filepath.WalkDir(project.Path("docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// mdLink matches a Markdown link or image target: ](target) with an optional "title".
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// TestRelativeLinksResolve: every relative link of the README and the docs pages names a file or folder
// of the repository (no link leaves it), and a #fragment into a Markdown page names one of its headings.
func TestRelativeLinksResolve(t *testing.T) {
	root := project.Path()
	checked := 0
	for _, file := range markdownFiles(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		for _, m := range mdLink.FindAllStringSubmatch(stripCode(string(b)), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			path, frag, _ := strings.Cut(target, "#")
			abs := file
			if path != "" {
				abs = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
			}
			if r, err := filepath.Rel(root, abs); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				t.Errorf("%s links to %s, outside the repository", rel, target)
				continue
			}
			if _, err := os.Stat(abs); err != nil {
				t.Errorf("%s links to %s, which does not exist", rel, target)
				continue
			}
			if frag != "" && strings.HasSuffix(abs, ".md") && !slices.Contains(headingAnchors(t, abs), frag) {
				t.Errorf("%s links to %s, but %s has no heading with the anchor #%s", rel, target, filepath.Base(abs), frag)
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d relative links: is the link pattern still right?", checked)
	}
}

// stripCode removes fenced code blocks and inline code spans, where "](" is not a link.
func stripCode(text string) string {
	var out strings.Builder
	fenced := false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out.WriteString(inlineCode.ReplaceAllString(line, "``") + "\n")
		}
	}
	return out.String()
}

var inlineCode = regexp.MustCompile("`[^`]*`")

// headingAnchors returns the GitHub anchors of a Markdown file's headings: lower case, punctuation other
// than '-' and '_' dropped, spaces as '-'.
func headingAnchors(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var anchors []string
	for _, line := range strings.Split(stripCode(string(b)), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var a strings.Builder
		for _, r := range title {
			switch {
			case r == ' ':
				a.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
				a.WriteRune(r)
			}
		}
		anchors = append(anchors, a.String())
	}
	return anchors
}

// TestNotebookIndexIsComplete: the README's notebook table links every notebook of notebooks/.
func TestNotebookIndexIsComplete(t *testing.T) {
	text := readme(t)
	nbs, err := filepath.Glob(project.Path("notebooks", "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	for _, nb := range nbs {
		if link := "](notebooks/" + filepath.Base(nb) + ")"; !strings.Contains(text, link) {
			t.Errorf("README.md's notebook index has no link %q", link)
		}
	}
}

// TestNotebooksHaveNoPanicBlocks: notebook code reports errors through nblib/must, so no code cell holds
// an "if err != nil { panic(err) }" block (they were 39% of the notebooks' code).
func TestNotebooksHaveNoPanicBlocks(t *testing.T) {
	nbs, err := filepath.Glob(project.Path("notebooks", "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	block := regexp.MustCompile(`if err != nil \{\s*panic\(err\)\s*\}`)
	for _, nb := range nbs {
		var doc struct {
			Cells []struct {
				CellType string   `json:"cell_type"`
				Source   []string `json:"source"`
			} `json:"cells"`
		}
		b, err := os.ReadFile(nb)
		if err == nil {
			err = json.Unmarshal(b, &doc)
		}
		if err != nil {
			t.Fatalf("%s: %v", nb, err)
		}
		for i, c := range doc.Cells {
			if c.CellType == "code" && block.MatchString(strings.Join(c.Source, "")) {
				t.Errorf("%s cell %d: an if-err-panic block; use nblib/must", filepath.Base(nb), i)
			}
		}
	}
}

// TestREADMEQuotesTheTestedExample: the README's library example is a run of consecutive lines of the
// pipeline package's Example, whose output go test checks, so the quote cannot go stale.
func TestREADMEQuotesTheTestedExample(t *testing.T) {
	quote := strings.TrimSpace(fencedBlock(readme(t), "## The library in ten lines"))
	if n := strings.Count(quote, "\n") + 1; quote == "" || n < 5 || n > 12 {
		t.Fatalf("README.md's library example has %d lines, want 5 to 12", n)
	}
	b, err := os.ReadFile(project.Path("nblib", "pipeline", "example_run_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	_, body, ok := strings.Cut(src, "\nfunc Example() {\n")
	if !ok || !strings.Contains(body, "\t// Output:\n") {
		t.Fatal("nblib/pipeline/example_run_test.go has no func Example with an // Output: comment")
	}
	body, _, _ = strings.Cut(body, "\n}\n")
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	if !strings.Contains(strings.Join(lines, "\n"), quote) {
		t.Errorf("README.md's library example is not a copy of lines of nblib/pipeline's Example:\n%s", quote)
	}
}
