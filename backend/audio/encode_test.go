package audio

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// preparedLines prepares the espeak-ng test lines at opt's rate.
func preparedLines(t *testing.T, opt Options) []Prepared {
	t.Helper()
	var ps []Prepared
	for _, l := range espeakLines {
		c := Resample(espeak(t, l.voice, l.text), opt.SampleRate)
		p, err := Prepare(c, Analyze(c), opt)
		if err != nil {
			t.Fatal(err)
		}
		p.Key, p.Speaker, p.Text = l.text, l.speaker, l.text
		p.Chapter, p.ChapterTitle = l.chapter, []string{"Intro", "Loudness"}[l.chapter]
		ps = append(ps, p)
	}
	return ps
}

// A line's chunk is the same bytes whichever goroutine encodes it, and
// however many encode at once: that is what lets a later version reuse
// them for a full mastering's.
func TestEncodeIsTheSameInParallel(t *testing.T) {
	opt := DefaultOptions()
	ps := preparedLines(t, opt)
	alone := make([]Prepared, len(ps))
	for i, p := range ps {
		var err error
		if alone[i], err = Encode(p, i == 0, opt); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 3 {
		together := make([]Prepared, len(ps))
		errs := make([]error, len(ps))
		var wg sync.WaitGroup
		for i := range ps {
			wg.Go(func() { together[i], errs[i] = Encode(ps[i], i == 0, opt) })
		}
		wg.Wait()
		for i := range ps {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if !bytes.Equal(together[i].chunk.frames, alone[i].chunk.frames) || together[i].GainDB != alone[i].GainDB {
				t.Errorf("round %d: line %d encoded at once with others differs from alone (gain %.3f, %.3f dB)",
					round, i+1, together[i].GainDB, alone[i].GainDB)
			}
		}
	}
}

// An MP3 made of reused chunks around a changed line is the file a
// Stream makes of the same lines from scratch; a reused chunk that does
// not fit its place is refused.
func TestReusedChunksMakeTheSameFile(t *testing.T) {
	opt := DefaultOptions()
	ps := preparedLines(t, opt)
	first, ix := streamFile(t, opt, ps)
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	start, err := FramesStart(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Line 3 changes (another line's audio in its place); the others come
	// from the first file.
	changed := append([]Prepared(nil), ps...)
	changed[2] = ps[4]
	changed[2].Key = "another line"
	mixed := make([]Prepared, len(changed))
	for i, p := range changed {
		if i == 2 {
			mixed[i] = p
			continue
		}
		e := ix.Lines[i]
		mixed[i] = Reused(p.Key, e, data[start+e.Offset:start+e.Offset+e.Bytes])
		mixed[i].Speaker, mixed[i].Text, mixed[i].Chapter, mixed[i].ChapterTitle = p.Speaker, p.Text, p.Chapter, p.ChapterTitle
	}
	spliced, _ := streamFile(t, opt, mixed)
	whole, _ := streamFile(t, opt, changed)
	a, _ := os.ReadFile(spliced)
	b, _ := os.ReadFile(whole)
	if !bytes.Equal(a, b) {
		t.Errorf("the spliced MP3 (%d bytes) differs from the one mastered whole (%d bytes)", len(a), len(b))
	}
	mp3valClean(t, spliced)

	// Frames reused at another place (the first line's in second place).
	f, err := os.Create(filepath.Join(t.TempDir(), "bad.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := NewStream(opt, true, f)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Add(changed[1]); err != nil {
		t.Fatal(err)
	}
	e := ix.Lines[0]
	if err := s.Add(Reused(ps[0].Key, e, data[start+e.Offset:start+e.Offset+e.Bytes])); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("the first line's frames in second place: %v", err)
	}
}

// streamFile streams lines into an MP3 file and returns its path and index.
func streamFile(t *testing.T, opt Options, ps []Prepared) (string, Index) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.mp3")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := NewStream(opt, true, f)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range ps {
		if err := s.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if res.Index == nil || len(res.Index.Lines) != len(ps) || res.Index.Check() != nil {
		t.Fatalf("index %+v", res.Index)
	}
	return path, *res.Index
}

// At a bitrate whose frames are too small for the Info tag there is none
// (LAME writes none either): the frames start the file, and are whole.
func TestStreamWithoutInfoTag(t *testing.T) {
	opt := DefaultOptions()
	opt.BitrateKbps = 32
	ps := preparedLines(t, opt)[:2]
	path, _ := streamFile(t, opt, ps)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data[:200], []byte("Info")) {
		t.Error("a 32 kbps stream has an Info tag")
	}
	if start, err := FramesStart(bytes.NewReader(data)); err != nil || start != 0 {
		t.Errorf("frames start at %d (%v), want 0", start, err)
	}
	mp3valClean(t, path)
}

// FramesStart finds the first audio frame behind an ID3 tag of any size
// and the Info frame.
func TestFramesStart(t *testing.T) {
	opt := DefaultOptions()
	path, _ := streamFile(t, opt, preparedLines(t, opt)[:1])
	frames, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, comment := range []string{"", strings.Repeat("chapters and notes ", 2000)} {
		tag, err := buildID3(Tags{Title: "T", Comment: comment}, 1000, nil, opt.SampleRate)
		if err != nil {
			t.Fatal(err)
		}
		file := append(append([]byte(nil), tag...), frames...)
		info := 192 // one 64 kbps frame at 24 kHz
		if got, err := FramesStart(bytes.NewReader(file)); err != nil || got != int64(len(tag)+info) {
			t.Errorf("with a %d-byte tag: frames start at %d (%v), want %d", len(tag), got, err, len(tag)+info)
		}
	}
	if _, err := FramesStart(bytes.NewReader([]byte("ID3\x04\x00\x00\x00\x00\x00\x05hello world, no frames"))); err == nil {
		t.Error("an ID3 tag followed by no frame is taken for an MP3")
	}
}
