package inception

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
)

// gopickle allocates every length it reads before it reads the bytes: a pickle opcode's argument
// length, a frame's size and a tensor storage's element count. A hostile .pth can claim terabytes in a
// few bytes, and an allocation that large kills the process (no recover). checkClaims walks the file
// first, without allocating what it claims, and refuses any claim that does not fit in the bytes that
// follow it, so gopickle only ever reads a file whose allocations are bounded by its real size.

// checkClaims checks the claims of a .pth, zip format (PyTorch >= 1.6) or legacy.
func checkClaims(file string) error {
	if zr, err := zip.OpenReader(file); err == nil {
		defer zr.Close()
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

// Pickle opcodes by the argument they read (protocols 0 to 5, as gopickle dispatches them).
const (
	opsNoArg = "(.012NQRabd}el]ost)u\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98"
	opsLine  = "FILPSVgp" // a newline-terminated argument
	opsLine2 = "ci"       // two of them (module and name)
)

// opFixed is the argument size of the fixed-size opcodes.
var opFixed = map[byte]int{'K': 1, 'h': 1, 'q': 1, 0x80: 1, 0x82: 1, 'M': 2, 0x83: 2, 'J': 4, 'j': 4, 'r': 4, 0x84: 4, 'G': 8}

// opCounted is the size of the length prefix of the opcodes whose argument is that many bytes.
var opCounted = map[byte]int{'U': 1, 'C': 1, 0x8c: 1, 0x8a: 1, 'T': 4, 'X': 4, 'B': 4, 0x8b: 4, 0x8d: 8, 0x8e: 8, 0x96: 8}

// pickleEnd walks the pickle that starts at b[start] and returns the offset just past its STOP. Every
// length an opcode claims must fit in the bytes that remain; nothing it claims is allocated.
func pickleEnd(b []byte, start int) (int, error) {
	for i := start; i < len(b); {
		op, at := b[i], i
		i++
		need := 0
		switch {
		case op == '.':
			return i, nil
		case bytes.IndexByte([]byte(opsNoArg), op) >= 0:
		case bytes.IndexByte([]byte(opsLine), op) >= 0, bytes.IndexByte([]byte(opsLine2), op) >= 0:
			lines := 1
			if bytes.IndexByte([]byte(opsLine2), op) >= 0 {
				lines = 2
			}
			for ; lines > 0; lines-- {
				nl := bytes.IndexByte(b[i:], '\n')
				if nl < 0 {
					return 0, fmt.Errorf("opcode %q at byte %d: no end of line", op, at)
				}
				i += nl + 1
			}
			continue
		case opFixed[op] > 0:
			need = opFixed[op]
		case opCounted[op] > 0 || op == 0x95: // 0x95 FRAME: an 8-byte size, then that many bytes of opcodes
			w := opCounted[op]
			if op == 0x95 {
				w = 8
			}
			if len(b)-i < w {
				return 0, fmt.Errorf("opcode %q at byte %d: the pickle ends inside its length", op, at)
			}
			n := counted(b[i:i+w], op)
			i += w
			if n > uint64(len(b)-i) {
				return 0, fmt.Errorf("opcode %q at byte %d claims %d bytes; %d remain", op, at, n, len(b)-i)
			}
			if op != 0x95 {
				need = int(n)
			}
		default:
			return 0, fmt.Errorf("unknown pickle opcode 0x%02x at byte %d", op, at)
		}
		if len(b)-i < need {
			return 0, fmt.Errorf("opcode %q at byte %d: the pickle ends inside its argument", op, at)
		}
		i += need
	}
	return 0, fmt.Errorf("the pickle from byte %d has no STOP", start)
}

// counted decodes a little-endian length prefix; the signed 4-byte ones (BINSTRING, LONG4) that are
// negative come back as math.MaxUint64, so that they fit nothing.
func counted(p []byte, op byte) uint64 {
	switch len(p) {
	case 1:
		return uint64(p[0])
	case 4:
		n := binary.LittleEndian.Uint32(p)
		if (op == 'T' || op == 0x8b) && int32(n) < 0 {
			return math.MaxUint64
		}
		return uint64(n)
	default:
		return binary.LittleEndian.Uint64(p)
	}
}
