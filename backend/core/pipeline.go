package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

// Share of the whole job's progress each stage accounts for.
const (
	writeShare  = 0.15
	synthShare  = 0.75
	masterShare = 0.10
)

// progressInterval spaces progress events (about ten per second at most).
const progressInterval = 100 * time.Millisecond

func (s *Service) run(ctx context.Context, j *job) {
	s.mu.Lock()
	owner := j.rec.Status.Owner
	s.mu.Unlock()
	if err := s.sched.acquire(ctx, owner); err != nil {
		s.finish(ctx, j, store.Podcast{}, err)
		return
	}
	defer s.sched.release(owner)
	p, err := s.execute(ctx, j)
	s.finish(ctx, j, p, err)
}

// finish records how the job ended and tells the listeners.
func (s *Service) finish(ctx context.Context, j *job, p store.Podcast, err error) {
	if err == nil || !errors.Is(context.Cause(ctx), errShutdown) {
		// Uploads are kept only while the job can resume where it was; they
		// go before the final event, so a listener never sees them linger.
		s.mu.Lock()
		srcs := j.rec.Request.Sources
		s.mu.Unlock()
		removeOwnedSources(srcs)
	}
	name := events.JobDone
	s.update(j, true, func(st *Status) {
		st.ETA = 0
		switch {
		case err == nil:
			st.State, st.Stage, st.Progress, st.PodcastID, st.Title = Done, "Ready to listen", 1, p.ID, p.Title
			st.Segment = st.Segments
		case errors.Is(context.Cause(ctx), errShutdown):
			st.State, st.Stage = Interrupted, "Interrupted when podcastfy stopped — resume to continue"
			name = events.JobFailed
		case ctx.Err() != nil:
			st.State, st.Stage = Cancelled, "Cancelled"
			name = events.JobFailed
		default:
			st.State, st.Stage, st.Error = Failed, "Failed", err.Error()
			name = events.JobFailed
		}
	})
	st, _ := s.get("", j.rec.Status.ID)
	if err != nil && st.State == Failed {
		s.log.Warn("job failed", "job", st.ID, "err", err)
	}
	s.deps.Emitter.Emit(name, st)
}

// update changes the job's status under the lock; it emits a progress event
// and saves the job file when forced (state changes) or when enough time has
// passed since the last one.
func (s *Service) update(j *job, force bool, fn func(*Status)) {
	now := s.deps.Now()
	s.mu.Lock()
	fn(&j.rec.Status)
	j.rec.Status.UpdatedAt = now.UTC()
	emit := force || now.Sub(j.lastEmit) >= progressInterval
	save := force || now.Sub(j.lastSave) >= max(j.saveGap, time.Second)
	if emit {
		j.lastEmit = now
	}
	if save {
		j.lastSave = now
	}
	rec := j.rec
	s.mu.Unlock()
	if save {
		if err := s.saveRecord(j, rec); err != nil {
			s.log.Error("saving job state", "job", rec.Status.ID, "err", err)
		}
	}
	if emit && rec.Status.State.Running() {
		s.deps.Emitter.Emit(events.JobProgress, rec.Status)
	}
}

func (s *Service) execute(ctx context.Context, j *job) (store.Podcast, error) {
	s.mu.Lock()
	req, id, sc, resumed := j.rec.Request, j.rec.Status.ID, j.rec.Script, j.resumed
	s.mu.Unlock()

	// A resumed job whose podcast was already committed is simply done. A
	// new job has none, and does not ask: the library's lock may be held
	// by another job's commit for as long as its files take to reach the
	// disk, and a job's start must not wait for another job.
	if resumed {
		if p, err := s.deps.Podcasts.Get(id); err == nil && p.Owner == req.Owner {
			return p, nil
		}
	}
	if req.Revoice != nil {
		return s.revoice(ctx, j, req, sc)
	}
	tpl, err := s.templateFor(req.Owner, req.TemplateID)
	if err != nil {
		return store.Podcast{}, fmt.Errorf("template %q: %w", req.TemplateID, err)
	}
	if len(req.Sources) > 0 && !req.SourcesRead && sc == nil {
		if req, err = s.readSources(ctx, j, req); err != nil {
			return store.Podcast{}, err
		}
	}
	synth, err := s.deps.Synths.Synthesizer(req.TTS)
	if err != nil {
		return store.Podcast{}, err
	}
	if sc == nil {
		return s.writeAndProduce(ctx, j, req, tpl, synth)
	}
	return s.produce(ctx, j, req, tpl, *sc, synth)
}

