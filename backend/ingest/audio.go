package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"podcastfy/backend/asr"
)

// pauseBreak is the silence, in seconds, that starts a new paragraph in a
// transcript.
const pauseBreak = 1.5

// audio transcribes a recording; its transcript becomes the source text.
// size is -1 when unknown, and then the recording is read into memory.
func (in *Ingester) audio(ctx context.Context, name string, head []byte, r io.Reader, size int64, report func(Progress)) (Document, error) {
	if in.opts.Transcriber == nil {
		return Document{}, failf(ErrNoASR, "%s is a recording, and turning it into text needs a speech recognition server "+
			"(Whisper ASR Webservice, whisper.cpp or an OpenAI-compatible one) — set one up in the settings", displayName(name))
	}
	if size > in.opts.MaxAudioBytes {
		return Document{}, failf(ErrTooLarge, "the recording is %s; the limit is %s", sizeString(size), sizeString(in.opts.MaxAudioBytes))
	}
	if size < 0 {
		data, err := readAll(r, in.opts.MaxAudioBytes, "recording")
		if err != nil {
			return Document{}, err
		}
		r, size = bytes.NewReader(data), int64(len(data))
	}
	// Servers pick a decoder by the extension, so it must match the content.
	ext, _ := DetectAudio(head)
	filename := filepath.Base(name)
	if !strings.EqualFold(filepath.Ext(filename), "."+ext) {
		filename = strings.TrimSuffix(filename, filepath.Ext(filename)) + "." + ext
	}
	opts := in.opts.ASR
	opts.Progress = func(p asr.Progress) {
		if p.Stage != asr.StageDone {
			report(Progress{Stage: p.Stage, Done: p.Sent, Total: p.Total})
		}
	}
	in.log.Info("transcribing", "source", name, "bytes", size, "asr", in.opts.Transcriber.Name())
	tr, err := in.opts.Transcriber.Transcribe(ctx, filename, r, size, opts)
	if err != nil {
		return Document{}, fmt.Errorf("the recording could not be transcribed: %w", err)
	}
	doc := transcriptDoc(tr)
	if strings.TrimSpace(doc.Text) == "" {
		return Document{}, failf(ErrEmpty, "no speech was recognised in %s", displayName(name))
	}
	doc.Title = titleFromName(name)
	doc.Language = tr.Language
	return doc, nil
}

// transcriptDoc makes paragraphs of the segments, breaking at long pauses.
func transcriptDoc(tr asr.Transcript) Document {
	var b builder
	if len(tr.Segments) == 0 {
		b.write(tr.Text)
		return b.doc("")
	}
	for i, s := range tr.Segments {
		if i > 0 && s.Start-tr.Segments[i-1].End > pauseBreak {
			b.end()
		}
		b.write(s.Text + " ")
	}
	if doc := b.doc(""); doc.Text != "" {
		return doc
	}
	b = builder{}
	b.write(tr.Text)
	return b.doc("")
}
