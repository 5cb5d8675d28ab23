package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
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
	// written by WriteWAV). It is called when the line is reached, once per
	// render (normally one).
	Open func() (io.ReadCloser, error)
}

// Result describes a mastered podcast.
type Result struct {
	SampleRate   int
	Samples      int64   // length of the audio, excluding MP3 encoder delay and padding
	Duration     float64 // seconds
	Cues         []Cue
	Chapters     []ChapterMark
	GainDB       float64 // mean of the lines' gains, applied before the limiter
	LoudnessLUFS float64 // integrated loudness of what was encoded
	Bytes        int64   // bytes written to the output
	// Index places every line's frames in the MP3, for reuse by a later
	// version (nil when the gap between lines is too short to join them).
	Index *Index
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

// mp3Bitrates lists the CBR bitrates Layer III allows at a sample rate
// (MPEG-1 above 24 kHz, MPEG-2 from 16 to 24 kHz, MPEG-2.5 below), nil for
// rates MP3 cannot carry.
func mp3Bitrates(rate int) []int {
	switch rate {
	case 32000, 44100, 48000:
		return []int{32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	case 16000, 22050, 24000:
		return []int{8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	case 8000, 11025, 12000:
		return []int{8, 16, 24, 32, 40, 48, 56, 64}
	}
	return nil
}

// Validate reports options Master cannot honour.
func (o Options) Validate() error {
	bitrates := mp3Bitrates(o.SampleRate)
	switch {
	case bitrates == nil:
		return fmt.Errorf("sample rate %d Hz cannot be stored in MP3: use 24000 or 44100", o.SampleRate)
	case o.Gap < 0 || o.Gap > 10*time.Second:
		return fmt.Errorf("gap between lines %v must be between 0 and 10s", o.Gap)
	case o.TargetLUFS < -40 || o.TargetLUFS > -5:
		return fmt.Errorf("loudness target %g LUFS must be between -40 and -5 (podcasts use -16)", o.TargetLUFS)
	case o.TruePeakDBTP < -12 || o.TruePeakDBTP > 0:
		return fmt.Errorf("true-peak ceiling %g dBTP must be between -12 and 0 (podcasts use -1)", o.TruePeakDBTP)
	case !slices.Contains(bitrates, o.BitrateKbps):
		return fmt.Errorf("%d kbps is not an MP3 bitrate at %d Hz: choose one of %v", o.BitrateKbps, o.SampleRate, bitrates)
	}
	return nil
}

// Master turns synthesised lines into one MP3 written to out, which must be
// positioned where the file starts (a fresh *os.File; a longer old file is
// truncated). Lines are joined with opt.Gap of silence after a short
// lead-in; cues start at each line's exact sample offset, chapter i (titled
// chapterTitles[i]) starts where its first line does, the first one at 0,
// and with no titles there are no chapters.
//
// Every line's place is known from its Stats before any audio is read, so
// the ID3v2.4 tag (with CHAP/CTOC) goes first, then the lines are read one
// at a time, prepared and streamed through a Stream behind it. Cancelling
// ctx stops between lines. Jobs that synthesise as they go use Prepare and
// Stream directly; Master is for lines that already exist.
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
	tl := newTimeline(plan.total, blockSamples(rate))
	for i, s := range segs {
		tl.add(s.Stats, plan.cues[i].Start)
	}
	if math.IsInf(gatedLoudness(tl.energy, tl.n), -1) {
		return Result{}, errors.New("every line is silent (below -70 LUFS): check the TTS engine's output")
	}
	tag, err := buildID3(tags, samplesToMS(plan.total, rate), plan.chapters, rate)
	if err != nil {
		return Result{}, err
	}
	start, err := out.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = out.Write(tag)
	}
	if err != nil {
		return Result{}, fmt.Errorf("writing the MP3: %w", err)
	}
	st, err := NewStream(opt, len(chapterTitles) > 0, out)
	if err != nil {
		return Result{}, err
	}
	defer st.Close()
	dec := wavDecoder{maxSamples: MaxClipSamples}
	for i, s := range segs {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		p, err := prepareSegment(&dec, s, opt)
		if err != nil {
			return Result{}, fmt.Errorf("line %d (%s): %w", i+1, s.Speaker, err)
		}
		if len(chapterTitles) > 0 {
			p.ChapterTitle = chapterTitles[s.Chapter]
		}
		if err := st.Add(p); err != nil {
			return Result{}, err
		}
	}
	res, err := st.Finish()
	if err != nil {
		return Result{}, err
	}
	res.Bytes += int64(len(tag))
	if t, ok := out.(interface{ Truncate(int64) error }); ok {
		if err := t.Truncate(start + res.Bytes); err != nil {
			return Result{}, fmt.Errorf("writing the MP3: %w", err)
		}
	}
	return res, nil
}

// prepareSegment reads a cached line and prepares it.
func prepareSegment(dec *wavDecoder, s Segment, opt Options) (Prepared, error) {
	rc, err := s.Open()
	if err != nil {
		return Prepared{}, fmt.Errorf("opening its audio: %w", err)
	}
	clip, err := dec.decode(rc)
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return Prepared{}, fmt.Errorf("reading its audio: %w", err)
	}
	p, err := Prepare(clip, s.Stats, opt)
	p.Speaker, p.Text, p.Chapter = s.Speaker, s.Text, s.Chapter
	return p, err
}

// ID3 returns the ID3v2.4 tag that goes before the frames of a finished
// Stream: tags, length, and the chapters as CTOC and CHAP frames.
func ID3(t Tags, res Result) ([]byte, error) {
	return buildID3(t, samplesToMS(res.Samples, res.SampleRate), res.Chapters, res.SampleRate)
}

// plan is where every line and chapter goes, decided before any audio is read.
type plan struct {
	total    int64
	cues     []Cue
	chapters []ChapterMark
}

func planTimeline(segs []Segment, titles []string, opt Options) (plan, error) {
	lay, err := newLayout(opt)
	if err != nil {
		return plan{}, err
	}
	rate := opt.SampleRate
	p := plan{cues: make([]Cue, len(segs))}
	var pos int64
	for i, s := range segs {
		if err := checkStats(s, rate); err != nil {
			return plan{}, fmt.Errorf("line %d (%s): %w", i+1, s.Speaker, err)
		}
		start, next := lay.place(i == 0, pos, s.Stats.Samples)
		p.cues[i] = Cue{Speaker: s.Speaker, Text: s.Text, Start: start, End: start + s.Stats.Samples}
		pos = next
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
	p.total = pos + lay.tailChunk()
	if n := len(p.chapters); n > 0 {
		p.chapters[n-1].End = p.total
	}
	return p, nil
}

// checkStats rejects analyses that cannot describe audio at rate.
func checkStats(s Segment, rate int) error {
	if s.Open == nil {
		return errors.New("the line has no audio")
	}
	return checkAnalysis(s.Stats, rate)
}