// writeScript has the script written. onLine receives each line the
// writer hands over, as it writes it (see llm.Request.OnLine), and
// onRestart is called when the writer starts over (writer "auto" falling
// back); either may be nil.
func (s *Service) writeScript(ctx context.Context, j *job, req Request, tpl template.Template, onLine func(llm.ChapterLine) error, onRestart func()) (script.Script, error) {
	s.update(j, true, func(st *Status) { st.State, st.Stage, st.Progress = Writing, "Choosing a script writer", 0 })
	w, warning, err := s.deps.Writers.Writer(ctx, req.Writer)
	if err != nil {
		return script.Script{}, err
	}
	s.update(j, true, func(st *Status) {
		st.Writer, st.Warning = w.Name(), warning
		st.Stage = "Writing the script (" + w.Name() + ")"
	})
	progress := func(p llm.Progress) {
		s.update(j, false, func(st *Status) {
			st.Stage = "Writing the script (" + w.Name() + ")"
			if p.Parts > 1 {
				st.Stage += fmt.Sprintf(", part %d of %d", p.Part, p.Parts)
				st.Progress = writeShare * float64(p.Part-1) / float64(p.Parts)
			}
			if p.Stage == "repairing" {
				st.Stage += ", fixing the model's answer"
			}
		})
		if p.Stage == "restarting" && onRestart != nil {
			onRestart()
		}
	}
	warn := func(msg string) {
		s.update(j, true, func(st *Status) {
			if st.Warning == "" {
				st.Warning = msg
			} else {
				st.Warning += "\n" + msg
			}
		})
	}
	sc, err := w.Write(ctx, llm.Request{
		Source: req.Text, Title: req.Title, Template: &tpl, Minutes: req.Minutes,
		Language: req.Language, Focus: req.Focus, Warn: warn, OnLine: onLine,
	}, progress)
	if err != nil {
		return script.Script{}, fmt.Errorf("writing the script (%s): %w", w.Name(), err)
	}
	s.update(j, false, func(st *Status) { st.Writer = w.Name() }) // "auto" may have fallen back
	names := speakerNames(tpl)
	sc.Normalize(names)
	if err := sc.Validate(names); err != nil {
		return script.Script{}, fmt.Errorf("the %s writer produced an unusable script: %w", w.Name(), err)
	}
	if req.Title != "" {
		sc.Title = req.Title
	}
	if strings.TrimSpace(sc.Title) == "" {
		sc.Title = fallbackTitle(req.Text)
	}
	s.mu.Lock()
	j.rec.Script = &sc
	j.rec.inputs++
	j.rec.Status.Title = sc.Title
	s.mu.Unlock()
	s.update(j, true, func(st *Status) { st.Progress = writeShare })
	return sc, nil
}

