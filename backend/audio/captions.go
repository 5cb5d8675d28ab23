package audio

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// Cue is one spoken line's place in the mastered audio.
type Cue struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	Start   int64  `json:"start"` // first sample, at Result.SampleRate
	End     int64  `json:"end"`   // one past the last sample
}

// ChapterMark is one chapter's span in the mastered audio.
type ChapterMark struct {
	Title string `json:"title"`
	Start int64  `json:"start"` // sample offset, at Result.SampleRate
	End   int64  `json:"end"`
}

// WriteVTT writes cues as WebVTT with voice tags: "<v Speaker>text".
// Speaker and text are escaped (&, <, >) and line breaks in them become
// spaces, so no input can end a cue early or forge markup.
func WriteVTT(w io.Writer, cues []Cue, rate int) error {
	if rate <= 0 {
		return fmt.Errorf("writing WebVTT: sample rate %d is not positive", rate)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("WEBVTT\n")
	for _, c := range cues {
		fmt.Fprintf(bw, "\n%s --> %s\n", timestamp(c.Start, rate, '.'), timestamp(c.End, rate, '.'))
		if sp := vttEscape(oneLine(c.Speaker)); sp != "" {
			fmt.Fprintf(bw, "<v %s>", sp)
		}
		bw.WriteString(vttEscape(oneLine(c.Text)))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing WebVTT: %w", err)
	}
	return nil
}

// WriteSRT writes cues as SubRip, the speaker as a "Speaker: " prefix.
func WriteSRT(w io.Writer, cues []Cue, rate int) error {
	if rate <= 0 {
		return fmt.Errorf("writing SRT: sample rate %d is not positive", rate)
	}
	bw := bufio.NewWriter(w)
	for i, c := range cues {
		if i > 0 {
			bw.WriteByte('\n')
		}
		fmt.Fprintf(bw, "%d\n%s --> %s\n", i+1, timestamp(c.Start, rate, ','), timestamp(c.End, rate, ','))
		if sp := oneLine(c.Speaker); sp != "" {
			bw.WriteString(sp + ": ")
		}
		bw.WriteString(oneLine(c.Text))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing SRT: %w", err)
	}
	return nil
}

// podcastChapters is the Podcasting 2.0 JSON chapters format.
type podcastChapters struct {
	Version  string           `json:"version"`
	Chapters []podcastChapter `json:"chapters"`
}

type podcastChapter struct {
	StartTime float64 `json:"startTime"`
	EndTime   float64 `json:"endTime"`
	Title     string  `json:"title"`
}

// WriteChaptersJSON writes marks as Podcasting 2.0 chapters
// ({"version":"1.2.0","chapters":[{"startTime":0,"endTime":61.5,"title":"Intro"}]}),
// times in seconds rounded to the millisecond.
func WriteChaptersJSON(w io.Writer, marks []ChapterMark, rate int) error {
	if rate <= 0 {
		return fmt.Errorf("writing chapters: sample rate %d is not positive", rate)
	}
	doc := podcastChapters{Version: "1.2.0", Chapters: make([]podcastChapter, len(marks))}
	for i, m := range marks {
		doc.Chapters[i] = podcastChapter{
			StartTime: seconds(m.Start, rate),
			EndTime:   seconds(m.End, rate),
			Title:     m.Title,
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing chapters: %w", err)
	}
	return nil
}

func seconds(samples int64, rate int) float64 {
	return math.Round(float64(samples)*1000/float64(rate)) / 1000
}

// timestamp formats a sample offset as HH:MM:SS.mmm (sep ',' for SRT).
func timestamp(samples int64, rate int, sep byte) string {
	ms := max(0, samplesToMS(samples, rate))
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}

// oneLine folds line breaks and runs of blanks into single spaces: a blank
// line would end a cue in both formats.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var vttEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func vttEscape(s string) string { return vttEscaper.Replace(s) }
