package repro

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// ReferencePreset is the preset stored references are run with.
const ReferencePreset = preset.CPU

// Item is one figure or table of the paper that `netdiffus repro NAME` and its notebook run. Its
// functions take and return the item's own result type (a *Fig4Result for "fig4", ...) behind any.
type Item struct {
	Name  string // "table1", "fig6", ...
	Title string
	// Config returns the item's configuration under a preset: what the cache and a stored reference are
	// keyed on.
	Config func(p preset.Preset) any
	// Decode reads a stored result (a Reference's Result) into the type Run returns; a field that the
	// type no longer has is an error.
	Decode func(raw json.RawMessage) (any, error)
	// Run computes (or loads from the cache) the item's result under a preset.
	Run func(p preset.Preset, force bool, log io.Writer) (any, error)
	// Compare is the notebook's paper | reference | this-run table; ref may be nil (no reference).
	Compare func(this, ref any) (header []string, rows [][]string)
	// Verdicts says, one claim a line, whether the paper's claims hold on a result.
	Verdicts func(result any) []string
	// Plot draws the result as the notebook shows it: one figure or more, each with the file name
	// (without extension) it is saved under in plots.Dir().
	Plot func(result any) ([]Figure, error)
}

// Figure is one drawn figure of an item and the file name it is saved under.
type Figure struct {
	Name string // file name without extension, e.g. "fig4_limited_data"
	Plot *plot.Plot
}

// onePlot is an item's Plot for a result drawn as one figure saved under name.
func onePlot[T any](name string, draw func(*T) (*plot.Plot, error)) func(*T) ([]Figure, error) {
	return func(r *T) ([]Figure, error) {
		p, err := draw(r)
		if err != nil {
			return nil, err
		}
		return []Figure{{Name: name, Plot: p}}, nil
	}
}

// newItem builds an item from its typed functions: the configuration under a preset, the cached run,
// the notebook's table, the verdicts and the figures.
func newItem[C, T any](name, title string, config func(preset.Preset) C, run func(C, bool, io.Writer) (*T, error),
	compare func(this, ref *T) ([]string, [][]string), verdicts func(*T) []string, draw func(*T) ([]Figure, error)) Item {
	return Item{Name: name, Title: title,
		Config: func(p preset.Preset) any { return config(p) },
		Decode: decodeResult[*T],
		Run:    func(p preset.Preset, force bool, log io.Writer) (any, error) { return run(config(p), force, log) },
		Compare: func(this, ref any) ([]string, [][]string) {
			r, _ := ref.(*T) // nil when no reference is stored
			return compare(this.(*T), r)
		},
		Verdicts: func(result any) []string { return verdicts(result.(*T)) },
		Plot:     func(result any) ([]Figure, error) { return draw(result.(*T)) },
	}
}

var items = map[string]Item{}

// register adds an item; called from the init of each figure's file.
func register(it Item) {
	if _, dup := items[it.Name]; dup {
		panic("repro: item registered twice: " + it.Name)
	}
	items[it.Name] = it
}

// decodeResult is Item.Decode for results of type T.
func decodeResult[T any](raw json.RawMessage) (any, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// Items returns every registered figure and table, by name.
func Items() []Item {
	out := make([]Item, 0, len(items))
	for _, it := range items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ItemNamed returns the named item.
func ItemNamed(name string) (Item, error) {
	it, ok := items[name]
	if !ok {
		var names []string
		for _, it := range Items() {
			names = append(names, it.Name)
		}
		return Item{}, fmt.Errorf("repro: no figure or table %q; known: %v", name, names)
	}
	return it, nil
}

// Reference is a stored result of one item: the result, the configuration that made it, the commit of
// the code and the date, so that a notebook can show it beside a fresh run and a test can tell when it
// went stale.
type Reference struct {
	Item   string          `json:"item"`
	Preset string          `json:"preset"`
	Commit string          `json:"commit"`
	Date   string          `json:"date"` // RFC 3339, UTC
	Config json.RawMessage `json:"config"`
	Result json.RawMessage `json:"result"`
}

// ReferenceDir is the committed folder of stored references: $NETDIFFUS_REFERENCE, else
// results-reference/ of the repository.
func ReferenceDir() string {
	if d := os.Getenv("NETDIFFUS_REFERENCE"); d != "" {
		return d
	}
	return project.Path("results-reference")
}

func referencePath(item string) string {
	return filepath.Join(ReferenceDir(), item+"-"+ReferencePreset+".json")
}

// WriteReference stores result as the reference of item, made with config at commit on date.
func WriteReference(item string, config, result any, commit string, date time.Time) (string, error) {
	c, err := json.Marshal(config)
	if err != nil {
		return "", fmt.Errorf("reference %s: configuration: %w", item, err)
	}
	r, err := json.Marshal(result)
	if err != nil {
		return "", fmt.Errorf("reference %s: result: %w", item, err)
	}
	b, err := json.MarshalIndent(Reference{Item: item, Preset: ReferencePreset, Commit: commit,
		Date: date.UTC().Format(time.RFC3339), Config: c, Result: r}, "", " ")
	if err != nil {
		return "", err
	}
	path := referencePath(item)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, atomicfile.WriteFile(path, append(b, '\n'))
}

// ReadReference returns the stored reference of item, or nil (and no error) when none is stored.
func ReadReference(item string) (*Reference, error) {
	path := referencePath(item)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reference %s: %w", path, err)
	}
	var r Reference
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("reference %s is unreadable (%v): regenerate it with `netdiffus repro %s -mode cpu -write-reference`", path, err, item)
	}
	if r.Item != item {
		return nil, fmt.Errorf("reference %s holds item %q, want %q", path, r.Item, item)
	}
	return &r, nil
}

