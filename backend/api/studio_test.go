package api

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"podcastfy/backend/audio"
	"podcastfy/backend/core"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// gatedSynth is espeak-ng with two switches for the studio's tests: a line
// containing gate waits until release is closed (or the job is
// cancelled), and a line containing fail fails.
type gatedSynth struct {
	tts.Synthesizer
	gate, fail string
	reached    chan struct{}
	release    chan struct{}
	once       sync.Once
	calls      atomic.Int64
}

func newGatedSynth() *gatedSynth {
	return &gatedSynth{
		Synthesizer: providers.NewESpeak(providers.ESpeakConfig{}, nil),
		reached:     make(chan struct{}), release: make(chan struct{}),
	}
}

func (g *gatedSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	g.calls.Add(1)
	if g.fail != "" && strings.Contains(r.Text, g.fail) {
		return audio.Clip{}, errors.New("the voice server fell over")
	}
	if g.gate != "" && strings.Contains(r.Text, g.gate) {
		g.once.Do(func() { close(g.reached) })
		select {
		case <-g.release:
		case <-ctx.Done():
			return audio.Clip{}, ctx.Err()
		}
	}
	return g.Synthesizer.Synthesize(ctx, r)
}

// studioPodcast has alice generate a podcast with espeak-ng and returns
// its id.
func (tt *tester) studioPodcast() string {
	tt.t.Helper()
	var acc jobAccepted
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{
		"text": sourceText, "title": "Rivers", "minutes": 0.5, "writer": "extractive",
	}).want(202).decode(&acc)
	if st := tt.lastEvent(acc.JobID); st.State != core.Done {
		tt.t.Fatalf("generation ended %s: %s", st.State, st.Error)
	}
	return acc.JobID
}

// lastEvent follows a job to its end and returns its final status.
func (tt *tester) lastEvent(jobID string) core.Status {
	tt.t.Helper()
	events, _ := tt.follow(jobID, tt.aliceTok)
	if len(events) == 0 {
		tt.t.Fatal("no events")
	}
	return events[len(events)-1].status
}

// script reads a podcast's script and its ETag header.
func (tt *tester) script(id string) (core.ScriptDoc, string) {
	tt.t.Helper()
	r := tt.do("GET", "/podcasts/"+id+"/script", tt.aliceTok, nil).want(200)
	var doc core.ScriptDoc
	r.decode(&doc)
	tt.matchSchema("ScriptDoc", r.body)
	if r.header.Get("ETag") == "" || r.header.Get("ETag") != doc.ETag {
		tt.t.Fatalf("ETag header %q, body %q", r.header.Get("ETag"), doc.ETag)
	}
	return doc, doc.ETag
}

// save PUTs an edit and returns the accepted job.
func (tt *tester) save(id, etag string, doc core.ScriptDoc) jobAccepted {
	tt.t.Helper()
	var acc jobAccepted
	r := tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, doc, "If-Match: "+etag).want(202)
	r.decode(&acc)
	tt.matchSchema("JobAccepted", r.body)
	if acc.Job.PodcastID != id {
		tt.t.Fatalf("the re-voice job names podcast %q, not %q", acc.Job.PodcastID, id)
	}
	return acc
}

func (tt *tester) matchSchema(name string, body []byte) {
	tt.t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		tt.t.Fatal(err)
	}
	for _, problem := range checkSchema(tt.doc(), map[string]any{"$ref": "#/components/schemas/" + name}, v, name) {
		tt.t.Errorf("%s: %s", name, problem)
	}
}

func (tt *tester) audioBytes(id string) []byte {
	tt.t.Helper()
	return tt.do("GET", "/podcasts/"+id+"/audio", tt.aliceTok, nil).want(200).body
}

