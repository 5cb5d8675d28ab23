package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

// speech is espeak-ng's recording in every accepted container, made once.
func speech(t *testing.T) map[string][]byte {
	t.Helper()
	speechOnce.Do(func() {
		wav := asrtest.Speech(t, "Bees talk by dancing on the comb.")
		m := map[string][]byte{"wav": wav}
		for _, ext := range []string{"mp3", "ogg", "flac", "m4a", "webm"} {
			m[ext] = asrtest.Encode(t, wav, ext)
		}
		speechByExt = m
	})
	if speechByExt == nil {
		t.Fatal("the speech fixtures could not be made (see the first failing test)")
	}
	return speechByExt
}

var (
	speechOnce  sync.Once
	speechByExt map[string][]byte
)

func TestDetectAudio(t *testing.T) {
	for ext, data := range speech(t) {
		if got, ok := DetectAudio(data); !ok || got != ext {
			t.Errorf("DetectAudio(%s) = %q %v", ext, got, ok)
		}
	}
	if _, ok := DetectAudio([]byte("ID3 is not enough")); ok {
		t.Error("text accepted as audio")
	}
}

func TestFile(t *testing.T) {
	fake := asrtest.NewWhisperASR(t, asrtest.Config{Text: "Bees talk by dancing on the comb. They share where flowers are."})
	tr, err := asr.New(asr.ProviderWhisperASR, fake.URL, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := New(Options{Transcriber: tr}, nil)
	audio := speech(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	zip := []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml")
	tests := []struct {
		name     string
		file     string
		data     []byte
		want     string // substring of the text
		title    string
		is       error
		contains string
	}{
		{"plain text", "notes.txt", []byte("Line one\nstill one.\n\nTwo."), "Line one still one.\n\nTwo.", "notes", nil, ""},
		{"markdown by extension", "guide.md", []byte("# Guide\n\nUse *this*."), "Guide\n\nUse this.", "Guide", nil, ""},
		{"markdown syntax in a .txt", "readme.txt", []byte("# Setup\n\nRun `make`."), "Setup\n\nRun `make`.", "Setup", nil, ""},
		{"html by extension", "page.htm", []byte("<p>Hello <b>there</b>.</p>"), "Hello there.", "page", nil, ""},
		{"html without extension", "download", []byte("<!DOCTYPE html><html><head><title>T</title></head><body><p>Body.</p></body></html>"), "Body.", "T", nil, ""},
		{"pdf by content, any name", "report.bin", reportPDF(t), "The extraction of honey", "Living With Bees", nil, ""},
		{"latin-1 text", "old.txt", []byte("na\xefve caf\xe9"), "naïve café", "old", nil, ""},
		{"title from a file name", "my_great-notes.v2.txt", []byte("Text."), "Text.", "my great notes v2", nil, ""},
		{"audio wav", "talk.wav", audio["wav"], "Bees talk by dancing on the comb. They share", "talk", nil, ""},
		{"audio mp3 named .txt", "notes.txt", audio["mp3"], "They share where flowers are.", "notes", nil, ""},
		{"audio flac", "a.flac", audio["flac"], "Bees talk", "a", nil, ""},
		{"audio ogg", "a.ogg", audio["ogg"], "Bees talk", "a", nil, ""},
		{"audio m4a", "a.m4a", audio["m4a"], "Bees talk", "a", nil, ""},
		{"audio webm", "a.webm", audio["webm"], "Bees talk", "a", nil, ""},
		{"empty", "empty.txt", nil, "", "", ErrEmpty, "the file is empty"},
		{"only white space", "blank.md", []byte(" \n\t\n "), "", "", ErrEmpty, "blank.md contains no readable text"},
		{"markdown of only code", "code.md", []byte("```\nx := 1\n```\n"), "", "", ErrEmpty, "no readable text"},
		{"binary named .txt", "data.txt", []byte("\x00\x01\x02\x03binary\x00\x00\xff\xfe"), "", "", ErrBinary, "binary data"},
		{"image named .txt", "photo.txt", png, "", "", ErrUnsupported, "an image (image/png)"},
		{"docx", "letter.docx", zip, "", "", ErrUnsupported, "export the document as PDF or plain text"},
		{"text named .mp3", "song.mp3", []byte("not really a song"), "", "", ErrNotAudio, "named like audio but its content is text"},
		{"png named .wav", "x.wav", png, "", "", ErrNotAudio, "an image"},
		{"text named .pdf", "paper.pdf", []byte("just text"), "", "", ErrUnsupported, "not a PDF"},
		{"scanned pdf", "scan.pdf", scannedPDF(t), "", "", ErrNoTextLayer, "OCR"},
		{"encrypted pdf", "secret.pdf", encryptedPDF(t, "pw"), "", "", ErrEncrypted, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := in.File(context.Background(), tt.file, bytes.NewReader(tt.data))
			if tt.is != nil {
				var se *SourceError
				if !errors.Is(err, tt.is) || !errors.As(err, &se) || se.Name != tt.file || !strings.Contains(err.Error(), tt.contains) {
					t.Fatalf("err = %v, want %v naming %s and containing %q", err, tt.is, tt.file, tt.contains)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Text, tt.want) || doc.Title != tt.title {
				t.Errorf("got %q titled %q; want text with %q titled %q", doc.Text, doc.Title, tt.want, tt.title)
			}
			if len(doc.Sources) != 1 || doc.Sources[0].Chars != len([]rune(doc.Text)) {
				t.Errorf("sources %+v", doc.Sources)
			}
		})
	}
	// The server got each recording under the extension of its real format.
	for _, r := range fake.Requests() {
		if ext, _ := DetectAudio(r.File); filepath.Ext(r.FileName) != "."+ext {
			t.Errorf("%s was sent as %q", ext, r.FileName)
		}
	}
}

// TestFileStreamsAudio: a recording on disk goes to the server without
// being read into memory first, and unknown sizes are handled too.
func TestFileStreamsAudio(t *testing.T) {
	fake := asrtest.NewWhisperCpp(t, asrtest.Config{})
	tr, err := asr.New(asr.ProviderWhisperCpp, fake.URL, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := New(Options{Transcriber: tr, ASR: asr.Options{Language: "en"}}, nil)
	wav := speech(t)["wav"]
	path := filepath.Join(t.TempDir(), "talk.wav")
	if err := os.WriteFile(path, wav, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := in.File(context.Background(), "talk.wav", f)
	if err != nil || !strings.HasPrefix(doc.Text, "Hello and welcome.") || doc.Language != "english" {
		t.Fatalf("file: %q (%s), %v", doc.Text, doc.Language, err)
	}
	// A reader of unknown length (a pipe).
	if _, err := in.File(context.Background(), "talk.wav", io.MultiReader(bytes.NewReader(wav))); err != nil {
		t.Fatalf("pipe: %v", err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || !bytes.Equal(reqs[0].File, wav) || !bytes.Equal(reqs[1].File, wav) || reqs[0].Fields["language"][0] != "en" {
		t.Errorf("the server got %d requests", len(reqs))
	}
}

func TestAudioErrors(t *testing.T) {
	wav := speech(t)["wav"]
	down := func() string {
		fake := asrtest.NewWhisperASR(t, asrtest.Config{})
		fake.Close()
		return fake.URL
	}()
	mk := func(provider, url string) asr.Transcriber {
		tr, err := asr.New(provider, url, "", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	tests := []struct {
		name     string
		opts     Options
		data     []byte
		is       error
		contains string
	}{
		{"no transcriber", Options{}, wav, ErrNoASR, "needs a speech recognition server"},
		{"whisper down", Options{Transcriber: mk(asr.ProviderWhisperASR, down)}, wav, asr.ErrUnavailable,
			"Whisper ASR Webservice is not reachable at " + down},
		{"whisper 500", Options{Transcriber: mk(asr.ProviderWhisperASR, asrtest.NewWhisperASR(t, asrtest.Config{Status: 500}).URL)}, wav,
			asr.ErrRejected, "500 Internal Server Error"},
		{"whisper 422", Options{Transcriber: mk(asr.ProviderWhisperASR, asrtest.NewWhisperASR(t, asrtest.Config{Status: 422}).URL)}, wav,
			asr.ErrRejected, "body.audio_file: Field required"},
		{"silence", Options{Transcriber: mk(asr.ProviderOpenAI, asrtest.NewOpenAI(t, asrtest.Config{Text: " "}).URL)}, wav,
			ErrEmpty, "no speech was recognised"},
		{"too large", Options{Transcriber: mk(asr.ProviderWhisperASR, down), MaxAudioBytes: 1000}, wav, ErrTooLarge, "the limit is 1000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts, nil).File(context.Background(), "talk.wav", bytes.NewReader(tt.data))
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.contains) || !strings.HasPrefix(err.Error(), "talk.wav: ") {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.contains)
			}
		})
	}
}

func TestFileTooLarge(t *testing.T) {
	in := New(Options{MaxSourceBytes: 100}, nil)
	_, err := in.File(context.Background(), "big.txt", strings.NewReader(strings.Repeat("word ", 100)))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "500 bytes; the limit is 100 bytes") {
		t.Fatalf("known size: %v", err)
	}
	_, err = in.File(context.Background(), "big.txt", io.MultiReader(strings.NewReader(strings.Repeat("word ", 100))))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("unknown size: %v", err)
	}
}
