package ckptdir

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// ReadBounded reads a whole metadata file of at most limit bytes; a larger one is an error naming it,
// before anything is allocated for it.
func ReadBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, over the limit of %d for a checkpoint metadata file", path, fi.Size(), limit)
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// variablesMeta is the part of GoMLX's checkpoint JSON that claims sizes.
type variablesMeta struct {
	Variables []struct {
		ParameterName string
		Dimensions    []int
		DType         dtypes.DType
		Pos, Length   int
	}
	BinFormat string
}

// ValidateGoMLX checks every GoMLX checkpoint-*.json of folder (each at most jsonLimit bytes): each
// variable's shape (no negative or overflowing dimension), its length against shape * dtype size,
// positions contiguous, and the total against the real data: the .bin file's size when uncompressed,
// the decompressed byte count (streamed, nothing kept) when gzip. A JSON claiming [100000, 100000]
// against a small .bin is an error before GoMLX allocates the tensor.
func ValidateGoMLX(folder string, jsonLimit int64) error {
	jsons, err := filepath.Glob(filepath.Join(folder, "checkpoint-*"+checkpoint.JsonNameSuffix))
	if err != nil || len(jsons) == 0 {
		return fmt.Errorf("%s: no GoMLX checkpoint-*.json: the checkpoint is incomplete", folder)
	}
	for _, j := range jsons {
		raw, err := ReadBounded(j, jsonLimit)
		if err != nil {
			return err
		}
		var meta variablesMeta
		if err := json.Unmarshal(raw, &meta); err != nil {
			return fmt.Errorf("%s: corrupt: %w", j, err)
		}
		total, err := claimedBytes(j, meta)
		if err != nil {
			return err
		}
		bin := strings.TrimSuffix(j, checkpoint.JsonNameSuffix) + checkpoint.BinDataSuffix
		have, err := dataBytes(bin, meta.BinFormat, total)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		if have != total {
			return fmt.Errorf("%s holds %d bytes of variables but %s claims %d (truncated or damaged)", bin, have, filepath.Base(j), total)
		}
	}
	return nil
}

func claimedBytes(file string, meta variablesMeta) (int64, error) {
	var total int64
	const limit = int64(1) << 40
	for _, v := range meta.Variables {
		size := int64(v.DType.Size())
		if size <= 0 {
			return 0, fmt.Errorf("%s: variable %q has dtype %v, which checkpoints of this project do not use", file, v.ParameterName, v.DType)
		}
		n := size
		for _, d := range v.Dimensions {
			if d < 0 || (d > 0 && n > limit/int64(d)) {
				return 0, fmt.Errorf("%s: variable %q claims shape %v, negative or over 2^40 bytes", file, v.ParameterName, v.Dimensions)
			}
			n *= int64(d)
		}
		if int64(v.Length) != n || int64(v.Pos) != total {
			return 0, fmt.Errorf("%s: variable %q: position %d and length %d disagree with its shape %v (want %d at %d)", file, v.ParameterName, v.Pos, v.Length, v.Dimensions, n, total)
		}
		total += n
		if total > limit {
			return 0, fmt.Errorf("%s: variables claim more than 2^40 bytes", file)
		}
	}
	return total, nil
}

// GoMLXBinHeader is what GoMLX writes before gzip-compressed checkpoint data.
const GoMLXBinHeader = "gomlx_checkpointss\x04gzip"

// dataBytes returns the bytes of variable data in a .bin file: its size when uncompressed, or the
// decompressed length (read at most up to claimed+1 bytes) when gzip.
func dataBytes(bin, format string, claimed int64) (int64, error) {
	f, err := os.Open(bin)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	head := make([]byte, len(GoMLXBinHeader))
	n, _ := io.ReadFull(f, head)
	if n < len(head) || string(head) != GoMLXBinHeader {
		if format == "gzip" {
			return 0, fmt.Errorf("declared gzip but has no GoMLX gzip header")
		}
		return fi.Size(), nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	m, err := io.Copy(io.Discard, io.LimitReader(zr, claimed+1))
	if err != nil {
		return 0, fmt.Errorf("damaged compressed data after %d bytes: %w", m, err)
	}
	return m, nil
}

// Load checks the GoMLX files of the checkpoint folder (ValidateGoMLX, each JSON at most jsonLimit
// bytes) and loads its variables, without params, into a new store. A panic of GoMLX on malformed data
// becomes an error naming the folder.
func Load(folder string, jsonLimit int64) (store *model.Store, err error) {
	if err := ValidateGoMLX(folder, jsonLimit); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			store, err = nil, fmt.Errorf("loading %s: %v", folder, p)
		}
	}()
	store = model.NewStore()
	if _, err := checkpoint.Build(store).Dir(folder).Immediate().ExcludeAllParams().Done(); err != nil {
		return nil, fmt.Errorf("loading %s: %w", folder, err)
	}
	return store, nil
}