func TestStudioOneLineEditRevoicesOneSegment(t *testing.T) {
	tt := newTester(t, testOptions{synth: newGatedSynth()})
	id := tt.studioPodcast()
	before := tt.audioBytes(id)
	doc, etag := tt.script(id)
	total := 0
	for _, c := range doc.Chapters {
		total += len(c.Lines)
	}
	if doc.Version != 1 || len(doc.Speakers) != 2 || total < 4 || doc.Speakers[0].Speed != 1 || doc.Speakers[0].Voice == "" {
		t.Fatalf("script: version %d, speakers %+v, %d lines", doc.Version, doc.Speakers, total)
	}

	// Without If-Match, and with a tag that never was, nothing starts.
	tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, doc).want(428, "precondition_required")
	tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, doc, `If-Match: "v1-0000"`).want(412, "precondition_failed")
	// Bob cannot see, edit or list alice's podcast.
	tt.do("GET", "/podcasts/"+id+"/script", tt.bobTok, nil).want(404, "not_found")
	tt.do("PUT", "/podcasts/"+id+"/script", tt.bobTok, doc, "If-Match: "+etag).want(404, "not_found")
	tt.do("GET", "/podcasts/"+id+"/versions", tt.bobTok, nil).want(404, "not_found")

	edited := doc
	edited.Chapters = slices.Clone(doc.Chapters)
	edited.Chapters[0].Lines = slices.Clone(doc.Chapters[0].Lines)
	edited.Chapters[0].Lines[1].Text = "Here is one sentence that nobody said before today."
	acc := tt.save(id, etag, edited)
	st := tt.lastEvent(acc.JobID)
	if st.State != core.Done || st.SegmentsSynthesised != 1 || st.SegmentsReused != total-1 {
		t.Fatalf("re-voice: %s, %d synthesised, %d reused of %d (%s)", st.State, st.SegmentsSynthesised, st.SegmentsReused, total, st.Error)
	}
	var p podcastJSON
	tt.do("GET", "/podcasts/"+id, tt.aliceTok, nil).want(200).decode(&p)
	if p.Version != 2 || p.Lines != total {
		t.Fatalf("podcast after the edit: version %d, %d lines", p.Version, p.Lines)
	}
	after := tt.audioBytes(id)
	if string(after) == string(before) {
		t.Fatal("the podcast still serves the old MP3")
	}
	checkStudioMP3(t, tt, id, p)
	vtt := string(tt.do("GET", "/podcasts/"+id+"/transcript.vtt", tt.aliceTok, nil).want(200).body)
	if !strings.Contains(vtt, "nobody said before today") {
		t.Fatalf("the transcript lacks the edited line:\n%s", vtt)
	}
	got, etag2 := tt.script(id)
	if got.Version != 2 || etag2 == etag || got.Chapters[0].Lines[1].Text != edited.Chapters[0].Lines[1].Text {
		t.Fatalf("script after the edit: version %d, etag %q, line %q", got.Version, etag2, got.Chapters[0].Lines[1].Text)
	}
	// The edit was made from version 1: saving it again is stale.
	tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, edited, "If-Match: "+etag).want(412, "precondition_failed")

	r := tt.do("GET", "/podcasts/"+id+"/versions", tt.aliceTok, nil).want(200)
	tt.matchSchema("VersionList", r.body)
	var vs core.Versions
	r.decode(&vs)
	if vs.Current != 2 || len(vs.Versions) != 2 || !vs.Versions[1].Current || vs.Versions[0].Current {
		t.Fatalf("versions: %+v", vs)
	}

	// A change of one speaker's speed re-voices that speaker's lines only.
	speedUp := got
	speedUp.Speakers = slices.Clone(got.Speakers)
	speedUp.Speakers[1].Speed = 1.25
	acc = tt.save(id, etag2, speedUp)
	st = tt.lastEvent(acc.JobID)
	theirs := 0
	for _, c := range got.Chapters {
		for _, l := range c.Lines {
			if l.Speaker == got.Speakers[1].Name {
				theirs++
			}
		}
	}
	if st.State != core.Done || st.SegmentsSynthesised != theirs || st.SegmentsReused != total-theirs {
		t.Fatalf("speed change: %s, %d synthesised (want %d), %d reused", st.State, st.SegmentsSynthesised, theirs, st.SegmentsReused)
	}
	if d, _ := tt.script(id); d.Speakers[1].Speed != 1.25 {
		t.Fatalf("speakers after the speed change: %+v", d.Speakers)
	}

	// The feed serves the current version, under a new name.
	var feed parsedFeed
	if err := xml.Unmarshal(tt.do("GET", tt.feedPath(tt.aliceTok), "", nil).want(200).body, &feed); err != nil {
		t.Fatal(err)
	}
	enc := feed.Channel.Items[0].Enclosure
	if !strings.HasSuffix(enc.URL, "-v3.mp3") || enc.Length != int64(len(tt.audioBytes(id))) {
		t.Fatalf("the feed's enclosure %s (%d bytes) is not version 3's", enc.URL, enc.Length)
	}
	u, err := url.Parse(enc.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := tt.do("GET", u.RequestURI(), "", nil).want(200).body; string(got) != string(tt.audioBytes(id)) {
		t.Fatal("the feed's enclosure does not serve the current version")
	}

	// Restore version 1: the first MP3 is served again.
	r = tt.do("POST", "/podcasts/"+id+"/versions/1/restore", tt.aliceTok, nil).want(200)
	tt.matchSchema("Podcast", r.body)
	if string(tt.audioBytes(id)) != string(before) {
		t.Fatal("restoring version 1 does not serve its MP3")
	}
	if d, _ := tt.script(id); d.Version != 1 || d.Chapters[0].Lines[1].Text != doc.Chapters[0].Lines[1].Text {
		t.Fatalf("the restored script: version %d", d.Version)
	}
}

