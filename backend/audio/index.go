package audio

import (
	"errors"
	"fmt"
	"math"
)

// Index tells where each line's frames are in an MP3 a Stream made, and
// what a later Stream needs to put them in its own MP3 without mastering
// the line again (Reused): a podcast keeps it beside its MP3, so an edit
// costs what the lines it changed cost.
type Index struct {
	Version int         `json:"version"`
	Lines   []IndexLine `json:"lines"`
}

// IndexVersion is the format of Index.
const IndexVersion = 1

// IndexLine is one line's chunk in the MP3.
type IndexLine struct {
	// Key is the chunk's ChunkKey ("" when the line had no key: its
	// frames are not reused).
	Key string `json:"key"`
	// Offset and Bytes place its frames, counted from the first frame
	// after the Info frame (FramesStart).
	Offset int64 `json:"offset"`
	Bytes  int64 `json:"bytes"`
	Frames int   `json:"frames"`
	// Samples is the chunk's length, Pre where the line starts in it and
	// Length the line's own length.
	Samples int64   `json:"samples"`
	Pre     int64   `json:"pre"`
	Length  int64   `json:"length"`
	GainDB  float64 `json:"gainDB"`
	// Blocks is the loudness (LUFS, to 0.01) of each 400 ms gating block
	// of the decoded chunk above the absolute gate, for the loudness of
	// the whole file.
	Blocks []float64 `json:"blocks"`
}

// Check rejects an index that cannot describe an MP3 (a damaged file).
func (ix Index) Check() error {
	if ix.Version != IndexVersion {
		return fmt.Errorf("frame index version %d, not %d", ix.Version, IndexVersion)
	}
	var end int64
	for i, l := range ix.Lines {
		switch {
		case l.Offset != end || l.Bytes <= 0 || l.Frames <= 0:
			return fmt.Errorf("frame index line %d: bad place (offset %d, %d bytes, %d frames)", i+1, l.Offset, l.Bytes, l.Frames)
		case l.Length <= 0 || l.Pre < 0 || l.Pre+l.Length > l.Samples:
			return fmt.Errorf("frame index line %d: bad length", i+1)
		case math.IsNaN(l.GainDB) || math.IsInf(l.GainDB, 0):
			return fmt.Errorf("frame index line %d: bad gain", i+1)
		}
		for _, b := range l.Blocks {
			if math.IsNaN(b) || b <= absoluteGate || b > 10 {
				return fmt.Errorf("frame index line %d: bad loudness %g", i+1, b)
			}
		}
		end += l.Bytes
	}
	return nil
}

// encodedChunk is a line's chunk, encoded (Encode) or taken from an
// earlier MP3 (Reused).
type encodedChunk struct {
	line   IndexLine
	frames []byte
	reused bool
}

// Reused is a line whose frames (the bytes e places in an earlier MP3)
// go into a Stream as they are. key is the line's own key, which with the
// stream's options and the line's place must give e.Key.
func Reused(key string, e IndexLine, frames []byte) Prepared {
	return Prepared{
		Key: key, Stats: SegmentStats{Samples: e.Length}, GainDB: e.GainDB,
		chunk: &encodedChunk{line: e, frames: frames, reused: true},
	}
}

// CheckFrames reports whether frames are the e.Frames whole frames of an
// MP3 made with opt that e says they are.
func CheckFrames(opt Options, e IndexLine, frames []byte) error {
	lay, err := newLayout(opt)
	if err != nil {
		return err
	}
	n, err := lay.format.countFrames(frames)
	switch {
	case err != nil:
		return err
	case n != e.Frames || int64(len(frames)) != e.Bytes:
		return fmt.Errorf("%d frames in %d bytes, not %d in %d", n, len(frames), e.Frames, e.Bytes)
	}
	return nil
}

// checkChunk checks an encoded line against where the stream puts it.
func (l layout) checkChunk(p Prepared, opt Options, first bool) error {
	c := p.chunk
	e := c.line
	pre, size := l.chunk(first, e.Length)
	switch {
	case !l.split:
		return errors.New("its frames cannot be joined to others with a gap this short")
	case e.Pre != pre || e.Samples != size || e.Frames != int(size/int64(l.format.samples)) || int64(len(c.frames)) != e.Bytes:
		return errors.New("its frames were made for another place in the file")
	case !c.reused:
		return nil
	case p.Key == "" || e.Key != ChunkKey(opt, p.Key, first):
		return errors.New("its stored frames were made for another line, place or setting")
	}
	n, err := l.format.countFrames(c.frames)
	if err != nil {
		return fmt.Errorf("its stored frames: %w", err)
	}
	if n != e.Frames {
		return fmt.Errorf("its stored frames are %d, not %d", n, e.Frames)
	}
	return nil
}

// blockLoudness measures decoded audio: the loudness of each 400 ms
// gating block (stepping 100 ms) above the absolute gate, to 0.01 LU.
func blockLoudness(m *meter) []float64 {
	var out []float64
	e := m.energy
	for i := 0; i+4 <= len(e); i++ {
		p := (e[i] + e[i+1] + e[i+2] + e[i+3]) / float64(4*m.block)
		if l := powerToLoudness(p); l > absoluteGate {
			out = append(out, math.Round(l*100)/100)
		}
	}
	return out
}

// gatedBlocks is BS.1770's integrated loudness of blocks already past the
// absolute gate (-Inf when there are none).
func gatedBlocks(blocks []float64) float64 {
	if len(blocks) == 0 {
		return math.Inf(-1)
	}
	var sum float64
	for _, b := range blocks {
		sum += loudnessToPower(b)
	}
	rel := powerToLoudness(sum/float64(len(blocks))) + relativeGate
	var gated float64
	var n int
	for _, b := range blocks {
		if b > rel {
			gated += loudnessToPower(b)
			n++
		}
	}
	return powerToLoudness(gated / float64(n))
}
