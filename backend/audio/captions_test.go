package audio

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var testCues = []Cue{
	{Speaker: "Ada", Text: "Hello & welcome to <the> show.", Start: 2400, End: 31200},
	{Speaker: "Max <co-host>", Text: "Two\nlines  and -->\n\nan arrow.", Start: 39600, End: 88236000},
	{Speaker: "", Text: "Narration.", Start: 88244400, End: 88248000},
}

func TestWriteVTT(t *testing.T) {
	var b bytes.Buffer
	if err := WriteVTT(&b, testCues, 24000); err != nil {
		t.Fatal(err)
	}
	want := `WEBVTT

00:00:00.100 --> 00:00:01.300
<v Ada>Hello &amp; welcome to &lt;the&gt; show.

00:00:01.650 --> 01:01:16.500
<v Max &lt;co-host&gt;>Two lines and --&gt; an arrow.

01:01:16.850 --> 01:01:17.000
Narration.
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteSRT(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSRT(&b, testCues, 24000); err != nil {
		t.Fatal(err)
	}
	want := `1
00:00:00,100 --> 00:00:01,300
Ada: Hello & welcome to <the> show.

2
00:00:01,650 --> 01:01:16,500
Max <co-host>: Two lines and --> an arrow.

3
01:01:16,850 --> 01:01:17,000
Narration.
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteChaptersJSON(t *testing.T) {
	var b bytes.Buffer
	marks := []ChapterMark{{"Intro", 0, 31211}, {`"Quoted" & <more>`, 31211, 44100 * 90}}
	if err := WriteChaptersJSON(&b, marks, 44100); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": "1.2.0",
  "chapters": [
    {
      "startTime": 0,
      "endTime": 0.708,
      "title": "Intro"
    },
    {
      "startTime": 0.708,
      "endTime": 90,
      "title": "\"Quoted\" \u0026 \u003cmore\u003e"
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCaptionErrors(t *testing.T) {
	for name, write := range map[string]func() error{
		"VTT bad rate":      func() error { return WriteVTT(&bytes.Buffer{}, testCues, 0) },
		"SRT bad rate":      func() error { return WriteSRT(&bytes.Buffer{}, testCues, -1) },
		"chapters bad rate": func() error { return WriteChaptersJSON(&bytes.Buffer{}, nil, 0) },
		"VTT write fails":   func() error { return WriteVTT(failWriter{}, testCues, 24000) },
		"SRT write fails":   func() error { return WriteSRT(failWriter{}, testCues, 24000) },
		"JSON write fails":  func() error { return WriteChaptersJSON(failWriter{}, nil, 24000) },
	} {
		if err := write(); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(name, "fails") && !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: %v does not carry the cause", name, err)
		}
	}
}
