// Package pickleclaims checks the lengths a Python pickle claims before an unpickler reads it.
//
// gopickle allocates every length an opcode reads (BINBYTES, BINUNICODE8, FRAME, ...) before it reads
// the bytes, so a few hostile bytes can claim terabytes, and an allocation that large kills the process
// (no recover). Scan walks the opcodes of one pickle (protocols 0 to 5) without building anything and
// checks each claim against the bytes that really follow it, so that the unpickler given the same bytes
// never allocates more than their length.
//
// Scan also follows the height of the unpickler's stack (values and marks): a pickle that nests
// containers more than MaxDepth deep (200,000 nested lists fit in 400 KB) is refused, since code that
// walks or prints such a value recursively takes time quadratic in its depth, or its stack.
package pickleclaims

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Scan walks one pickle from r, which holds at most size more bytes, up to and including its STOP, and
// returns the bytes it consumed. An unknown opcode, a claim that does not fit in the remaining bytes, an
// unterminated line argument or a missing STOP is an error naming the opcode and its offset from the
// start of the pickle.
func Scan(r *bufio.Reader, size int64) (int64, error) {
	s := scanner{r: r, size: size}
	for {
		op, err := r.ReadByte()
		if err != nil {
			return s.pos, fmt.Errorf("no STOP opcode in the pickle's %d bytes", s.pos)
		}
		s.pos++
		if op == '.' {
			return s.pos, nil
		}
		if err := s.argument(op); err != nil {
			return s.pos, err
		}
		if err := s.track(op); err != nil {
			return s.pos, err
		}
	}
}

// MaxDepth bounds the unpickler's stack: values plus marks. Pickles of arrays, lists of rows and
// state_dicts stay below a few thousand (pickle writes lists and dicts in batches of 1000).
const MaxDepth = 1 << 16

// track follows the stack height after op (the pickle opcodes' stack effects) and refuses a height over
// MaxDepth.
func (s *scanner) track(op byte) error {
	switch op {
	case 'N', 'I', 'J', 'K', 'L', 'M', 'F', 'G', 'S', 'T', 'U', 'V', 'X', 'B', 'C', 0x8c, 0x8d, 0x8e, 0x96,
		'g', 'h', 'j', ']', ')', '}', 0x8f, 0x88, 0x89, 0x8a, 0x8b, 'c', 'P', 0x82, 0x83, 0x84, 0x97, '2':
		s.height++
	case '0', 'a', 'b', 'R', 0x93, 0x81, 0x86:
		s.height--
	case 's', 0x87, 0x92:
		s.height -= 2
	case '(':
		s.marks = append(s.marks, s.height)
	case '1', 'e', 'u', 0x90, 'l', 't', 'd', 0x91, 'o', 'i':
		if len(s.marks) == 0 {
			return fmt.Errorf("pickle opcode 0x%02x at byte %d pops a mark that was never pushed", op, s.pos-1)
		}
		s.height, s.marks = s.marks[len(s.marks)-1], s.marks[:len(s.marks)-1]
		if op == 'l' || op == 't' || op == 'd' || op == 0x91 || op == 'o' || op == 'i' {
			s.height++ // the container built from the items above the mark
		}
	} // the others (PUT, MEMOIZE, PROTO, FRAME, TUPLE1, BINPERSID, READONLY_BUFFER) keep the height
	s.height = max(s.height, 0)
	if depth := s.height + len(s.marks); depth > MaxDepth {
		return fmt.Errorf("pickle nests deeper than MaxDepth %d at byte %d (%d values and marks on the unpickler's stack)", MaxDepth, s.pos-1, depth)
	}
	return nil
}

type scanner struct {
	r      *bufio.Reader
	pos    int64 // bytes consumed
	size   int64 // bytes available from the start
	height int   // values on the unpickler's stack (an upper bound for malformed pickles)
	marks  []int // the height at each MARK
}

// argument skips the argument of op, checking what it claims.
func (s *scanner) argument(op byte) error {
	at := s.pos - 1
	switch op {
	case '(', '0', '1', '2', 'N', 'Q', 'R', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 's', 't', ')', 'u',
		0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98:
		return nil
	case 'K', 'h', 'q', 0x80, 0x82:
		_, err := s.fixed(op, at, 1)
		return err
	case 'M', 0x83:
		_, err := s.fixed(op, at, 2)
		return err
	case 'J', 'j', 'r', 0x84:
		_, err := s.fixed(op, at, 4)
		return err
	case 'G':
		_, err := s.fixed(op, at, 8)
		return err
	case 0x95: // FRAME: an 8-byte size; the frame's opcodes follow and are walked as any others
		b, err := s.fixed(op, at, 8)
		if err != nil {
			return err
		}
		return s.fits(op, at, binary.LittleEndian.Uint64(b))
	case 'U', 'C', 0x8c, 0x8a:
		return s.counted(op, at, 1)
	case 'T', 'X', 'B', 0x8b:
		return s.counted(op, at, 4)
	case 0x8d, 0x8e, 0x96:
		return s.counted(op, at, 8)
	case 'F', 'I', 'L', 'P', 'S', 'V', 'g', 'p':
		return s.lines(op, at, 1)
	case 'c', 'i': // module and name
		return s.lines(op, at, 2)
	}
	return fmt.Errorf("unknown pickle opcode 0x%02x at byte %d", op, at)
}

// fits checks that n more bytes remain.
func (s *scanner) fits(op byte, at int64, n uint64) error {
	if n > uint64(s.size-s.pos) {
		return fmt.Errorf("pickle opcode 0x%02x at byte %d claims %d bytes; %d remain", op, at, n, s.size-s.pos)
	}
	return nil
}

// fixed reads an argument of n bytes.
func (s *scanner) fixed(op byte, at int64, n int) ([]byte, error) {
	if err := s.fits(op, at, uint64(n)); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(s.r, b)
	s.pos += int64(n)
	if err != nil {
		return nil, fmt.Errorf("pickle opcode 0x%02x at byte %d: the input ends inside its argument", op, at)
	}
	return b, nil
}

// counted skips an argument whose length is given by a w-byte little-endian prefix. The signed 4-byte
// prefixes (BINSTRING, LONG4) that are negative claim more than any input holds.
func (s *scanner) counted(op byte, at int64, w int) error {
	p, err := s.fixed(op, at, w)
	if err != nil {
		return err
	}
	var n uint64
	switch w {
	case 1:
		n = uint64(p[0])
	case 4:
		n = uint64(binary.LittleEndian.Uint32(p))
		if (op == 'T' || op == 0x8b) && int32(n) < 0 {
			n = math.MaxUint64
		}
	default:
		n = binary.LittleEndian.Uint64(p)
	}
	if err := s.fits(op, at, n); err != nil {
		return err
	}
	m, err := s.r.Discard(int(n))
	s.pos += int64(m)
	if err != nil {
		return fmt.Errorf("pickle opcode 0x%02x at byte %d: the input ends inside its argument", op, at)
	}
	return nil
}

// lines skips k newline-terminated arguments.
func (s *scanner) lines(op byte, at int64, k int) error {
	for ; k > 0; k-- {
		for {
			c, err := s.r.ReadByte()
			if err != nil {
				return fmt.Errorf("pickle opcode 0x%02x at byte %d: unterminated line argument", op, at)
			}
			s.pos++
			if c == '\n' {
				break
			}
		}
	}
	return nil
}