// checkStudioMP3 holds a re-voiced MP3 to the checks of a generated one:
// duration, loudness, true peak, and ID3 chapters matching the podcast's.
func checkStudioMP3(t *testing.T, tt *tester, id string, p podcastJSON) {
	t.Helper()
	path := filepath.Join(t.TempDir(), id+".mp3")
	if err := os.WriteFile(path, tt.audioBytes(id), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_chapters", "-show_entries", "format=duration,start_time", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var info struct {
		Format   struct{ Duration, StartTime string }
		Chapters []struct {
			StartTime string `json:"start_time"`
			Tags      struct{ Title string }
		}
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Chapters) != len(p.Chapters) || len(p.Chapters) == 0 {
		t.Fatalf("ID3 chapters %d, podcast chapters %d", len(info.Chapters), len(p.Chapters))
	}
	for i, c := range info.Chapters {
		start, _ := strconv.ParseFloat(c.StartTime, 64)
		if c.Tags.Title != p.Chapters[i].Title || math.Abs(start-p.Chapters[i].Start) > 0.05 {
			t.Fatalf("ID3 chapter %d: %q at %.2f, podcast says %q at %.2f", i, c.Tags.Title, start, p.Chapters[i].Title, p.Chapters[i].Start)
		}
	}
	out, err = exec.Command("ffmpeg", "-hide_banner", "-nostats", "-i", path, "-filter_complex", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128: %v\n%s", err, out)
	}
	summary := string(out)
	if i := strings.LastIndex(summary, "Summary:"); i >= 0 {
		summary = summary[i:]
	}
	lufs := regexp.MustCompile(`I:\s+(-?[\d.]+) LUFS`).FindStringSubmatch(summary)
	peak := regexp.MustCompile(`True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`).FindStringSubmatch(summary)
	if lufs == nil || peak == nil {
		t.Fatalf("cannot read the ebur128 summary:\n%s", summary)
	}
	if l, _ := strconv.ParseFloat(lufs[1], 64); math.Abs(l+16) > 1 {
		t.Fatalf("integrated loudness %.1f LUFS, want -16 ± 1", l)
	}
	if pk, _ := strconv.ParseFloat(peak[1], 64); pk > -1 {
		t.Fatalf("true peak %.2f dBTP, want ≤ -1", pk)
	}
}