// master writes the finished podcast's files — the MP3 (the ID3 tag, which
// needs the final length and chapters, then the frames copied behind it:
// one sequential read, cheaper than reserving tag space that chapter
// titles could still overflow), the transcript, chapters and script — and
// commits them to the library.
func (s *Service) master(ctx context.Context, j *job, req Request, tpl template.Template, sc script.Script, e encoded) (store.Podcast, error) {
	res, frames := e.res, e.frames
	id := j.rec.Status.ID
	if req.Revoice != nil {
		id = req.Revoice.PodcastID // a new version's files are the podcast's
	}
	s.update(j, true, func(st *Status) {
		st.State, st.Stage, st.Progress, st.ETA = Mastering, "Finishing: tags, chapters and transcript", writeShare+synthShare, 0
	})
	staged := map[string]string{}
	committed := false
	defer func() {
		if !committed {
			for _, p := range staged {
				os.Remove(p)
			}
		}
	}()
	stage := func(kind, ext string) (*os.File, error) {
		path, err := s.deps.Podcasts.StagePath(id, kind, ext)
		if err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
		if err != nil {
			return nil, err
		}
		staged[kind] = path
		return f, nil
	}

	names := speakerNames(tpl)
	tags := audio.Tags{
		Title: sc.Title, Artist: strings.Join(names, ", "), Album: s.cfg.Show,
		Date: s.deps.Now().Format("2006-01-02"), Comment: sc.Summary,
	}
	tag, err := audio.ID3(tags, res)
	if err != nil {
		return store.Podcast{}, fmt.Errorf("mastering: %w", err)
	}
	err = writeStaged(stage, "audio", "mp3", func(w io.Writer) error {
		if _, err := w.Write(tag); err != nil {
			return err
		}
		if _, err := frames.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := io.Copy(w, frames)
		return err
	})
	if err != nil {
		return store.Podcast{}, fmt.Errorf("writing the MP3: %w", err)
	}
	companions := []struct {
		kind, ext string
		write     func(io.Writer) error
	}{
		{"vtt", "vtt", func(w io.Writer) error { return audio.WriteVTT(w, res.Cues, res.SampleRate) }},
		{"srt", "srt", func(w io.Writer) error { return audio.WriteSRT(w, res.Cues, res.SampleRate) }},
		{"chapters", "json", func(w io.Writer) error { return audio.WriteChaptersJSON(w, res.Chapters, res.SampleRate) }},
		{"script", "json", func(w io.Writer) error { return writeJSON(w, sc) }},
	}
	if res.Index != nil {
		companions = append(companions, struct {
			kind, ext string
			write     func(io.Writer) error
		}{store.KindFrames, "json", func(w io.Writer) error { return json.NewEncoder(w).Encode(res.Index) }})
	}
	for _, c := range companions {
		if err := writeStaged(stage, c.kind, c.ext, c.write); err != nil {
			return store.Podcast{}, fmt.Errorf("writing the %s file: %w", c.kind, err)
		}
	}
	if err := stageSourceAudio(req.Sources, stage); err != nil {
		return store.Podcast{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Podcast{}, err
	}
	voices := recordedVoices(tpl, req)

	text := req.Text
	tplID := tpl.ID
	marks := make([]store.ChapterMark, len(res.Chapters))
	for i, c := range res.Chapters {
		marks[i] = store.ChapterMark{Title: c.Title, Start: float64(c.Start) / float64(res.SampleRate)}
	}
	s.mu.Lock()
	writer := j.rec.Status.Writer
	s.mu.Unlock()
	var p store.Podcast
	if req.Revoice != nil {
		p, err = s.commitVersion(req, store.Version{
			Title: sc.Title, Summary: sc.Summary, Duration: res.Duration, Lines: sc.LineCount(), Words: sc.Words(),
			Chapters: marks, Voices: voices, Job: j.rec.Status.ID, CreatedAt: s.deps.Now().UTC(),
		}, staged)
	} else {
		p, err = s.deps.Podcasts.Commit(store.Podcast{
			ID: id, Title: sc.Title, Duration: res.Duration,
			GeneratedDate: s.deps.Now().UTC(), SourceText: &text, TemplateUsed: &tplID,
			Owner: req.Owner, Status: "ready", Summary: sc.Summary, Speakers: names, Language: req.Language,
			Chapters: marks, Writer: writer, TTS: req.TTS, Lines: sc.LineCount(), Words: sc.Words(), Voices: voices,
		}, staged)
	}
	if err != nil {
		return store.Podcast{}, fmt.Errorf("saving the podcast: %w", err)
	}
	committed = true
	s.pin(p, e.keys)
	return p, nil
}

// recordedVoices records the voice and speed each speaker was given.
func recordedVoices(tpl template.Template, req Request) []store.SpeakerVoice {
	voices := speakerVoices(tpl, req)
	out := make([]store.SpeakerVoice, len(tpl.Speakers))
	for i, sp := range tpl.Speakers {
		out[i] = store.SpeakerVoice{Speaker: sp.Name, Voice: voices[strings.ToLower(sp.Name)], Speed: speedOf(req, sp.Name)}
	}
	return out
}

func writeStaged(stage func(kind, ext string) (*os.File, error), kind, ext string, write func(io.Writer) error) error {
	f, err := stage(kind, ext)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func speakerNames(tpl template.Template) []string {
	names := make([]string, len(tpl.Speakers))
	for i, sp := range tpl.Speakers {
		names[i] = sp.Name
	}
	return names
}

// fallbackTitle makes a title from the first words of the source.
func fallbackTitle(text string) string {
	words := strings.Fields(text)
	if len(words) > 8 {
		words = words[:8]
	}
	t := strings.Join(words, " ")
	if t == "" {
		return "Untitled podcast"
	}
	return t
}
