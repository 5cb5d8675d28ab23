package audio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
)

// rendered is what one render measured in its own output.
type rendered struct {
	bytes    int64
	truePeak float64 // dBTP of the decoded MP3
	loudness float64 // LUFS of the decoded MP3
}

// render writes the whole file at out's current position: tag, audio, and
// finally the LAME tag over its placeholder frame.
func render(ctx context.Context, out io.WriteSeeker, segs []Segment, p plan, tag []byte, opt Options, gainDB, ceilingDB float64) (rendered, error) {
	start, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return rendered{}, fmt.Errorf("writing the MP3: %w", err)
	}
	st, err := newStreamer(out, opt.SampleRate, opt.BitrateKbps, gainDB, ceilingDB)
	if err != nil {
		return rendered{}, err
	}
	defer st.close()
	if err := st.write(tag); err != nil {
		return rendered{}, err
	}
	for i, s := range segs {
		if err := ctx.Err(); err != nil {
			return rendered{}, err
		}
		if err := st.silence(p.cues[i].Start - st.pos); err != nil {
			return rendered{}, err
		}
		if err := st.segment(s); err != nil {
			return rendered{}, fmt.Errorf("line %d (%s): %w", i+1, s.Speaker, err)
		}
	}
	if err := st.silence(p.total - st.pos); err != nil {
		return rendered{}, err
	}
	if err := st.finish(start + int64(len(tag))); err != nil {
		return rendered{}, err
	}
	end, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return rendered{}, fmt.Errorf("writing the MP3: %w", err)
	}
	return rendered{bytes: end - start, truePeak: st.check.peak.dBTP(), loudness: st.check.loudness()}, nil
}

// streamer carries audio from segments through gain, limiter and encoder
// to the file, and the encoded frames through a decoder to the output check.
type streamer struct {
	out    io.WriteSeeker
	w      *bufio.Writer
	enc    *encoder
	lp     *lowpass
	lim    *limiter
	check  *outputCheck
	dec    wavDecoder
	gain   float32
	rate   int
	pos    int64 // samples fed so far
	zeros  []float32
	work   []float32
	limOut []float32
}

func newStreamer(out io.WriteSeeker, rate, kbps int, gainDB, ceilingDB float64) (*streamer, error) {
	enc, err := newEncoder(rate, kbps)
	if err != nil {
		return nil, err
	}
	check, err := newOutputCheck(rate)
	if err != nil {
		enc.close()
		return nil, err
	}
	cutoff := maxLowpass * float64(rate)
	if lp := enc.lowpassHz(); lp > 0 {
		cutoff = min(cutoff, 0.97*lp)
	}
	return &streamer{
		out:    out,
		lp:     newLowpass(rate, cutoff),
		w:      bufio.NewWriterSize(out, 256<<10),
		enc:    enc,
		lim:    newLimiter(rate, ceilingDB, newInterpolator()),
		check:  check,
		dec:    wavDecoder{maxSamples: MaxClipSamples},
		gain:   float32(math.Pow(10, gainDB/20)),
		rate:   rate,
		zeros:  make([]float32, streamChunk),
		work:   make([]float32, streamChunk),
		limOut: make([]float32, 0, streamChunk),
	}, nil
}

func (s *streamer) close() {
	s.enc.close()
	s.check.close()
}

func (s *streamer) write(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("writing the MP3: %w", err)
	}
	return nil
}

// feed sends already-gained samples through low-pass, limiter and encoder.
func (s *streamer) feed(x []float32) error {
	for len(x) > 0 {
		n := min(len(x), streamChunk)
		w := s.work[:n]
		copy(w, x)
		s.lp.process(w)
		s.limOut = s.lim.process(s.limOut[:0], w)
		if err := s.encode(s.limOut); err != nil {
			return err
		}
		s.pos += int64(n)
		x = x[n:]
	}
	return nil
}

func (s *streamer) encode(x []float32) error {
	mp3, err := s.enc.encode(x)
	if err != nil {
		return err
	}
	return s.emit(mp3)
}

// emit writes encoded frames and decodes them for the check.
func (s *streamer) emit(mp3 []byte) error {
	if err := s.check.write(mp3); err != nil {
		return err
	}
	return s.write(mp3)
}

func (s *streamer) silence(n int64) error {
	for n > 0 {
		k := min(n, int64(len(s.zeros)))
		if err := s.feed(s.zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

func (s *streamer) segment(seg Segment) error {
	rc, err := seg.Open()
	if err != nil {
		return fmt.Errorf("opening its audio: %w", err)
	}
	clip, err := s.dec.decode(rc)
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reading its audio: %w", err)
	}
	if clip.SampleRate != s.rate {
		return fmt.Errorf("its audio is at %d Hz, not the output rate %d Hz", clip.SampleRate, s.rate)
	}
	if int64(len(clip.Samples)) != seg.Stats.Samples {
		return fmt.Errorf("its audio has %d samples but its analysis %d; synthesise it again", len(clip.Samples), seg.Stats.Samples)
	}
	for i := range clip.Samples {
		clip.Samples[i] *= s.gain
	}
	return s.feed(clip.Samples)
}

// finish drains limiter and encoder and writes the LAME tag at tagAt.
func (s *streamer) finish(tagAt int64) error {
	s.limOut = s.lim.flush(s.limOut[:0])
	if err := s.encode(s.limOut); err != nil {
		return err
	}
	last, err := s.enc.flush()
	if err != nil {
		return err
	}
	if err := s.emit(last); err != nil {
		return err
	}
	s.check.finish()
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("writing the MP3: %w", err)
	}
	tag := s.enc.lameTag()
	if len(tag) == 0 {
		return nil
	}
	if _, err := s.out.Seek(tagAt, io.SeekStart); err != nil {
		return fmt.Errorf("writing the MP3's length tag: %w", err)
	}
	if _, err := s.out.Write(tag); err != nil {
		return fmt.Errorf("writing the MP3's length tag: %w", err)
	}
	return nil
}

// outputCheck measures the decoded MP3: true peak and integrated loudness.
type outputCheck struct {
	dec    *decoder
	peak   *peakMeter
	kw     *kWeighting
	block  int       // samples per 100 ms sub-block
	fill   int       // samples in the current sub-block
	sum    float64   // its energy so far
	energy []float64 // per completed sub-block
}

func newOutputCheck(rate int) (*outputCheck, error) {
	dec, err := newDecoder()
	if err != nil {
		return nil, err
	}
	return &outputCheck{dec: dec, peak: newPeakMeter(newInterpolator()), kw: newKWeighting(rate), block: blockSamples(rate)}, nil
}

func (c *outputCheck) write(mp3 []byte) error {
	pcm, err := c.dec.decode(mp3)
	if err != nil {
		return err
	}
	c.peak.push(pcm)
	for len(pcm) > 0 {
		n := min(len(pcm), c.block-c.fill)
		c.sum += c.kw.sumSquares(pcm[:n])
		c.fill += n
		if c.fill == c.block {
			c.energy = append(c.energy, c.sum)
			c.sum, c.fill = 0, 0
		}
		pcm = pcm[n:]
	}
	return nil
}

func (c *outputCheck) finish() { c.peak.flush() }

func (c *outputCheck) loudness() float64 { return gatedLoudness(c.energy, c.block) }

func (c *outputCheck) close() { c.dec.close() }
