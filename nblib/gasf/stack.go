package gasf

import (
	"fmt"
	"io"
)

// Stack is a multi-channel image: one GASF/GADF image per feature of a
// multi-feature series (the paper's stated extension), all S×S.
type Stack struct {
	Channels []*Image
}

// EncodeChannels encodes each feature series as one channel. Pass one
// Params for all channels or one per channel (for example a different
// Global range per feature). All channels must have the same Size. Errors
// name the channel.
func EncodeChannels(features [][]float64, ps ...Params) (*Stack, error) {
	if len(features) == 0 {
		return nil, fmt.Errorf("%w: no feature series", ErrEmpty)
	}
	if len(ps) != 1 && len(ps) != len(features) {
		return nil, fmt.Errorf("%w: %d Params for %d channels, want 1 or %d", ErrParams, len(ps), len(features), len(features))
	}
	st := &Stack{Channels: make([]*Image, len(features))}
	for c, x := range features {
		p := ps[0]
		if len(ps) > 1 {
			p = ps[c]
		}
		if p.Size != ps[0].Size {
			return nil, fmt.Errorf("%w: channel %d has size %d, channel 0 has %d", ErrSize, c, p.Size, ps[0].Size)
		}
		img, err := Encode(x, p)
		if err != nil {
			return nil, fmt.Errorf("channel %d: %w", c, err)
		}
		st.Channels[c] = img
	}
	return st, nil
}

// Size returns the side S of the channels.
func (s *Stack) Size() int { return s.Channels[0].Size }

// Floats returns the channels divided by 255 in C×S×S (channel-major)
// order, the layout of a network input.
func (s *Stack) Floats() []float32 {
	n := s.Size() * s.Size()
	out := make([]float32, 0, len(s.Channels)*n)
	for _, c := range s.Channels {
		out = append(out, c.Floats()...)
	}
	return out
}

// WriteNPY writes the stack as a uint8 array of shape (C, S, S).
func (s *Stack) WriteNPY(w io.Writer) error {
	n := s.Size()
	pix := make([]uint8, 0, len(s.Channels)*n*n)
	for _, c := range s.Channels {
		pix = append(pix, c.Pix...)
	}
	return WriteNPYUint8(w, pix, len(s.Channels), n, n)
}