func TestStudioRefusesBadEdits(t *testing.T) {
	tt := newTester(t, testOptions{synth: newGatedSynth()})
	id := tt.studioPodcast()
	doc, etag := tt.script(id)
	edit := func(fn func(d *core.ScriptDoc)) core.ScriptDoc {
		d := doc
		d.Speakers = slices.Clone(doc.Speakers)
		d.Chapters = make([]script.Chapter, len(doc.Chapters))
		for i, c := range doc.Chapters {
			d.Chapters[i] = script.Chapter{Title: c.Title, Lines: slices.Clone(c.Lines)}
		}
		fn(&d)
		return d
	}
	huge := edit(func(d *core.ScriptDoc) {
		d.Chapters[0].Lines = make([]script.Line, 20000)
		for i := range d.Chapters[0].Lines {
			d.Chapters[0].Lines[i] = script.Line{Speaker: doc.Speakers[0].Name, Text: "Words."}
		}
	})
	for name, c := range map[string]struct {
		doc   core.ScriptDoc
		field string
	}{
		"unknown speaker": {edit(func(d *core.ScriptDoc) { d.Chapters[0].Lines[1].Speaker = "Zed" }), "chapters[0].lines[1].speaker"},
		"empty line":      {edit(func(d *core.ScriptDoc) { d.Chapters[1].Lines[0].Text = "   " }), "chapters[1].lines[0].text"},
		"markup":          {edit(func(d *core.ScriptDoc) { d.Chapters[0].Lines[1].Text = "This is <b>bold</b> talk." }), "chapters[0].lines[1].text"},
		"stage direction": {edit(func(d *core.ScriptDoc) { d.Chapters[0].Lines[0].Text = "Well (laughs) yes." }), "chapters[0].lines[0].text"},
		"unspeakable":     {edit(func(d *core.ScriptDoc) { d.Chapters[1].Lines[1].Text = "?!" }), "chapters[1].lines[1].text"},
		"20,000 lines":    {huge, "chapters"},
		"unknown voice":   {edit(func(d *core.ScriptDoc) { d.Speakers[0].Voice = "klingon-xx" }), "speakers[0].voice"},
		"speed too high":  {edit(func(d *core.ScriptDoc) { d.Speakers[1].Speed = 5 }), "speakers[1].speed"},
		"unknown name":    {edit(func(d *core.ScriptDoc) { d.Speakers[1].Name = "Zed" }), "speakers[1].name"},
		"empty chapter":   {edit(func(d *core.ScriptDoc) { d.Chapters[1].Title = " " }), "chapters[1].title"},
		"no lines":        {edit(func(d *core.ScriptDoc) { d.Chapters[1].Lines = nil }), "chapters[1].lines"},
		"no chapters":     {edit(func(d *core.ScriptDoc) { d.Chapters = nil }), "chapters"},
		"no title":        {edit(func(d *core.ScriptDoc) { d.Title = "" }), "title"},
	} {
		t.Run(name, func(t *testing.T) {
			r := tt.with(t).do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, c.doc, "If-Match: "+etag).want(400, "invalid_request")
			var e errorBody
			r.decode(&e)
			if e.Error.Field != c.field || e.Error.Message == "" {
				t.Fatalf("field %q (%s), want %q", e.Error.Field, e.Error.Message, c.field)
			}
		})
	}
	// A body past the bound is refused as it arrives.
	big := fmt.Sprintf(`{"chapters":[{"title":"x","lines":[{"speaker":"A","text":"%s"}]}]}`, strings.Repeat("a", MaxScriptBytes))
	tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, big, "If-Match: "+etag).want(413, "too_large")
	if p, _ := tt.store.Podcasts().Get(id); p.CurrentVersion() != 1 {
		t.Fatalf("a refused edit changed the podcast to version %d", p.CurrentVersion())
	}
	if _, after := tt.script(id); after != etag {
		t.Fatal("a refused edit changed the script")
	}
}

