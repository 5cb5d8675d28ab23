package audio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Options configure mastering.
type Options struct {
	SampleRate   int           // output rate: 24000 or 44100 (any MP3 rate works)
	Gap          time.Duration // silence between consecutive lines
	TargetLUFS   float64       // integrated loudness target, e.g. -16
	TruePeakDBTP float64       // true-peak ceiling, e.g. -1
	BitrateKbps  int           // CBR bitrate, e.g. 64
}

// DefaultOptions are podcast-friendly settings: 24 kHz mono, 350 ms between
// lines, -16 LUFS, -1 dBTP, 64 kbps.
func DefaultOptions() Options {
	return Options{SampleRate: 24000, Gap: 350 * time.Millisecond, TargetLUFS: -16, TruePeakDBTP: -1, BitrateKbps: 64}
}

// Segment is one synthesised line ready for mastering.
type Segment struct {
	Speaker, Text string
	Chapter       int          // index into the chapter titles passed to Master
	Stats         SegmentStats // Analyze of the line's audio
	// Open returns the line's audio as WAV at Options.SampleRate (as
	// written by WriteWAV). It is called once, when the line is reached.
	Open func() (io.ReadCloser, error)
}

// Result describes a mastered podcast.
type Result struct {
	SampleRate     int
	Samples        int64   // length of the audio, excluding MP3 encoder delay and padding
	Duration       float64 // seconds
	Cues           []Cue
	Chapters       []ChapterMark
	IntegratedLUFS float64 // of the unprocessed lines and gaps, before gain
	GainDB         float64 // applied before the limiter
	TruePeakDBTP   float64 // after the limiter, before MP3 encoding
	Bytes          int64   // bytes written to the output
}

const (
	leadIn  = 100 * time.Millisecond // silence before the first line
	tailOut = 500 * time.Millisecond // silence after the last line
	// peakMargin keeps the limiter below the requested ceiling, because
	// MP3 coding noise raises peaks a little and the 4x estimate can miss
	// a fraction of a dB.
	peakMargin = 0.5
	// streamChunk is how many samples travel through limiter and encoder
	// at once.
	streamChunk = 4096
)

// mp3Rates are the sample rates MPEG-1, 2 and 2.5 Layer III can carry.
var mp3Rates = map[int]bool{8000: true, 11025: true, 12000: true, 16000: true, 22050: true, 24000: true, 32000: true, 44100: true, 48000: true}

// Validate reports options Master cannot honour.
func (o Options) Validate() error {
	switch {
	case !mp3Rates[o.SampleRate]:
		return fmt.Errorf("sample rate %d Hz cannot be stored in MP3: use 24000 or 44100", o.SampleRate)
	case o.Gap < 0 || o.Gap > 10*time.Second:
		return fmt.Errorf("gap between lines %v must be between 0 and 10s", o.Gap)
	case o.TargetLUFS < -40 || o.TargetLUFS > -5:
		return fmt.Errorf("loudness target %g LUFS must be between -40 and -5 (podcasts use -16)", o.TargetLUFS)
	case o.TruePeakDBTP < -12 || o.TruePeakDBTP > 0:
		return fmt.Errorf("true-peak ceiling %g dBTP must be between -12 and 0 (podcasts use -1)", o.TruePeakDBTP)
	case o.BitrateKbps < 8 || o.BitrateKbps > 320:
		return fmt.Errorf("bitrate %d kbps must be between 8 and 320", o.BitrateKbps)
	}
	return nil
}

// Master turns synthesised lines into one MP3 written to out, which must be
// positioned where the file starts (a fresh *os.File). Lines are joined
// with opt.Gap of silence; the integrated loudness of the whole is computed
// from the segments' Stats before any audio is read, so the single gain
// that reaches opt.TargetLUFS is known up front, and the ID3v2.4 tag
// (including CHAP/CTOC chapters) is written first. Audio then streams one
// segment at a time through the gain, a true-peak limiter and libmp3lame;
// finally the LAME Info tag is written over the placeholder frame at the
// start of the audio so players know the exact length. Chapter i is titled
// chapterTitles[i]; with no titles there are no chapters. Cancelling ctx
// stops between segments.
func Master(ctx context.Context, segs []Segment, chapterTitles []string, tags Tags, opt Options, out io.WriteSeeker) (Result, error) {
	if err := opt.Validate(); err != nil {
		return Result{}, err
	}
	if len(segs) == 0 {
		return Result{}, errors.New("there are no lines to master")
	}
	rate := opt.SampleRate
	plan, err := planTimeline(segs, chapterTitles, opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{SampleRate: rate, Samples: plan.total, Duration: float64(plan.total) / float64(rate),
		Cues: plan.cues, Chapters: plan.chapters}

	tl := newTimeline(plan.total, blockSamples(rate))
	for i, s := range segs {
		tl.add(s.Stats, plan.cues[i].Start)
	}
	res.IntegratedLUFS = gatedLoudness(tl.energy, tl.n)
	if math.IsInf(res.IntegratedLUFS, -1) {
		return Result{}, errors.New("every line is silent (below -70 LUFS): check the TTS engine's output")
	}
	ceiling := opt.TruePeakDBTP - peakMargin
	res.GainDB = solveGain(tl, res.IntegratedLUFS, opt.TargetLUFS, math.Pow(10, ceiling/20), limiterRelease)

	tag, err := buildID3(tags, samplesToMS(plan.total, rate), plan.chapters, rate)
	if err != nil {
		return Result{}, err
	}
	start, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return Result{}, fmt.Errorf("writing the MP3: %w", err)
	}
	st, err := newStreamer(out, rate, opt.BitrateKbps, res.GainDB, ceiling)
	if err != nil {
		return Result{}, err
	}
	defer st.enc.close()
	if err := st.write(tag); err != nil {
		return Result{}, err
	}
	for i, s := range segs {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		silence := plan.cues[i].Start - st.pos
		if err := st.silence(silence); err != nil {
			return Result{}, err
		}
		if err := st.segment(s); err != nil {
			return Result{}, fmt.Errorf("line %d (%s): %w", i+1, s.Speaker, err)
		}
	}
	if err := st.silence(plan.total - st.pos); err != nil {
		return Result{}, err
	}
	if err := st.finish(start + int64(len(tag))); err != nil {
		return Result{}, err
	}
	end, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return Result{}, fmt.Errorf("writing the MP3: %w", err)
	}
	res.Bytes = end - start
	res.TruePeakDBTP = st.meter.dBTP()
	return res, nil
}

