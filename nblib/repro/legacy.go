package repro

import (
	"bytes"
	"encoding/json"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
)

// Former names. The small data variant, the cpu downstream configuration and the classifier cnn2 were
// all called "quick" (datasets.LegacySmall, protocols.LegacyCPUName, protocols.LegacyCNN2). Today's
// names are written; the former ones are read:
//   - keys (keyJSON): the cache files and model folders are named by a digest of the configuration's
//     JSON with today's names spelled the former way, so results and models stored before the rename
//     keep their names and are found;
//   - stored references (canonicalNames): their configurations and results are read with the former
//     names turned into today's.

// legacySpellings maps today's spelling in compact JSON to the former one.
var legacySpellings = [][2]string{
	{`"Variant":"` + string(datasets.Small) + `"`, `"Variant":"` + datasets.LegacySmall + `"`},
	{`"` + protocols.CNN2 + `"`, `"` + protocols.LegacyCNN2 + `"`},
	{`"Downstream":{"Name":"` + protocols.CPUName + `"`, `"Downstream":{"Name":"` + protocols.LegacyCPUName + `"`},
	{`"Sizes":{"Name":"` + protocols.CPUName + `"`, `"Sizes":{"Name":"` + protocols.LegacyCPUName + `"`},
}

// keyJSON is the JSON whose digest names config's cache file or model folder: json.Marshal(config) with
// today's names in their former spelling.
func keyJSON(config any) ([]byte, error) {
	b, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	for _, s := range legacySpellings {
		b = bytes.ReplaceAll(b, []byte(s[0]), []byte(s[1]))
	}
	return b, nil
}

// canonicalNames turns the former names in a decoded JSON value (maps, lists, strings) into today's:
// a "Variant" of "quick", a "Name" of "quick" in a "Downstream" or "Sizes" object, and "cnn-quick" in
// "Classifiers", "CNN" or "Classifier". key is the object key v was found under.
func canonicalNames(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canonicalNames(e, k)
		}
		if (key == "Downstream" || key == "Sizes") && x["Name"] == protocols.LegacyCPUName {
			x["Name"] = protocols.CPUName
		}
	case []any:
		for i, e := range x {
			x[i] = canonicalNames(e, key)
		}
	case string:
		switch key {
		case "Variant":
			if x == datasets.LegacySmall {
				return string(datasets.Small)
			}
		case "Classifiers", "CNN", "Classifier":
			return protocols.Canonical(x)
		}
	}
	return v
}

// canonicalJSON rewrites raw JSON with canonicalNames (numbers kept as written).
func canonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(canonicalNames(v, ""))
}