func TestStudioWhileRevoicing(t *testing.T) {
	synth := newGatedSynth()
	synth.gate = "held back"
	tt := newTester(t, testOptions{synth: synth})
	id := tt.studioPodcast()
	v1 := tt.audioBytes(id)
	doc, etag := tt.script(id)
	edited := doc
	edited.Chapters = slices.Clone(doc.Chapters)
	edited.Chapters[0].Lines = slices.Clone(doc.Chapters[0].Lines)
	edited.Chapters[0].Lines[0].Text = "This line is held back for a while."
	acc := tt.save(id, etag, edited)
	<-synth.reached

	// While it runs: the old version plays, a second edit and a restore wait.
	if string(tt.audioBytes(id)) != string(v1) {
		t.Fatal("the previous version is not playable while the new one is made")
	}
	tt.do("PUT", "/podcasts/"+id+"/script", tt.aliceTok, doc, "If-Match: "+etag).want(409, "job_running")
	tt.do("POST", "/podcasts/"+id+"/versions/1/restore", tt.aliceTok, nil).want(409, "job_running")

	// Cancelled: nothing of the new version is left.
	tt.do("DELETE", "/jobs/"+acc.JobID, tt.aliceTok, nil).want(200)
	if p, _ := tt.store.Podcasts().Get(id); p.CurrentVersion() != 1 || string(tt.audioBytes(id)) != string(v1) {
		t.Fatalf("after a cancel the podcast is at version %d", p.CurrentVersion())
	}
	assertOnlyCommittedFiles(t, tt, id)

	// Failed: the same.
	synth.gate, synth.fail = "", "falls over"
	edited.Chapters[0].Lines[0].Text = "This line falls over in the voice server."
	acc = tt.save(id, etag, edited)
	if st := tt.lastEvent(acc.JobID); st.State != core.Failed || !strings.Contains(st.Error, "fell over") {
		t.Fatalf("the failing re-voice ended %s: %q", st.State, st.Error)
	}
	if p, _ := tt.store.Podcasts().Get(id); p.CurrentVersion() != 1 || string(tt.audioBytes(id)) != string(v1) {
		t.Fatalf("after a failure the podcast is at version %d", p.CurrentVersion())
	}
	assertOnlyCommittedFiles(t, tt, id)

	// Resuming the cancelled edit, which the failed one did not commit,
	// makes version 2.
	synth.fail = ""
	if _, err := tt.jobs.Resume(t.Context(), tt.alice.ID, acc.JobID); err != nil {
		t.Fatal(err)
	}
	if st := tt.lastEvent(acc.JobID); st.State != core.Done {
		t.Fatalf("resumed re-voice: %s %s", st.State, st.Error)
	}
	if p, _ := tt.store.Podcasts().Get(id); p.CurrentVersion() != 2 {
		t.Fatalf("after the resume the podcast is at version %d", p.CurrentVersion())
	}
}

// assertOnlyCommittedFiles fails on any file of the podcast in the library
// folder that its metadata does not name.
func assertOnlyCommittedFiles(t *testing.T, tt *tester, id string) {
	t.Helper()
	p, err := tt.store.Podcasts().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{id + ".json": true}
	for _, v := range p.History() {
		for _, name := range v.Files {
			named[name] = true
		}
	}
	entries, err := os.ReadDir(tt.paths.PodcastsDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), id) && !named[e.Name()] {
			t.Fatalf("%s is left in the library", e.Name())
		}
	}
}

func TestStudioKeepsThreeVersions(t *testing.T) {
	tt := newTester(t, testOptions{synth: newGatedSynth()})
	id := tt.studioPodcast()
	for i := range 4 {
		doc, etag := tt.script(id)
		doc.Chapters[0].Lines[0].Text = fmt.Sprintf("Take %s of the opening line.", []string{"two", "three", "four", "five"}[i])
		if st := tt.lastEvent(tt.save(id, etag, doc).JobID); st.State != core.Done {
			t.Fatalf("edit %d: %s %s", i, st.State, st.Error)
		}
	}
	var vs core.Versions
	tt.do("GET", "/podcasts/"+id+"/versions", tt.aliceTok, nil).want(200).decode(&vs)
	var got []int
	for _, v := range vs.Versions {
		got = append(got, v.Version)
	}
	if vs.Current != 5 || !slices.Equal(got, []int{3, 4, 5}) {
		t.Fatalf("versions %v, current %d; want the newest 3", got, vs.Current)
	}
	tt.do("POST", "/podcasts/"+id+"/versions/1/restore", tt.aliceTok, nil).want(404, "not_found")
	tt.do("POST", "/podcasts/"+id+"/versions/x/restore", tt.aliceTok, nil).want(404, "not_found")
	var p podcastJSON
	tt.do("POST", "/podcasts/"+id+"/versions/3/restore", tt.aliceTok, nil).want(200).decode(&p)
	if p.Version != 3 {
		t.Fatalf("restored version %d", p.Version)
	}
	if d, _ := tt.script(id); d.Chapters[0].Lines[0].Text != "Take three of the opening line." {
		t.Fatalf("the restored script says %q", d.Chapters[0].Lines[0].Text)
	}
	assertOnlyCommittedFiles(t, tt, id)
	// The pruned versions' files are gone.
	for _, name := range []string{id + ".mp3", id + ".v2.mp3"} {
		if _, err := os.Stat(filepath.Join(tt.paths.PodcastsDir(), name)); !os.IsNotExist(err) {
			t.Fatalf("%s outlived its version", name)
		}
	}
	if n := len(store.Podcast{}.History()); n != 1 {
		t.Fatal("a podcast without versions is version 1")
	}
}

