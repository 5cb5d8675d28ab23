package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	"podcastfy/backend/audio"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
)

// maxQueuedLines bounds the lines written but not yet taken by synthesis
// (a two-hour script has about a thousand).
const maxQueuedLines = 4096

// errRewritten stops a production whose lines the writer went back on.
var errRewritten = errors.New("the writer started over")

// produce synthesises a finished script and masters it.
func (s *Service) produce(ctx context.Context, j *job, req Request, tpl template.Template, sc script.Script, synth tts.Synthesizer) (store.Podcast, error) {
	planned := s.planLines(sc, tpl, req)
	lines := make(chan plannedLine, len(planned))
	for _, l := range planned {
		lines <- l
	}
	close(lines)
	prior := s.openPriorFrames(req)
	defer prior.close()
	e, err := s.encode(ctx, j, synth, lines, func() int { return len(planned) }, prior)
	defer e.close()
	if err != nil {
		return store.Podcast{}, err
	}
	return s.master(ctx, j, req, tpl, sc, e)
}

// writeAndProduce has the script written and synthesises each line as
// soon as the writer hands it over, so the first lines are heard while the
// rest are still being written; lines the finished script has beyond the
// streamed ones follow them. When the finished script does not start with
// the lines streamed (the writer started over, or changed what it had
// sent), that MP3 is dropped and the final script produced from the start:
// lines already synthesised come from the cache.
func (s *Service) writeAndProduce(ctx context.Context, j *job, req Request, tpl template.Template, synth tts.Synthesizer) (store.Podcast, error) {
	pctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	lines := make(chan plannedLine, maxQueuedLines)
	var total atomic.Int64
	type outcome struct {
		e   encoded
		err error
	}
	out := make(chan outcome, 1)
	go func() {
		e, err := s.encode(pctx, j, synth, lines, func() int { return int(total.Load()) }, nil)
		out <- outcome{e, err}
	}()
	names := speakerNames(tpl)
	voices := speakerVoices(tpl, req)
	var streamed []plannedLine
	broken := false
	abandon := func() {
		broken = true
		stop(errRewritten)
	}
	onLine := func(l llm.ChapterLine) error {
		if broken {
			return nil
		}
		one := script.Script{Chapters: []script.Chapter{{Title: l.Title, Lines: []script.Line{l.Line}}}}
		one.Normalize(names)
		if one.Validate(names) != nil || (len(streamed) > 0 && l.Chapter < streamed[len(streamed)-1].chapter) {
			abandon() // the whole script's check will say what is wrong
			return nil
		}
		for _, pl := range planChapter(l.Chapter, one.Chapters[0], voices, req) {
			select {
			case lines <- pl:
				streamed = append(streamed, pl)
			case <-pctx.Done():
				broken = true
				return nil
			}
		}
		return nil
	}
	sc, err := s.writeScript(ctx, j, req, tpl, onLine, abandon)
	if err == nil && !broken {
		// The lines streamed must be where the script starts; what the
		// writer added after its last chapter follows them.
		final := s.planLines(sc, tpl, req)
		if len(final) >= len(streamed) && slices.Equal(streamed, final[:len(streamed)]) {
			total.Store(int64(len(final)))
			s.update(j, true, func(st *Status) {
				st.State, st.Segments = Synthesising, len(final)
				st.Stage = fmt.Sprintf("Synthesising line %d of %d", st.Segment, len(final))
				st.Progress = max(st.Progress, writeShare)
			})
			for _, l := range final[len(streamed):] {
				select {
				case lines <- l:
				case <-pctx.Done():
				}
			}
			close(lines)
			o := <-out
			defer o.e.close()
			if o.err != nil {
				return store.Podcast{}, o.err
			}
			return s.master(ctx, j, req, tpl, sc, o.e)
		}
	}
	close(lines)
	stop(errRewritten)
	o := <-out
	o.e.close()
	if err != nil {
		return store.Podcast{}, err
	}
	return s.produce(ctx, j, req, tpl, sc, synth)
}

// encoded is a job's finished MP3 frames, waiting for their tag.
type encoded struct {
	res    audio.Result
	frames *os.File
	path   string
	keys   []string // the cache keys of its segments, in order
}

// close removes the frames file.
func (e encoded) close() {
	if e.frames != nil {
		e.frames.Close()
		os.Remove(e.path)
	}
}

// encode synthesises the lines as they come and masters them as it goes:
// every line is encoded as soon as it and the lines before it are ready,
// into the job's frames file (which GET /jobs/{id}/audio serves while it
// grows), so when the last line is in only the ID3 tag and the companion
// files remain. prior is the frames a re-voice may reuse (nil for none). total is the number of lines once known (0 before). The
// returned encoded must be closed, also on error.
func (s *Service) encode(ctx context.Context, j *job, synth tts.Synthesizer, lines <-chan plannedLine, total func() int, prior *priorFrames) (encoded, error) {
	e := encoded{path: s.framesPath(j.rec.Status.ID)}
	f, err := os.OpenFile(e.path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
	if err != nil {
		return e, fmt.Errorf("starting the MP3: %w", err)
	}
	e.frames = f
	stream, err := audio.NewStream(s.cfg.Audio, true, f)
	if err != nil {
		return e, err
	}
	defer stream.Close()
	live := newLiveAudio(e.path, s.cfg.Audio.SampleRate)
	s.mu.Lock()
	j.live = live
	s.mu.Unlock()
	defer live.end()
	add := func(p audio.Prepared) error {
		if err := stream.Add(p); err != nil {
			return err
		}
		cues := stream.Cues()
		live.addLine(cues[len(cues)-1])
		live.publish(stream.Written())
		s.firstAudio(j)
		return nil
	}
	if e.keys, err = s.synthesise(ctx, j, synth, lines, total, prior, add); err != nil {
		return e, err
	}
	if e.res, err = stream.Finish(); err != nil {
		return e, fmt.Errorf("mastering: %w", err)
	}
	live.publish(e.res.Bytes)
	return e, nil
}

// firstAudio records, once per run, how long the job took to have audio
// to listen to, and tells the listeners.
func (s *Service) firstAudio(j *job) {
	s.mu.Lock()
	first := j.rec.Status.FirstAudio == 0
	s.mu.Unlock()
	if !first {
		return
	}
	secs := max(s.deps.Now().Sub(j.started).Seconds(), 0.001)
	s.update(j, true, func(st *Status) { st.FirstAudio = secs })
	st, _ := s.get("", j.rec.Status.ID)
	s.deps.Emitter.Emit(events.JobAudio, st)
}

// framesPath is where a job's MP3 frames grow before the podcast is committed.
func (s *Service) framesPath(id string) string { return filepath.Join(s.cfg.JobsDir, id+".frames.mp3") }
