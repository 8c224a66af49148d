package inception

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/netdiffus/netdiffus/internal/pickleclaims"
)

// gopickle allocates every length it reads before it reads the bytes: a pickle opcode's argument
// length and a frame's size (which pickleclaims checks), and a tensor storage's element count (checked
// here). checkClaims walks the file first, without allocating what it claims, so that gopickle only
// ever reads a file whose allocations are bounded by its real size.

// checkClaims checks a .pth before gopickle reads it. A zip-format file (PyTorch >= 1.6) must declare
// at most MaxWeightsBytes uncompressed; any other file must start with the legacy format's magic number
// (gopickle's legacy loader loops forever on an empty or all-zero file) and be at most that long.
func checkClaims(file string) error {
	if zr, err := zip.OpenReader(file); err == nil {
		defer zr.Close()
		var total uint64
		for _, f := range zr.File {
			if total += f.UncompressedSize64; total > MaxWeightsBytes {
				return fmt.Errorf("archive members declare more than MaxWeightsBytes (%d bytes); not Inception weights", uint64(MaxWeightsBytes))
			}
		}
		return checkZipClaims(&zr.Reader)
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	if st.Size() > MaxWeightsBytes {
		return fmt.Errorf("file is %d bytes, more than MaxWeightsBytes (%d); not Inception weights", st.Size(), uint64(MaxWeightsBytes))
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte(legacyMagic)) {
		return fmt.Errorf("neither a zip-format nor a legacy PyTorch file (no torch.save magic number)")
	}
	return checkLegacyClaims(b)
}

// checkZipClaims checks data.pkl (found as gopickle finds it: the last member of that base name) and
// that every storage it names fits in its archive member.
func checkZipClaims(zr *zip.Reader) error {
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		members[path.Base(f.Name)] = f
	}
	df, ok := members["data.pkl"]
	if !ok {
		return fmt.Errorf("archive has no data.pkl: not a torch.save file")
	}
	rc, err := df.Open()
	if err != nil {
		return fmt.Errorf("data.pkl: %w", err)
	}
	defer rc.Close()
	pkl, err := io.ReadAll(io.LimitReader(rc, MaxWeightsBytes+1))
	if err != nil {
		return fmt.Errorf("data.pkl: %w", err)
	}
	if len(pkl) > MaxWeightsBytes {
		return fmt.Errorf("data.pkl is more than MaxWeightsBytes (%d bytes)", uint64(MaxWeightsBytes))
	}
	end, err := pickleEnd(pkl, 0)
	if err != nil {
		return fmt.Errorf("data.pkl: %w", err)
	}
	storages, _, err := scanStorages(pkl[:end])
	if err != nil {
		return fmt.Errorf("data.pkl: %w", err)
	}
	for key, s := range storages {
		m, ok := members[key]
		if !ok {
			return fmt.Errorf("data.pkl names storage %q, which the archive lacks", key)
		}
		if s.size < 0 || uint64(s.size) > m.UncompressedSize64/uint64(s.elem) {
			return fmt.Errorf("storage %q claims %d elements of %d bytes; its member holds %d bytes", key, s.size, s.elem, m.UncompressedSize64)
		}
	}
	return nil
}

// checkLegacyClaims follows gopickle's legacy reader: the magic number, protocol and system-info
// pickles, the object pickle, the pickled list of storage keys, then each storage as an 8-byte element
// count and its data.
func checkLegacyClaims(b []byte) error {
	at := 0
	for _, what := range []string{"magic number", "protocol version", "system info"} {
		end, err := pickleEnd(b, at)
		if err != nil {
			return fmt.Errorf("%s pickle: %w", what, err)
		}
		at = end
	}
	end, err := pickleEnd(b, at)
	if err != nil {
		return fmt.Errorf("object pickle: %w", err)
	}
	storages, _, err := scanStorages(b[at:end])
	if err != nil {
		return fmt.Errorf("object pickle: %w", err)
	}
	at = end
	if end, err = pickleEnd(b, at); err != nil {
		return fmt.Errorf("storage keys pickle: %w", err)
	}
	_, keys, err := scanStorages(b[at:end])
	if err != nil {
		return fmt.Errorf("storage keys pickle: %w", err)
	}
	at = end
	for _, key := range keys {
		s, ok := storages[key]
		if !ok {
			return fmt.Errorf("storage keys name %q, which no tensor uses", key)
		}
		if len(b)-at < 8 {
			return fmt.Errorf("storage %q: file ends before its element count", key)
		}
		n := binary.LittleEndian.Uint64(b[at:])
		at += 8
		if n > uint64(len(b)-at)/uint64(s.elem) {
			return fmt.Errorf("storage %q claims %d elements of %d bytes; %d bytes remain in the file", key, n, s.elem, len(b)-at)
		}
		at += int(n) * s.elem
	}
	return nil
}

