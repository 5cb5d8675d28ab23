package audio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Stream masters lines in the order they are added and encodes them at
// once, so the MP3 grows while later lines are still being synthesised and
// is finished when the last one is in: there is no second pass. Each line
// arrives from Prepare with its own gain; the stream measures the
// loudness of what it has encoded so far and corrects following lines by
// up to maxCorrection dB, so the whole file lands on the target. One
// limiter runs over the whole timeline, so its look-ahead spans the joins
// between lines.
//
// The frames (without an ID3 tag) go to out from its position when the
// stream starts; ID3 builds the tag for the finished file. A Stream is not
// safe for concurrent use.
type Stream struct {
	opt   Options
	out   io.WriteSeeker
	start int64 // where the frames begin in out
	w     *bufio.Writer
	enc   *encoder
	dec   *decoder // what listeners hear, for the meter
	lim   *limiter
	meter *meter
	raw   *timeline // the lines' own analysis, for Result.IntegratedLUFS

	chapters bool
	chapter  int // of the last line
	gap      int64
	lines    int
	end      int64 // end of the last line on the timeline
	fed      int64 // samples given to the limiter so far
	// mix and mixPk hold the timeline from fed on that lines have already
	// reached (a line's low-pass tail overlaps what follows it).
	mix, mixPk []float32
	zeros      []float32
	limOut     []float32
	work       []float32

	cues    []Cue
	marks   []ChapterMark
	gainSum float64
	// the lines' lengths in sub-blocks, and weighted by their corrections
	// as power ratios: what loudness the gains so far aimed at
	intendedN, intendedW float64
	bytes                int64
	finished             bool
	err                  error
}

// NewStream starts a stream writing frames to out. With chapters false no
// chapter marks are made whatever the lines say.
func NewStream(opt Options, chapters bool, out io.WriteSeeker) (*Stream, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	start, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("writing the MP3: %w", err)
	}
	enc, err := newEncoder(opt.SampleRate, opt.BitrateKbps)
	if err != nil {
		return nil, err
	}
	dec, err := newDecoder()
	if err != nil {
		enc.close()
		return nil, err
	}
	rate := opt.SampleRate
	return &Stream{
		opt: opt, out: out, start: start, w: bufio.NewWriterSize(out, 64<<10), enc: enc, dec: dec,
		lim:      newLimiter(rate, opt.TruePeakDBTP-peakMargin),
		meter:    newMeter(rate),
		raw:      &timeline{n: blockSamples(rate)},
		chapters: chapters,
		gap:      samplesAt(opt.Gap, rate),
		end:      samplesAt(leadIn, rate),
		zeros:    make([]float32, streamChunk),
	}, nil
}

func samplesAt(d time.Duration, rate int) int64 {
	return int64(math.Round(d.Seconds() * float64(rate)))
}

