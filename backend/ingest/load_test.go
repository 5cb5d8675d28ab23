package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

func TestLoadSeveral(t *testing.T) {
	srv := site(t)
	fake := asrtest.NewOpenAI(t, asrtest.Config{Text: "Spoken words about hives."})
	tr, err := asr.New(asr.ProviderOpenAI, fake.URL, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mdPath := filepath.Join(dir, "garden.md")
	if err := os.WriteFile(mdPath, readTestdata(t, "everything.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := New(Options{Transcriber: tr}, nil)
	var progress []Progress
	doc, err := in.Load(context.Background(), []Source{
		{Kind: KindText, Text: "Pasted words."},
		{Kind: KindFile, Path: mdPath},
		{Kind: KindURL, URL: srv.URL + "/article"},
		{Kind: KindAudio, Name: "interview.wav", Data: speech(t)["wav"]},
	}, func(p Progress) { progress = append(progress, p) })
	if err != nil {
		t.Fatal(err)
	}
	for i, label := range []string{"Source 1: Pasted text", "Source 2: Everything & More", "Source 3: How Bees Talk", "Source 4: interview"} {
		if !strings.Contains(doc.Text, label+"\n\n") {
			t.Errorf("no label %q", label)
		}
		if s := doc.Sections[indexOfLevel0(doc.Sections, i)]; s.Title != label || !strings.HasPrefix(doc.Text[s.Offset:], label) {
			t.Errorf("label section %d = %+v", i, s)
		}
	}
	if !strings.HasPrefix(doc.Text, "Source 1: Pasted text\n\nPasted words.\n\nSource 2:") {
		t.Errorf("text starts %q", doc.Text[:60])
	}
	for _, s := range doc.Sections {
		if !strings.HasPrefix(doc.Text[s.Offset:], s.Title) {
			t.Errorf("section %q at %d points at %q", s.Title, s.Offset, doc.Text[s.Offset:min(len(doc.Text), s.Offset+30)])
		}
	}
	wantSources := []SourceInfo{{"Pasted text", KindText, 13}, {"garden.md", KindFile, 0}, {"How Bees Talk", KindURL, 0}, {"interview.wav", KindAudio, 25}}
	for i, s := range doc.Sources {
		w := wantSources[i]
		if s.Name != w.Name || s.Kind != w.Kind || w.Chars != 0 && s.Chars != w.Chars || s.Chars == 0 {
			t.Errorf("source %d = %+v, want %+v", i+1, s, w)
		}
	}
	if doc.Title != "Everything & More" { // the first source with a title
		t.Errorf("title %q", doc.Title)
	}
	if doc.Language != "en" {
		t.Errorf("language %q, want the page's", doc.Language)
	}
	// Progress: every source reaches "done", in order; the audio reports its upload.
	var done []int
	stages := map[string]bool{}
	for _, p := range progress {
		if p.Sources != 4 || p.Source < 1 || p.Source > 4 || p.Name == "" {
			t.Fatalf("bad progress %+v", p)
		}
		if p.Stage == StageDone {
			done = append(done, p.Source)
		}
		stages[p.Stage] = true
	}
	if fmt.Sprint(done) != "[1 2 3 4]" {
		t.Errorf("done reports %v", done)
	}
	for _, s := range []string{StageReading, StageFetching, StageExtracting, asr.StageUploading, asr.StageTranscribing} {
		if !stages[s] {
			t.Errorf("no %q progress", s)
		}
	}
}

func indexOfLevel0(secs []Section, n int) int {
	for i, s := range secs {
		if s.Level == 0 {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return 0
}

func TestLoadOne(t *testing.T) {
	doc, err := New(Options{}, nil).Load(context.Background(), []Source{{Kind: KindText, Text: "# Title\n\nBody."}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != "Title\n\nBody." || doc.Title != "Title" || len(doc.Sections) != 1 || doc.Sections[0].Offset != 0 {
		t.Errorf("got %+v", doc)
	}
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pdf")
	tests := []struct {
		name     string
		opts     Options
		sources  []Source
		is       error
		contains string
	}{
		{"nothing", Options{}, nil, ErrInvalidInput, "no sources"},
		{"empty text", Options{}, []Source{{Kind: KindText, Text: "ok"}, {Kind: KindText, Text: " \n "}}, ErrEmpty,
			"source 2 (Pasted text): no readable text: the text is empty"},
		{"unknown kind", Options{}, []Source{{Kind: "video"}}, ErrInvalidInput, `source 1 (upload): invalid source: kind "video"`},
		{"missing file", Options{}, []Source{{Kind: KindFile, Path: missing}}, ErrInvalidInput, "source 1 (missing.pdf): invalid source: cannot open the file"},
		{"a directory", Options{}, []Source{{Kind: KindFile, Path: t.TempDir()}}, ErrInvalidInput, "is not a regular file"},
		{"audio kind but text", Options{}, []Source{{Kind: KindAudio, Name: "talk.txt", Data: []byte("words")}}, ErrNotAudio,
			"source 1 (talk.txt): not audio: talk.txt is text, not a recording"},
		{"bad url", Options{}, []Source{{Kind: KindURL, URL: "file:///etc/passwd"}}, ErrScheme, "source 1 (file:///etc/passwd)"},
		{"total limit", Options{MaxTotalBytes: 30}, []Source{{Kind: KindText, Text: "twenty bytes of text"}, {Kind: KindText, Name: "Second", Text: "and twenty more bytes"}},
			ErrTooLarge, "source 2 (Second): too large: together the sources hold more than 30 bytes of text"},
		{"pasted text too large", Options{MaxSourceBytes: 10}, []Source{{Kind: KindText, Text: "more than ten bytes"}}, ErrTooLarge, "the limit is 10 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts, nil).Load(context.Background(), tt.sources, nil)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.contains)
			}
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(Options{}, nil).Load(ctx, []Source{{Kind: KindText, Text: "words"}}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
