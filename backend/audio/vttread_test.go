package audio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixtureVTT is a transcript as WriteVTT writes it.
const fixtureVTT = `WEBVTT

00:00:00.100 --> 00:00:01.000
<v Alex>Hello &amp; welcome.

00:00:01.350 --> 00:00:02.500
<v Sam>Thanks, Alex.

00:00:02.500 --> 00:00:02.900
<v Alex>Bye.
`

func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one containing %q", err, want)
	}
}

func TestReadVTT(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []VTTCue
		err  string
	}{
		"podcast transcript": {in: fixtureVTT, want: []VTTCue{
			{Speaker: "Alex", Text: "Hello & welcome.", Start: 0.1, End: 1},
			{Speaker: "Sam", Text: "Thanks, Alex.", Start: 1.35, End: 2.5},
			{Speaker: "Alex", Text: "Bye.", Start: 2.5, End: 2.9},
		}},
		"header text, ids, settings, notes, CRLF, BOM, short times": {
			in: "\uFEFFWEBVTT - made elsewhere\r\nKind: captions\r\n\r\nNOTE a comment\r\nover two lines\r\n\r\ncue-1\r\n01:02.250 --> 01:03.000 align:start\r\n<v.loud Ann &amp; Bo>Two\r\nlines <b>bold</b> &lt;3\r\n\r\n10:00:00.000 --> 10:00:01.500\r\nNo voice",
			want: []VTTCue{
				{Speaker: "Ann & Bo", Text: "Two lines bold <3", Start: 62.25, End: 63},
				{Speaker: "", Text: "No voice", Start: 36000, End: 36001.5},
			},
		},
		"empty transcript":  {in: "WEBVTT\n", want: []VTTCue{}},
		"no cues":           {in: "WEBVTT\n\n", want: []VTTCue{}},
		"a lone angle":      {in: "WEBVTT\n\n00:00.000 --> 00:01.000\n<v A>1 < 2", want: []VTTCue{{Speaker: "A", Text: "1 < 2", End: 1}}},
		"not vtt":           {in: "1\n00:00:00,100 --> 00:00:01,000\nsrt\n", err: "not a WebVTT file"},
		"empty file":        {in: "", err: "not a WebVTT file"},
		"bad time":          {in: "WEBVTT\n\n00:00:0.100 --> 00:00:01.000\nx\n", err: "line 3: \"00:00:0.100\" is not a WebVTT time"},
		"minutes over 59":   {in: "WEBVTT\n\n00:61:00.000 --> 00:62:00.000\nx\n", err: "is not a WebVTT time"},
		"ends before start": {in: "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nx\n", err: "ends (00:00:01.000) before it starts"},
		"no end":            {in: "WEBVTT\n\n00:00:02.000 -->\nx\n", err: "has no end time"},
		"id without timing": {in: "WEBVTT\n\njust an id\n", err: "line 3: a cue without its timing line"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ReadVTT([]byte(tc.in))
			wantErr(t, err, tc.err)
			if tc.err != "" {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ReadVTT =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestReadVTTTooLarge(t *testing.T) {
	_, err := ReadVTT([]byte("WEBVTT\n\n" + strings.Repeat("x", maxVTTBytes)))
	wantErr(t, err, "larger than")
}

func FuzzReadVTT(f *testing.F) {
	for _, s := range []string{
		fixtureVTT, "WEBVTT\n", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v A>x", "WEBVTT\n\nid\n",
		"WEBVTT\n\n99:59:59.999 --> 100:00:00.000\n<v\n", "WEBVTT\r\n\r\nNOTE\r\n\r\n00:00.000 --> 00:00.000 x\r\n&amp;&#x41;<",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cues, err := ReadVTT(data)
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.Valid(data) {
				t.Errorf("error message is not valid UTF-8: %q", err)
			}
			return
		}
		for i, c := range cues {
			if c.End < c.Start || c.Start < 0 {
				t.Fatalf("cue %d = %+v: bad times", i, c)
			}
			if strings.ContainsAny(c.Text, "\n\r") {
				t.Fatalf("cue %d text has a line break: %q", i, c.Text)
			}
		}
	})
}

// What WriteVTT writes, ReadVTT reads back: speakers and text (markup
// characters and line breaks included) and the times to the millisecond.
func TestVTTRoundTrip(t *testing.T) {
	const rate = 24000
	in := []Cue{
		{Speaker: "Ann <& Bo>", Text: "1 < 2 & 3 > 2,\nsaid she", Start: 2400, End: 36000},
		{Speaker: "", Text: "No voice", Start: 36000, End: 86400000},
	}
	var buf bytes.Buffer
	if err := WriteVTT(&buf, in, rate); err != nil {
		t.Fatal(err)
	}
	got, err := ReadVTT(buf.Bytes())
	if err != nil {
		t.Fatalf("ReadVTT of WriteVTT's output: %v\n%s", err, buf.String())
	}
	want := []VTTCue{
		{Speaker: "Ann <& Bo>", Text: "1 < 2 & 3 > 2, said she", Start: 0.1, End: 1.5},
		{Speaker: "", Text: "No voice", Start: 1.5, End: 3600},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip =\n%+v\nwant\n%+v", got, want)
	}
}
