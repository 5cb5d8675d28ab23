package audio

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
)

// Every line is mastered and encoded on its own, as a chunk: the pause
// before it (half the gap between lines; the lead-in for the first),
// the line, and the pause after it, rounded up to whole MP3 frames. Each
// chunk has its own limiter and its own encoder, which starts and ends in
// silence, so its frames depend on nothing but the line, and a later
// version of the podcast can copy them unchanged around an edited line:
// frames decoded across a join are silence on both sides, so the join is
// seamless (the MDCT overlap and the bit reservoir never reach across it:
// a fresh encoder's first frame borrows no bits). The pause at a join is
// the gap plus up to one frame (24 ms at 24 kHz).
//
// A gap too short to hold a join (under about 200 ms) keeps the whole
// episode one chunk, encoded as one stream; such a podcast's edits are
// mastered again whole.

// layout places lines and chunks on the timeline.
type layout struct {
	format     mp3Format
	delay      int64 // the encoder's
	gap        int64
	lead, tail int64
	split      bool // every line is its own chunk
}

func newLayout(opt Options) (layout, error) {
	rate := opt.SampleRate
	f := mp3Format{rate: rate, kbps: opt.BitrateKbps, samples: 576}
	if rate >= 32000 {
		f.samples = 1152
	}
	t, err := templateFor(f)
	if err != nil {
		return layout{}, err
	}
	l := layout{
		format: f, delay: int64(t.delay), gap: samplesAt(opt.Gap, rate),
		lead: samplesAt(leadIn, rate), tail: samplesAt(tailOut, rate),
	}
	// The frames next to a join, and what the MDCT and the filter banks
	// overlap them with, must hold only silence on either side.
	margin := l.delay + 3*int64(f.samples)
	l.split = l.gap/2 >= margin
	return l, nil
}

// chunk is where a line of n samples starts in its chunk, and the chunk's
// length (split layouts only).
func (l layout) chunk(first bool, n int64) (pre, size int64) {
	pre = l.gap / 2
	if first {
		pre = l.lead
	}
	frame := int64(l.format.samples)
	size = (pre + n + l.gap - l.gap/2 + frame - 1) / frame * frame
	return pre, size
}

// place puts a line of n samples after what ends at pos: where it starts,
// and where what follows it may begin.
func (l layout) place(first bool, pos, n int64) (start, next int64) {
	if l.split {
		pre, size := l.chunk(first, n)
		return pos + pre, pos + size
	}
	start = pos + l.gap
	if first {
		start = l.lead
	}
	return start, start + n
}

// tailChunk is the length of the silence that closes the file after what
// ends at the last line's next position.
func (l layout) tailChunk() int64 {
	if !l.split {
		return l.tail
	}
	// The last line's chunk already ends in half a gap.
	return max(l.tail-(l.gap-l.gap/2), int64(l.format.samples))
}

// chunkVersion changes whenever what a chunk's frames depend on changes
// (limiter, gain solving, layout), so frames made otherwise are not reused.
const chunkVersion = "podcastfy-chunk-1"

// ChunkKey names the frames of one line's chunk: the line's audio (key, as
// the caller identifies it, such as a cache key), whether it opens the
// file, the mastering options and the encoder. Equal keys have equal frames.
func ChunkKey(opt Options, key string, first bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d\x00%d\x00%g\x00%g\x00%t\x00%s",
		chunkVersion, lameVersion(), opt.SampleRate, opt.BitrateKbps, opt.Gap, opt.TargetLUFS, opt.TruePeakDBTP, first, key)
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// chunkEncoder limits and encodes one stretch of the timeline with its own
// limiter and encoder; positions are counted from its start.
type chunkEncoder struct {
	enc *encoder
	lim *limiter
	fed int64 // samples given to the limiter so far
	// mix and mixPk hold what lines have already put from fed on (a
	// line's low-pass tail overlaps what follows it).
	mix, mixPk []float32
	zeros      []float32
	limOut     []float32
	out        []byte // encoded, not yet taken
}

func newChunkEncoder(opt Options) (*chunkEncoder, error) {
	enc, err := newEncoder(opt.SampleRate, opt.BitrateKbps, false)
	if err != nil {
		return nil, err
	}
	return &chunkEncoder{
		enc: enc, lim: newLimiter(opt.SampleRate, opt.TruePeakDBTP-peakMargin),
		zeros: make([]float32, streamChunk),
	}, nil
}

// add mixes line p in at position at with gainDB.
func (c *chunkEncoder) add(p Prepared, at int64, gainDB float64) error {
	if err := c.feedTo(at); err != nil {
		return err
	}
	g := float32(math.Pow(10, gainDB/20))
	if need := len(p.samples); len(c.mix) < need {
		c.mix = append(c.mix, make([]float32, need-len(c.mix))...)
		c.mixPk = append(c.mixPk, make([]float32, need-len(c.mixPk))...)
	}
	for i, v := range p.samples {
		c.mix[i] += v * g
		c.mixPk[i] += p.peaks[i] * g // a bound where lines overlap
	}
	// Nothing that follows can reach back before the line's end.
	return c.feedTo(at + p.Stats.Samples)
}

// feedTo sends the timeline up to position t through limiter and encoder.
func (c *chunkEncoder) feedTo(t int64) error {
	for c.fed < t {
		n := int(min(t-c.fed, streamChunk))
		x, pk := c.zeros[:n], c.zeros[:n]
		if len(c.mix) > 0 {
			n = min(n, len(c.mix))
			x, pk = c.mix[:n], c.mixPk[:n]
		}
		c.limOut = c.lim.process(c.limOut[:0], x, pk)
		if err := c.encode(c.limOut); err != nil {
			return err
		}
		if len(c.mix) > 0 {
			c.mix, c.mixPk = c.mix[n:], c.mixPk[n:]
			if len(c.mix) == 0 {
				c.mix, c.mixPk = c.mix[:0:0], c.mixPk[:0:0]
			}
		}
		c.fed += int64(n)
	}
	return nil
}

func (c *chunkEncoder) encode(x []float32) error {
	mp3, err := c.enc.encode(x)
	if err != nil {
		return err
	}
	c.out = append(c.out, mp3...)
	return nil
}

// finish feeds silence up to position total, drains limiter and encoder,
// and returns the padding the last frame holds past total.
func (c *chunkEncoder) finish(total int64) (int, error) {
	if err := c.feedTo(total); err != nil {
		return 0, err
	}
	c.limOut = c.lim.flush(c.limOut[:0])
	if err := c.encode(c.limOut); err != nil {
		return 0, err
	}
	last, err := c.enc.flush()
	if err != nil {
		return 0, err
	}
	c.out = append(c.out, last...)
	return c.enc.padding(), nil
}

// take returns what was encoded since the last call, valid until the
// chunk encodes again.
func (c *chunkEncoder) take() []byte {
	b := c.out
	c.out = c.out[:0]
	return b
}

func (c *chunkEncoder) close() { c.enc.close() }