// plan is where every line and chapter goes, decided before any audio is read.
type plan struct {
	total    int64
	cues     []Cue
	chapters []ChapterMark
}

func planTimeline(segs []Segment, titles []string, opt Options) (plan, error) {
	rate := opt.SampleRate
	samplesOf := func(d time.Duration) int64 { return int64(math.Round(d.Seconds() * float64(rate))) }
	gap := samplesOf(opt.Gap)
	p := plan{cues: make([]Cue, len(segs))}
	pos := samplesOf(leadIn)
	for i, s := range segs {
		if err := checkStats(s, rate); err != nil {
			return plan{}, fmt.Errorf("line %d (%s): %w", i+1, s.Speaker, err)
		}
		if i > 0 {
			pos += gap
		}
		p.cues[i] = Cue{Speaker: s.Speaker, Text: s.Text, Start: pos, End: pos + s.Stats.Samples}
		pos += s.Stats.Samples
		if len(titles) == 0 {
			continue
		}
		if s.Chapter < 0 || s.Chapter >= len(titles) {
			return plan{}, fmt.Errorf("line %d names chapter %d, but there are %d chapters", i+1, s.Chapter, len(titles))
		}
		if n := len(p.chapters); n == 0 || segs[i-1].Chapter != s.Chapter {
			// The first chapter also covers the lead-in; the others start
			// exactly where their first line does.
			start := p.cues[i].Start
			if n == 0 {
				start = 0
			} else {
				p.chapters[n-1].End = start
			}
			p.chapters = append(p.chapters, ChapterMark{Title: titles[s.Chapter], Start: start})
		}
	}
	p.total = pos + samplesOf(tailOut)
	if n := len(p.chapters); n > 0 {
		p.chapters[n-1].End = p.total
	}
	return p, nil
}

// checkStats rejects analyses that cannot describe audio at rate.
func checkStats(s Segment, rate int) error {
	st := s.Stats
	switch {
	case s.Open == nil:
		return errors.New("the line has no audio")
	case st.SampleRate != rate:
		return fmt.Errorf("the line's audio is at %d Hz, not the output rate %d Hz", st.SampleRate, rate)
	case st.Samples <= 0 || st.Samples > MaxClipSamples:
		return fmt.Errorf("the line's analysis claims %d samples", st.Samples)
	case st.BlockSamples != blockSamples(rate) ||
		int64(len(st.Power)) != (st.Samples+int64(st.BlockSamples)-1)/int64(st.BlockSamples) ||
		len(st.TruePeak) != len(st.Power):
		return errors.New("the line's loudness analysis does not match its length; synthesise it again")
	}
	return nil
}

// streamer carries audio from segments to the MP3 file.
type streamer struct {
	out    io.WriteSeeker
	w      *bufio.Writer
	enc    *encoder
	lim    *limiter
	meter  *peakMeter
	dec    wavDecoder
	gain   float32
	rate   int
	pos    int64 // samples fed so far
	zeros  []float32
	limOut []float32
}

func newStreamer(out io.WriteSeeker, rate, kbps int, gainDB, ceilingDB float64) (*streamer, error) {
	enc, err := newEncoder(rate, kbps)
	if err != nil {
		return nil, err
	}
	ip := newInterpolator()
	return &streamer{
		out:    out,
		w:      bufio.NewWriterSize(out, 256<<10),
		enc:    enc,
		lim:    newLimiter(rate, ceilingDB, ip),
		meter:  newPeakMeter(ip),
		dec:    wavDecoder{maxSamples: MaxClipSamples},
		gain:   float32(math.Pow(10, gainDB/20)),
		rate:   rate,
		zeros:  make([]float32, streamChunk),
		limOut: make([]float32, 0, streamChunk),
	}, nil
}

func (s *streamer) write(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("writing the MP3: %w", err)
	}
	return nil
}

// feed sends already-gained samples through limiter, meter and encoder.
func (s *streamer) feed(x []float32) error {
	for len(x) > 0 {
		n := min(len(x), streamChunk)
		s.limOut = s.lim.process(s.limOut[:0], x[:n])
		if err := s.encode(s.limOut); err != nil {
			return err
		}
		s.pos += int64(n)
		x = x[n:]
	}
	return nil
}

func (s *streamer) encode(x []float32) error {
	s.meter.push(x)
	mp3, err := s.enc.encode(x)
	if err != nil {
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
	s.meter.flush()
	last, err := s.enc.flush()
	if err != nil {
		return err
	}
	if err := s.write(last); err != nil {
		return err
	}
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
