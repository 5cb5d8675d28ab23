package audio

import (
	"fmt"
	"math"
)

// codingLoss is how much K-weighted loudness MP3 coding takes from
// limited speech, in LU: about half a unit at 64 kbps (mostly treble the
// encoder drops), measured on espeak-ng voices at 24 and 44.1 kHz.
// Prepare aims that much above the target; measuring what was encoded
// corrects the rest.
const codingLoss = 0.5

// chunkTolerance is how far, in LU, a chunk's decoded loudness may miss
// the target before it is encoded again with the gain corrected.
const chunkTolerance = 0.1

// Encode masters and encodes prepared line p as its own chunk (chunk.go)
// at the place first says (the file's first line or any other), so that
// Stream.Add only has to append its frames. It is safe to call from many
// goroutines at once, so lines can be encoded where they are prepared.
// With a gap too short to join chunks, p is returned as it is and Stream
// encodes it in line.
func Encode(p Prepared, first bool, opt Options) (Prepared, error) {
	if p.chunk != nil {
		return p, nil
	}
	if len(p.samples) == 0 || p.Stats.SampleRate != opt.SampleRate {
		return Prepared{}, fmt.Errorf("the line was not prepared for %d Hz", opt.SampleRate)
	}
	lay, err := newLayout(opt)
	if err != nil || !lay.split {
		return p, err
	}
	pre, size := lay.chunk(first, p.Stats.Samples)
	n := int(size / int64(lay.format.samples))
	gain := p.GainDB
	var frames []byte
	var blocks []float64
	for attempt := 0; ; attempt++ {
		if frames, blocks, err = encodeChunk(p, lay, pre, size, gain, opt); err != nil {
			return Prepared{}, err
		}
		l := gatedBlocks(blocks)
		miss := opt.TargetLUFS - l
		if math.IsInf(l, -1) || math.Abs(miss) <= chunkTolerance || attempt == 2 {
			break
		}
		next := min(gain+miss/max(p.slope, 0.2), p.maxGain)
		if next == gain {
			break // as loud as the limiter allows
		}
		gain = next
	}
	line := IndexLine{
		Bytes: int64(len(frames)), Frames: n, Samples: size, Pre: pre, Length: p.Stats.Samples,
		GainDB: gain, Blocks: blocks,
	}
	if p.Key != "" {
		line.Key = ChunkKey(opt, p.Key, first)
	}
	out := p
	out.GainDB = gain
	out.samples, out.peaks = nil, nil
	out.chunk = &encodedChunk{line: line, frames: frames}
	return out, nil
}

// encodeChunk limits and encodes line p at gainDB, starting at pre in a
// chunk of size samples, and measures the frames it keeps.
func encodeChunk(p Prepared, lay layout, pre, size int64, gainDB float64, opt Options) ([]byte, []float64, error) {
	c, err := newChunkEncoder(opt)
	if err != nil {
		return nil, nil, err
	}
	defer c.close()
	if err := c.add(p, pre, gainDB); err != nil {
		return nil, nil, err
	}
	if _, err := c.finish(size); err != nil {
		return nil, nil, err
	}
	// The encoder's output goes on past the chunk (its delay, flushed
	// with silence); the chunk is its first size samples' frames.
	frames, err := lay.format.cutFrames(c.take(), int(size/int64(lay.format.samples)))
	if err != nil {
		return nil, nil, fmt.Errorf("cutting the line's frames: %w", err)
	}
	frames = append([]byte(nil), frames...)
	blocks, err := measure(frames, opt.SampleRate)
	if err != nil {
		return nil, nil, err
	}
	return frames, blocks, nil
}

// measure decodes a chunk's frames and returns the loudness of its gating blocks.
func measure(frames []byte, rate int) ([]float64, error) {
	dec, err := newDecoder()
	if err != nil {
		return nil, err
	}
	defer dec.close()
	pcm, err := dec.decode(frames)
	if err != nil {
		return nil, err
	}
	m := newMeter(rate)
	m.push(pcm)
	return blockLoudness(m), nil
}