// Add masters and encodes line p after the ones before it.
func (s *Stream) Add(p Prepared) error {
	if s.err != nil {
		return s.err
	}
	if s.finished {
		return errors.New("the MP3 is already finished")
	}
	if len(p.samples) == 0 || p.Stats.SampleRate != s.opt.SampleRate {
		return fmt.Errorf("line %d was not prepared for %d Hz", s.lines+1, s.opt.SampleRate)
	}
	start := s.end
	if s.lines > 0 {
		start += s.gap
	}
	c := s.correction(len(p.Stats.Power))
	gainDB := p.GainDB + c
	s.gainSum += gainDB
	s.intendedN += float64(len(p.Stats.Power))
	s.intendedW += float64(len(p.Stats.Power)) * math.Pow(10, c/10)
	s.lines++
	if s.chapters && (len(s.marks) == 0 || p.Chapter != s.chapter) {
		at := start
		if n := len(s.marks); n == 0 {
			at = 0
		} else {
			s.marks[n-1].End = at
		}
		s.marks = append(s.marks, ChapterMark{Title: p.ChapterTitle, Start: at})
		s.chapter = p.Chapter
	}
	s.cues = append(s.cues, Cue{Speaker: p.Speaker, Text: p.Text, Start: start, End: start + p.Stats.Samples})
	s.end = start + p.Stats.Samples
	s.raw.grow(s.end)
	s.raw.add(p.Stats, start)

	if err := s.feedTo(start); err != nil {
		return s.fail(err)
	}
	// Mix the line (and its tail) into what is pending from start on.
	g := float32(math.Pow(10, gainDB/20))
	if need := len(p.samples); len(s.mix) < need {
		s.mix = append(s.mix, make([]float32, need-len(s.mix))...)
		s.mixPk = append(s.mixPk, make([]float32, need-len(s.mixPk))...)
	}
	for i, v := range p.samples {
		s.mix[i] += v * g
		s.mixPk[i] += p.peaks[i] * g // a bound where lines overlap
	}
	// Nothing that follows can reach back before the line's end.
	if err := s.feedTo(s.end); err != nil {
		return s.fail(err)
	}
	if err := s.w.Flush(); err != nil {
		return s.fail(fmt.Errorf("writing the MP3: %w", err))
	}
	return nil
}

func (s *Stream) fail(err error) error {
	s.err = err
	return err
}

// correction is the gain, in dB, that steers the next line (n sub-blocks
// long) towards the target. Two terms: the bias the lines so far showed
// (how much quieter the decoded MP3 came out than their gains intended:
// MP3 coding takes some treble, the limiter model is not exact), and the
// energy the file so far lacks, made up over the next 15 s or so.
func (s *Stream) correction(n int) float64 {
	sum, count := s.meter.gated()
	if count == 0 || s.intendedN == 0 {
		return 0
	}
	measured := powerToLoudness(sum / float64(count))
	intended := s.opt.TargetLUFS + 10*math.Log10(s.intendedW/s.intendedN)
	bias := max(-maxCorrection, min(maxCorrection, intended-measured))
	target := loudnessToPower(s.opt.TargetLUFS - bias)
	horizon := float64(max(n, 150))
	f := 1 + float64(count)*(loudnessToPower(s.opt.TargetLUFS)-sum/float64(count))/(horizon*target)
	deficit := -maxCorrection
	if f > 0 {
		deficit = 10 * math.Log10(f)
	}
	return max(-maxCorrection, min(maxCorrection, bias+deficit))
}

// feedTo sends the timeline up to sample t through limiter and encoder.
func (s *Stream) feedTo(t int64) error {
	for s.fed < t {
		n := int(min(t-s.fed, streamChunk))
		x, pk := s.zeros[:n], s.zeros[:n]
		if len(s.mix) > 0 {
			n = min(n, len(s.mix))
			x, pk = s.mix[:n], s.mixPk[:n]
		}
		s.limOut = s.lim.process(s.limOut[:0], x, pk)
		if err := s.encode(s.limOut); err != nil {
			return err
		}
		if len(s.mix) > 0 {
			s.mix, s.mixPk = s.mix[n:], s.mixPk[n:]
			if len(s.mix) == 0 {
				s.mix, s.mixPk = s.mix[:0:0], s.mixPk[:0:0]
			}
		}
		s.fed += int64(n)
	}
	return nil
}

func (s *Stream) encode(x []float32) error {
	mp3, err := s.enc.encode(x)
	if err != nil {
		return err
	}
	return s.write(mp3)
}

func (s *Stream) write(b []byte) error {
	pcm, err := s.dec.decode(b)
	if err != nil {
		return err
	}
	s.meter.push(pcm)
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("writing the MP3: %w", err)
	}
	s.bytes += int64(len(b))
	return nil
}

// Cues are the lines added so far with their place on the timeline, in
// order; the caller must not change them.
func (s *Stream) Cues() []Cue { return s.cues[:len(s.cues):len(s.cues)] }

