package player

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// infoFrame builds the head of a LAME Info frame at 24 kHz mono (MPEG-2,
// 9 bytes of side information) with the given encoder, delay and padding.
func infoFrame(encoder string, frames, delay, padding int) []byte {
	f := []byte{0xFF, 0xF3, 0x84, 0xC4} // MPEG-2 Layer III, 64 kbps, 24 kHz, mono
	f = append(f, make([]byte, 9)...)
	f = append(f, "Info"...)
	f = append(f, 0, 0, 0, 0x0F) // frames, bytes, TOC, quality
	f = append(f, byte(frames>>24), byte(frames>>16), byte(frames>>8), byte(frames))
	f = append(f, make([]byte, 4+100+4)...)
	lame := make([]byte, 36)
	copy(lame, encoder)
	v := delay<<12 | padding
	lame[21], lame[22], lame[23] = byte(v>>16), byte(v>>8), byte(v)
	return append(f, lame...)
}

func TestParseInfoFrame(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		frame   []byte
		want    gapless
		wantErr string
	}{
		"LAME":             {infoFrame("LAME3.100", 100, 576, 1000), gapless{skip: 576 + 576 + 529, total: 100*576 - 576 - 1000}, ""},
		"FFmpeg":           {infoFrame("Lavc61.19", 10, 576, 700), gapless{skip: 576 + 576 + 529, total: 10*576 - 576 - 700}, ""},
		"no frame count":   {infoFrame("LAME3.100", 0, 576, 1000), gapless{skip: 576 + 576 + 529}, ""},
		"unknown encoder":  {infoFrame("Xyz", 100, 576, 1000), gapless{}, "unknown encoder"},
		"cut short":        {infoFrame("LAME3.100", 100, 576, 1000)[:150], gapless{}, "no LAME extension"},
		"no tag":           {append([]byte{0xFF, 0xF3, 0x84, 0xC4}, make([]byte, 200)...), gapless{}, "no Xing/Info"},
		"layer II":         {append([]byte{0xFF, 0xF5, 0x84, 0xC4}, make([]byte, 200)...), gapless{}, "not a Layer III"},
		"not a frame":      {[]byte("ID3\x04\x00\x00\x00\x00\x00\x0a"), gapless{}, "no frame header"},
		"padding too long": {infoFrame("LAME3.100", 1, 576, 4095), gapless{skip: 576 + 576 + 529}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := parseInfoFrame(tc.frame)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// A tag that claims more lead-in than the file holds is not trusted: the
// file plays as decoded.
func TestImplausibleTagIsIgnored(t *testing.T) {
	t.Parallel()
	path, _ := twoToneMP3(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := openTrack(path)
	if err != nil {
		t.Fatal(err)
	}
	whole := tr.dec.Len()
	if err := tr.close(); err != nil {
		t.Fatal(err)
	}
	g := readGapless(bytes.NewReader(data))
	if g.skip == 0 || g.total != whole {
		t.Fatalf("the fixture's tag reads %+v, want a lead-in and %d samples", g, whole)
	}
	dec, err := trim(&guarded{StreamSeekCloser: &silentDecoder{n: g.skip}}, g)
	if err != nil {
		t.Fatal(err)
	}
	if dec.Len() != g.skip {
		t.Errorf("trimmed a %d-sample stream to %d", g.skip, dec.Len())
	}
}

// silentDecoder is a decoded stream of n silent samples.
type silentDecoder struct{ n, pos int }

func (d *silentDecoder) Stream(s [][2]float64) (int, bool) {
	k := min(len(s), d.n-d.pos)
	clear(s[:k])
	d.pos += k
	return k, k > 0
}
func (d *silentDecoder) Seek(p int) error { d.pos = p; return nil }
func (d *silentDecoder) Len() int         { return d.n }
func (d *silentDecoder) Position() int    { return d.pos }
func (d *silentDecoder) Err() error       { return nil }
func (d *silentDecoder) Close() error     { return nil }