// Stored returns the item's stored reference decoded into its result type, with its metadata; nil (and
// no error) when none is stored.
func (it Item) Stored() (any, *Reference, error) {
	r, err := ReadReference(it.Name)
	if err != nil || r == nil {
		return nil, nil, err
	}
	var res any
	raw, err := canonicalJSON(r.Result)
	if err == nil {
		res, err = it.Decode(raw)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reference %s does not read into today's result type (%v): regenerate it with `netdiffus repro %s -mode %s -write-reference`",
			referencePath(it.Name), err, it.Name, ReferencePreset)
	}
	return res, r, nil
}

// CheckReference returns an error when the stored reference of item was made with a configuration
// other than want (today's configuration under the reference preset). No stored reference is no error.
func CheckReference(item string, want any) error {
	r, err := ReadReference(item)
	if err != nil || r == nil {
		return err
	}
	var stored any
	if err := json.Unmarshal(r.Config, &stored); err != nil {
		return fmt.Errorf("reference %s: configuration: %w", item, err)
	}
	stored = canonicalNames(stored, "")
	b, err := json.Marshal(want)
	if err != nil {
		return err
	}
	var today any
	if err := json.Unmarshal(b, &today); err != nil {
		return err
	}
	if same, _ := jsonEqual(stored, today); !same {
		return fmt.Errorf("reference %s (commit %s, %s) was made with another configuration than today's %s preset: regenerate it with `netdiffus repro %s -mode %s -write-reference`",
			referencePath(item), r.Commit, r.Date, ReferencePreset, item, ReferencePreset)
	}
	return nil
}

// StaleReferences names, in item order and then the variance run (VariancePlan), those whose stored
// reference is missing, unreadable or made with a configuration other than today's reference preset gives
// them: what must be rerun with -write-reference before the stored references are whole again.
func StaleReferences() []string {
	p := preset.CPUPreset()
	var out []string
	for _, it := range Items() {
		r, err := ReadReference(it.Name)
		if err == nil && r != nil {
			err = CheckReference(it.Name, it.Config(p))
		}
		if err != nil || r == nil {
			out = append(out, it.Name)
		}
	}
	r, err := ReadReference(VariancePlan)
	if err == nil && r != nil {
		err = CheckReference(VariancePlan, VarianceFor(p))
	}
	if err != nil || r == nil {
		out = append(out, VariancePlan)
	}
	return out
}

// LoadReference decodes the stored result of item into T, strictly, as Item.Stored does; nil (and no
// error) when none is stored.
func LoadReference[T any](item string) (*T, *Reference, error) {
	it, err := ItemNamed(item)
	if err != nil {
		return nil, nil, err
	}
	res, meta, err := it.Stored()
	if err != nil || res == nil {
		return nil, nil, err
	}
	out, ok := res.(*T)
	if !ok {
		return nil, nil, fmt.Errorf("reference %s holds a %T, not a %T", item, res, out)
	}
	return out, meta, nil
}

// ReferenceNote says in a sentence where a notebook's reference column comes from.
func ReferenceNote(r *Reference) string {
	if r == nil {
		return fmt.Sprintf("No stored %s reference yet: the reference column is empty (`netdiffus repro NAME -mode %s -write-reference` makes one).", ReferencePreset, ReferencePreset)
	}
	return fmt.Sprintf("Reference column: the %s preset, run at commit %s on %s.", r.Preset, r.Commit, r.Date)
}

// WriteStoredVerdicts writes, for every item, the verdicts on its stored reference (or that none is
// stored) as Markdown, then the variance run's spread between models: docs/reproducing.md's summary of
// which claims hold at the reference preset's scale, and how much one training run moves them. It runs
// nothing.
func WriteStoredVerdicts(w io.Writer) error {
	for _, it := range Items() {
		ref, meta, err := it.Stored()
		if err != nil {
			return err
		}
		if ref == nil {
			fmt.Fprintf(w, "- **%s**: no stored %s reference yet (`netdiffus repro %s -mode %s -write-reference` makes one); no verdict.\n",
				it.Title, ReferencePreset, it.Name, ReferencePreset)
			continue
		}
		fmt.Fprintf(w, "- **%s** (commit %s, %s):\n", it.Title, meta.Commit, meta.Date)
		for _, v := range it.Verdicts(ref) {
			fmt.Fprintf(w, "  - %s\n", v)
		}
	}
	return writeStoredVariance(w)
}