func TestStudioRewrite(t *testing.T) {
	fake := ollamatest.New("llama3.2")
	stop := sync.OnceFunc(fake.Close)
	t.Cleanup(stop)
	ol, err := llm.NewOllama(llm.OllamaConfig{Host: fake.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tt := newTester(t, testOptions{synth: newGatedSynth(), rewriter: ol, writer: "auto"})
	id := tt.studioPodcast()
	doc, etag := tt.script(id)
	speaker := doc.Chapters[0].Lines[1].Speaker
	fake.Enqueue(ollamatest.Reply{Content: fmt.Sprintf(`{"lines":[{"speaker":%q,"text":"Rivers carve **deep** valleys over 3 ages."}]}`, speaker)})
	r := tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 0, "line": 1, "instruction": "shorter"}).want(200)
	tt.matchSchema("RewriteProposal", r.body)
	var prop core.Proposal
	r.decode(&prop)
	if len(prop.Lines) != 1 || prop.Lines[0].Speaker != speaker || prop.Lines[0].Text != "Rivers carve deep valleys over three ages." {
		t.Fatalf("proposal: %+v", prop.Lines)
	}
	chats := fake.Chats()
	prompt := chats[len(chats)-1].Messages[1].Content
	if !strings.Contains(prompt, ">>> "+speaker+": "+doc.Chapters[0].Lines[1].Text) || !strings.Contains(prompt, "Instruction: shorter") || !strings.Contains(prompt, "Rivers shape the land") {
		t.Fatalf("the prompt lacks the marked line, the instruction or the source:\n%s", prompt)
	}
	// A proposal is not saved.
	if _, after := tt.script(id); after != etag {
		t.Fatal("a rewrite changed the script")
	}
	tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 9, "instruction": "shorter"}).want(400, "invalid_request")
	tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 0, "line": 99, "instruction": "shorter"}).want(400, "invalid_request")
	tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 0, "instruction": " "}).want(400, "invalid_request")
	tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.bobTok, map[string]any{"chapter": 0, "instruction": "shorter"}).want(404, "not_found")

	// Ollama gone: unavailable, saying why.
	stop()
	r = tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 0, "instruction": "simpler"}).want(503, "writer_unavailable")
	var e errorBody
	r.decode(&e)
	if !strings.Contains(e.Error.Message, "not reachable") {
		t.Fatalf("the message does not say why: %q", e.Error.Message)
	}
}

func TestStudioRewriteOffline(t *testing.T) {
	tt := newTester(t, testOptions{synth: newGatedSynth()})
	id := tt.studioPodcast()
	r := tt.do("POST", "/podcasts/"+id+"/script/rewrite", tt.aliceTok, map[string]any{"chapter": 0, "instruction": "simpler"}).want(503, "writer_unavailable")
	var e errorBody
	r.decode(&e)
	if !strings.Contains(e.Error.Message, "Ollama") {
		t.Fatalf("the message does not say why: %q", e.Error.Message)
	}
}
