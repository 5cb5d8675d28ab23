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
// arrives from Prepare with the gain that brings it, limited, to the
// loudness target, and becomes its own chunk of frames (chunk.go), which
// the Result's Index places so a later version can reuse it (Reused).
//
// The frames (without an ID3 tag) go to out from its position when the
// stream starts, behind a placeholder for the Info/LAME tag that Finish
// writes; ID3 builds the tag for the finished file. A Stream is not safe
// for concurrent use.
type Stream struct {
	opt   Options
	lay   layout
	tpl   infoTemplate
	out   io.WriteSeeker
	start int64 // where the Info frame begins in out
	w     *bufio.Writer

	// one is the single chunk of a layout whose lines cannot be split,
	// measured as it goes by dec and meter.
	one   *chunkEncoder
	dec   *decoder
	meter *meter

	chapters bool
	chapter  int // of the last line
	lines    int
	pos      int64 // where the next line's placement begins

	cues    []Cue
	marks   []ChapterMark
	index   []IndexLine
	blocks  []float64 // decoded loudness of every gating block, all chunks
	gainSum float64

	frames   int   // audio frames written
	bytes    int64 // bytes written to out, Info frame included
	crc      crc16 // of the audio frames
	finished bool
	err      error
}

// NewStream starts a stream writing frames to out. With chapters false no
// chapter marks are made whatever the lines say.
func NewStream(opt Options, chapters bool, out io.WriteSeeker) (*Stream, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	lay, err := newLayout(opt)
	if err != nil {
		return nil, err
	}
	tpl, err := templateFor(lay.format)
	if err != nil {
		return nil, err
	}
	start, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("writing the MP3: %w", err)
	}
	s := &Stream{opt: opt, lay: lay, tpl: tpl, out: out, start: start, w: bufio.NewWriterSize(out, 64<<10), chapters: chapters}
	if !lay.split {
		if s.one, err = newChunkEncoder(opt); err != nil {
			return nil, err
		}
		if s.dec, err = newDecoder(); err != nil {
			s.one.close()
			return nil, err
		}
		s.meter = newMeter(opt.SampleRate)
	}
	if err := s.put(tpl.placeholder()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func samplesAt(d time.Duration, rate int) int64 {
	return int64(math.Round(d.Seconds() * float64(rate)))
}

// Add masters and encodes line p after the ones before it; p comes from
// Prepare, from Encode (which does the work Add would) or from Reused when
// its frames exist already.
func (s *Stream) Add(p Prepared) error {
	if s.err != nil {
		return s.err
	}
	if s.finished {
		return errors.New("the MP3 is already finished")
	}
	first := s.lines == 0
	if p.chunk == nil && s.lay.split {
		var err error
		if p, err = Encode(p, first, s.opt); err != nil {
			return fmt.Errorf("line %d: %w", s.lines+1, err)
		}
	}
	switch {
	case p.chunk != nil:
		if err := s.lay.checkChunk(p, s.opt, first); err != nil {
			return fmt.Errorf("line %d: %w", s.lines+1, err)
		}
	case len(p.samples) == 0 || p.Stats.SampleRate != s.opt.SampleRate:
		return fmt.Errorf("line %d was not prepared for %d Hz", s.lines+1, s.opt.SampleRate)
	}
	start, next := s.lay.place(first, s.pos, p.Stats.Samples)
	s.lines++
	s.gainSum += p.GainDB
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
	var err error
	if p.chunk != nil {
		line := p.chunk.line
		line.Offset = s.bytes - int64(len(s.tpl.frame))
		s.index = append(s.index, line)
		s.blocks = append(s.blocks, line.Blocks...)
		err = s.writeFrames(p.chunk.frames, line.Frames)
	} else if err = s.one.add(p, start, p.GainDB); err == nil {
		err = s.writeMeasured(s.one.take())
	}
	s.pos = next
	if err == nil {
		err = s.w.Flush()
	}
	if err != nil {
		return s.fail(err)
	}
	return nil
}

// writeMeasured writes frames of the single chunk, measuring them.
func (s *Stream) writeMeasured(b []byte) error {
	pcm, err := s.dec.decode(b)
	if err != nil {
		return err
	}
	s.meter.push(pcm)
	// LAME's output need not end on a frame: Finish counts them.
	return s.writeFrames(b, 0)
}

func (s *Stream) writeFrames(b []byte, n int) error {
	s.frames += n
	s.crc = s.crc.update(b)
	return s.put(b)
}

func (s *Stream) put(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("writing the MP3: %w", err)
	}
	s.bytes += int64(len(b))
	return nil
}

func (s *Stream) fail(err error) error {
	s.err = err
	return err
}

// Cues are the lines added so far with their place on the timeline, in
// order; the caller must not change them.
func (s *Stream) Cues() []Cue { return s.cues[:len(s.cues):len(s.cues)] }

// Written is how many bytes of frames the stream has written to out so far.
func (s *Stream) Written() int64 { return s.bytes - int64(s.w.Buffered()) }

// Finish adds the closing silence, writes the Info/LAME tag over the
// placeholder at the start (so players know the exact length) and
// describes the file. out is left at the end.
func (s *Stream) Finish() (Result, error) {
	if s.err != nil {
		return Result{}, s.err
	}
	if s.lines == 0 {
		return Result{}, errors.New("there are no lines to master")
	}
	s.finished = true
	rate := s.opt.SampleRate
	total := s.pos + s.lay.tailChunk()
	padding, err := s.close(total)
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil {
		err = s.writeInfo(padding)
	}
	if err != nil {
		return Result{}, s.fail(fmt.Errorf("writing the MP3: %w", err))
	}
	if s.meter != nil {
		s.blocks = blockLoudness(s.meter)
	}
	loudness := gatedBlocks(s.blocks)
	if math.IsInf(loudness, -1) {
		return Result{}, s.fail(errors.New("every line is silent (below -70 LUFS): check the TTS engine's output"))
	}
	if n := len(s.marks); n > 0 {
		s.marks[n-1].End = total
	}
	res := Result{
		SampleRate: rate, Samples: total, Duration: float64(total) / float64(rate),
		Cues: s.cues, Chapters: s.marks, GainDB: s.gainSum / float64(s.lines),
		LoudnessLUFS: loudness, Bytes: s.bytes,
	}
	if s.lay.split {
		res.Index = &Index{Version: IndexVersion, Lines: s.index}
	}
	return res, nil
}

// close encodes what follows the last line up to total and returns the
// padding of the file's last frame.
func (s *Stream) close(total int64) (int, error) {
	if !s.lay.split {
		padding, err := s.one.finish(total)
		if err == nil {
			err = s.writeMeasured(s.one.take())
		}
		s.frames = s.one.enc.frameCount()
		return padding, err
	}
	c, err := newChunkEncoder(s.opt)
	if err != nil {
		return 0, err
	}
	defer c.close()
	padding, err := c.finish(total - s.pos)
	if err != nil {
		return 0, err
	}
	b := c.take()
	n, err := s.lay.format.countFrames(b)
	if err != nil {
		return 0, fmt.Errorf("the encoder's output: %w", err)
	}
	return padding, s.writeFrames(b, n)
}

func (s *Stream) writeInfo(padding int) error {
	tag, err := s.tpl.info(s.frames, s.bytes-int64(len(s.tpl.frame)), padding, s.crc)
	if err != nil || len(tag) == 0 {
		return err
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
	if s.one != nil {
		s.one.close()
		s.dec.close()
	}
}

// meter measures the loudness of decoded audio per 100 ms sub-block.
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