// storageClaim is what a pickle says of one tensor storage.
type storageClaim struct {
	elem int // bytes per element
	size int // elements (the zip format's claim; the legacy format stores it beside the data)
}

// storageElemBytes are the storage classes gopickle reads, by the size of their elements.
var storageElemBytes = map[string]int{
	"torch.FloatStorage": 4, "torch.HalfStorage": 2, "torch.DoubleStorage": 8, "torch.CharStorage": 1,
	"torch.ShortStorage": 2, "torch.IntStorage": 4, "torch.LongStorage": 8, "torch.ByteStorage": 1,
	"torch.BoolStorage": 1, "torch.BFloat16Storage": 2,
}

type storageClass struct{ elem int }

// inert stands for the callables of a torch pickle (_rebuild_tensor_v2 and the like): the scan needs
// the storages they are given, not what they build.
type inert struct{}

func (inert) Call(...interface{}) (interface{}, error) { return nil, nil }

// scanStorages unpickles one pickle whose length claims pickleEnd has checked, with inert torch classes
// and a persistent loader that records each storage instead of reading it. It returns the storages by
// key and, when the pickle is a list of strings (the legacy storage keys), that list.
func scanStorages(pkl []byte) (storages map[string]storageClaim, keys []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed pickle (%v)", p)
		}
	}()
	storages = map[string]storageClaim{}
	u := pickle.NewUnpickler(bytes.NewReader(pkl))
	u.FindClass = func(module, name string) (interface{}, error) {
		full := module + "." + name
		if elem, ok := storageElemBytes[full]; ok {
			return storageClass{elem}, nil
		}
		switch full {
		case "torch._utils._rebuild_tensor_v2", "torch.nn.backends.thnn._get_thnn_function_backend":
			return inert{}, nil
		}
		return nil, fmt.Errorf("class not found: %s", full)
	}
	u.PersistentLoad = func(id interface{}) (interface{}, error) {
		t, ok := id.(*types.Tuple)
		if !ok || t.Len() == 0 {
			return nil, fmt.Errorf("persistent id %T is not a tuple", id)
		}
		if kind, _ := t.Get(0).(string); kind == "module" && t.Len() >= 2 {
			return t.Get(1), nil
		} else if kind != "storage" || t.Len() < 5 {
			return nil, fmt.Errorf("persistent id %q is not a storage", kind)
		}
		cls, okCls := t.Get(1).(storageClass)
		key, okKey := t.Get(2).(string)
		size, okSize := t.Get(4).(int)
		if !okCls || !okKey || !okSize {
			return nil, fmt.Errorf("storage id (class %T, key %T, size %T) is malformed", t.Get(1), t.Get(2), t.Get(4))
		}
		if prev, seen := storages[key]; seen && prev != (storageClaim{cls.elem, size}) {
			return nil, fmt.Errorf("storage %q is declared twice, differently", key)
		}
		storages[key] = storageClaim{elem: cls.elem, size: size}
		return nil, nil
	}
	obj, err := u.Load()
	if err != nil {
		return nil, nil, err
	}
	if list, ok := obj.(*types.List); ok {
		for _, v := range *list {
			if s, ok := v.(string); ok {
				keys = append(keys, s)
			}
		}
	}
	return storages, keys, nil
}

// pickleEnd walks the pickle that starts at b[start] (pickleclaims.Scan) and returns the offset just
// past its STOP.
func pickleEnd(b []byte, start int) (int, error) {
	n, err := pickleclaims.Scan(bufio.NewReader(bytes.NewReader(b[start:])), int64(len(b)-start))
	return start + int(n), err
}
