package preset

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"
)

// Set changes one field from text: assignment is "Path.To.Field=value" (see the package doc for the
// paths and the value syntax).
func (p *Preset) Set(assignment string) error {
	path, value, ok := strings.Cut(assignment, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return fmt.Errorf("-set %q: want Path.To.Field=value, e.g. Net.Size=16", assignment)
	}
	v := reflect.ValueOf(p).Elem()
	var walked []string
	for _, name := range strings.Split(strings.TrimSpace(path), ".") {
		if v.Kind() != reflect.Struct {
			return fmt.Errorf("-set %s: %s is a %s, not a section with fields", path, strings.Join(walked, "."), v.Type())
		}
		f, ok := field(v, name)
		if !ok {
			where := "the top level"
			if len(walked) > 0 {
				where = strings.Join(walked, ".")
			}
			return fmt.Errorf("-set %s: %s has no field %q; valid names: %s", path, where, name, strings.Join(fieldNames(v.Type()), ", "))
		}
		walked = append(walked, name)
		v = f
	}
	if v.Kind() == reflect.Struct {
		return fmt.Errorf("-set %s: %s is a section; set one of its fields: %s", path, path, strings.Join(fieldNames(v.Type()), ", "))
	}
	if err := parseInto(v, strings.TrimSpace(value)); err != nil {
		return fmt.Errorf("-set %s=%s: %w", path, value, err)
	}
	return nil
}

// SetAll applies assignments in order.
func (p *Preset) SetAll(assignments []string) error {
	for _, a := range assignments {
		if err := p.Set(a); err != nil {
			return err
		}
	}
	return nil
}

// field finds the exported field name in struct v, looking inside embedded structs, exactly first and
// then ignoring case.
func field(v reflect.Value, name string) (reflect.Value, bool) {
	if f := v.FieldByName(name); f.IsValid() && f.CanSet() && isExported(name) {
		return f, true
	}
	for _, n := range fieldNames(v.Type()) {
		if strings.EqualFold(n, name) {
			return v.FieldByName(n), true
		}
	}
	return reflect.Value{}, false
}

func isExported(name string) bool { return name != "" && name[0] >= 'A' && name[0] <= 'Z' }

// fieldNames lists the settable field names of struct type t, embedded structs flattened, sorted.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case !f.IsExported():
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			out = append(out, fieldNames(f.Type)...)
		default:
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// parseInto sets v from text: through its UnmarshalText when it has one (so a field reads the names its
// JSON reads, e.g. datasets.Variant's former names), else by v's kind: numbers, booleans, strings (and
// named string types) and comma-separated lists of those.
func parseInto(v reflect.Value, s string) error {
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
			return u.UnmarshalText([]byte(s))
		}
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a non-negative integer", s)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%q is not a finite number", s)
		}
		v.SetFloat(f)
	case reflect.Slice:
		var parts []string
		if s != "" && s != "none" {
			parts = strings.Split(s, ",")
		}
		out := reflect.MakeSlice(v.Type(), len(parts), len(parts))
		for i, part := range parts {
			if err := parseInto(out.Index(i), strings.TrimSpace(part)); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
		v.Set(out)
	default:
		return fmt.Errorf("fields of type %s cannot be set from text; use -config with a JSON file", v.Type())
	}
	return nil
}

// Load overlays the JSON file at path on p: the file names only the fields it changes, with Print's
// layout. Unknown field names are an error, and so is anything after the one JSON object. The file must be
// a regular file of at most infile.MaxJSON bytes.
func (p *Preset) Load(path string) error {
	b, err := infile.ReadFile(path, infile.MaxJSON)
	if err != nil {
		return fmt.Errorf("preset: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return fmt.Errorf("preset: %s: %w (print a valid file with -print-config)", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("preset: %s: text after the JSON object at byte %d; a configuration file holds one object (print a valid file with -print-config)", path, dec.InputOffset())
	}
	return nil
}

// JSON returns the preset as indented JSON, the layout Load reads.
func (p Preset) JSON() []byte {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil { // every field is a plain value
		panic(err)
	}
	return b
}