// Written is how many bytes of frames the stream has written to out so far.
func (s *Stream) Written() int64 { return s.bytes - int64(s.w.Buffered()) }

// Finish adds the closing silence, drains limiter and encoder, writes the
// LAME Info tag over the placeholder frame at the start (so players know
// the exact length) and describes the file. out is left at the end.
func (s *Stream) Finish() (Result, error) {
	if s.err != nil {
		return Result{}, s.err
	}
	if s.lines == 0 {
		return Result{}, errors.New("there are no lines to master")
	}
	s.finished = true
	rate := s.opt.SampleRate
	total := s.end + samplesAt(tailOut, rate)
	if err := s.feedTo(total); err != nil {
		return Result{}, s.fail(err)
	}
	s.limOut = s.lim.flush(s.limOut[:0])
	if err := s.encode(s.limOut); err != nil {
		return Result{}, s.fail(err)
	}
	last, err := s.enc.flush()
	if err == nil {
		err = s.write(last)
	}
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil {
		err = s.writeLameTag()
	}
	if err != nil {
		return Result{}, s.fail(fmt.Errorf("writing the MP3: %w", err))
	}
	loudness := gatedLoudness(s.meter.energy, s.meter.block)
	if math.IsInf(loudness, -1) {
		return Result{}, s.fail(errors.New("every line is silent (below -70 LUFS): check the TTS engine's output"))
	}
	if n := len(s.marks); n > 0 {
		s.marks[n-1].End = total
	}
	return Result{
		SampleRate: rate, Samples: total, Duration: float64(total) / float64(rate),
		Cues: s.cues, Chapters: s.marks,
		IntegratedLUFS: gatedLoudness(s.raw.energy, s.raw.n), GainDB: s.gainSum / float64(s.lines),
		LoudnessLUFS: loudness, Bytes: s.bytes,
	}, nil
}

func (s *Stream) writeLameTag() error {
	tag := s.enc.lameTag()
	if len(tag) == 0 {
		return nil
	}
	end, err := s.out.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := s.out.Seek(s.start, io.SeekStart); err != nil {
		return err
	}
	if _, err := s.out.Write(tag); err != nil {
		return err
	}
	_, err = s.out.Seek(end, io.SeekStart)
	return err
}

// Close releases the encoder; call it whether or not Finish was.
func (s *Stream) Close() {
	s.enc.close()
	s.dec.close()
}

// meter measures the integrated loudness of the signal being encoded.
type meter struct {
	kw     *kWeighting
	block  int       // samples per 100 ms sub-block
	fill   int       // samples in the current sub-block
	sum    float64   // its energy so far
	energy []float64 // per completed sub-block
}

func newMeter(rate int) *meter { return &meter{kw: newKWeighting(rate), block: blockSamples(rate)} }

func (m *meter) push(x []float32) {
	for len(x) > 0 {
		n := min(len(x), m.block-m.fill)
		m.sum += m.kw.sumSquares(x[:n])
		m.fill += n
		if m.fill == m.block {
			m.energy = append(m.energy, m.sum)
			m.sum, m.fill = 0, 0
		}
		x = x[n:]
	}
}

// gated returns the sum and count of the mean powers of the 400 ms blocks
// that pass BS.1770's gates so far.
func (m *meter) gated() (sum float64, count int) {
	e := m.energy
	if len(e) < 4 {
		return 0, 0
	}
	absPower := loudnessToPower(absoluteGate)
	var all float64
	var n int
	for i := 0; i+4 <= len(e); i++ {
		if p := (e[i] + e[i+1] + e[i+2] + e[i+3]) / float64(4*m.block); p > absPower {
			all += p
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	rel := loudnessToPower(powerToLoudness(all/float64(n)) + relativeGate)
	for i := 0; i+4 <= len(e); i++ {
		if p := (e[i] + e[i+1] + e[i+2] + e[i+3]) / float64(4*m.block); p > absPower && p > rel {
			sum += p
			count++
		}
	}
	return sum, count
}
