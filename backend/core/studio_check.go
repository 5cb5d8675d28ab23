package core

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/tts"
)

// The bounds of an edited script. A two-hour episode has about a
// thousand lines, so MaxScriptLines leaves room for any real one.
const (
	MaxScriptLines   = 5000
	MaxChapters      = 500
	MaxLineRunes     = 2000
	MaxSummaryRunes  = 2000
	MinSpeakerSpeed  = 0.5
	MaxSpeakerSpeed  = 2.0
	maxVoiceExamples = 12
)

// Field paths of an edited script, as every door names them.
const (
	FieldSummary  = "summary"
	FieldChapters = "chapters"
	FieldSpeakers = "speakers"
)

func chapterField(ci int, rest string) string { return fmt.Sprintf("chapters[%d]%s", ci, rest) }

func lineField(ci, li int, rest string) string {
	return fmt.Sprintf("chapters[%d].lines[%d].%s", ci, li, rest)
}

// CheckScriptSize refuses a script with more lines or chapters than an
// edit may have. Doors that decode a document as it streams call it as
// soon as they can; check calls it again.
func CheckScriptSize(chapters, lines int) error {
	switch {
	case lines > MaxScriptLines:
		return apperr.Field(FieldChapters, "the script has %d lines; an episode may have at most %d", lines, MaxScriptLines)
	case chapters > MaxChapters:
		return apperr.Field(FieldChapters, "the script has %d chapters; an episode may have at most %d", chapters, MaxChapters)
	}
	return nil
}

// check turns an edited document into the script and voices of the next
// version, by the rules the writers' scripts meet: known speakers, no
// empty lines, nothing a voice would read aloud as markup, and text the
// speakable-text stage leaves something of. The first problem is
// returned, naming its field. cur is the podcast's current document.
func (s *Studio) check(ctx context.Context, p store.Podcast, cur, doc ScriptDoc) (script.Script, []store.SpeakerVoice, error) {
	lines := 0
	for _, c := range doc.Chapters {
		lines += len(c.Lines)
	}
	if err := CheckScriptSize(len(doc.Chapters), lines); err != nil {
		return script.Script{}, nil, err
	}
	title, err := CleanTitle(doc.Title)
	if err != nil {
		return script.Script{}, nil, err
	}
	if title == "" {
		return script.Script{}, nil, apperr.Field(FieldTitle, "the episode needs a title")
	}
	summary := strings.TrimSpace(doc.Summary)
	if !utf8.ValidString(summary) || utf8.RuneCountInString(summary) > MaxSummaryRunes {
		return script.Script{}, nil, apperr.Field(FieldSummary, "the summary must be text of at most %d characters", MaxSummaryRunes)
	}
	speakers, err := s.checkSpeakers(ctx, p, cur.Speakers, doc.Speakers)
	if err != nil {
		return script.Script{}, nil, err
	}
	names := make([]string, len(speakers))
	for i, sp := range speakers {
		names[i] = sp.Speaker
	}
	if len(doc.Chapters) == 0 {
		return script.Script{}, nil, apperr.Field(FieldChapters, "the script needs at least one chapter with one line")
	}
	sc := script.Script{Title: title, Summary: summary, Chapters: make([]script.Chapter, len(doc.Chapters))}
	checker := script.NewTextChecker(names)
	for ci, c := range doc.Chapters {
		ct, err := CleanTitle(c.Title)
		if err != nil || ct == "" {
			return script.Script{}, nil, apperr.Field(chapterField(ci, ".title"), "chapter %d needs a title of one line, at most %d characters", ci+1, MaxTitleRunes)
		}
		if len(c.Lines) == 0 {
			return script.Script{}, nil, apperr.Field(chapterField(ci, ".lines"), "chapter %d has no lines: give it lines or remove it", ci+1)
		}
		out := script.Chapter{Title: ct, Lines: make([]script.Line, len(c.Lines))}
		for li, l := range c.Lines {
			line, err := checkLine(ci, li, l, names, checker, p.Language)
			if err != nil {
				return script.Script{}, nil, err
			}
			out.Lines[li] = line
		}
		sc.Chapters[ci] = out
	}
	return sc, speakers, nil
}

// checkLine checks one line and returns it with its speaker spelled as
// the podcast spells it and its spaces tidied.
func checkLine(ci, li int, l script.Line, names []string, checker *script.TextChecker, lang string) (script.Line, error) {
	speaker := ""
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(l.Speaker), n) {
			speaker = n
		}
	}
	if speaker == "" {
		return script.Line{}, apperr.Field(lineField(ci, li, "speaker"), "chapter %d, line %d: %q is not a speaker of this podcast (use %s)",
			ci+1, li+1, clipText(l.Speaker), strings.Join(names, ", "))
	}
	where := fmt.Sprintf("chapter %d, line %d", ci+1, li+1)
	if !utf8.ValidString(l.Text) || utf8.RuneCountInString(l.Text) > MaxLineRunes {
		return script.Line{}, apperr.Field(lineField(ci, li, "text"), "%s must be text of at most %d characters", where, MaxLineRunes)
	}
	one := script.Script{Chapters: []script.Chapter{{Lines: []script.Line{{Speaker: speaker, Text: l.Text}}}}}
	one.Normalize(names)
	text := one.Chapters[0].Lines[0].Text
	if problems := checker.Problems(text); len(problems) > 0 {
		return script.Line{}, apperr.Field(lineField(ci, li, "text"), "%s %s", where, problems[0])
	}
	if script.Speakable(text, lang) == "" {
		return script.Line{}, apperr.Field(lineField(ci, li, "text"), "%s has nothing a voice can say: write words", where)
	}
	return script.Line{Speaker: speaker, Text: text}, nil
}

// checkSpeakers applies the edit's voices and speeds to the podcast's
// speakers: every speaker it names must be one of them, once; those it
// leaves out keep theirs. A voice other than the current one must be one
// the podcast's TTS provider offers.
func (s *Studio) checkSpeakers(ctx context.Context, p store.Podcast, current, asked []DocSpeaker) ([]store.SpeakerVoice, error) {
	out := make([]store.SpeakerVoice, len(current))
	names := make([]string, len(current))
	for i, sp := range current {
		out[i] = store.SpeakerVoice{Speaker: sp.Name, Voice: sp.Voice, Speed: sp.Speed}
		names[i] = sp.Name
	}
	seen := map[int]bool{}
	var offered []tts.Voice
	for i, sp := range asked {
		field := func(f string) string { return fmt.Sprintf("speakers[%d].%s", i, f) }
		k := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, strings.TrimSpace(sp.Name)) })
		switch {
		case k < 0:
			return nil, apperr.Field(field("name"), "%q is not a speaker of this podcast (its speakers are %s)", clipText(sp.Name), strings.Join(names, ", "))
		case seen[k]:
			return nil, apperr.Field(field("name"), "%q is listed twice", names[k])
		}
		seen[k] = true
		speed := sp.Speed
		if speed == 0 {
			speed = 1 // left out
		}
		if math.IsNaN(speed) || speed < MinSpeakerSpeed || speed > MaxSpeakerSpeed {
			return nil, apperr.Field(field("speed"), "the speed of %s must be from %g to %g (1 is normal)", names[k], MinSpeakerSpeed, MaxSpeakerSpeed)
		}
		voice := strings.TrimSpace(sp.Voice)
		if !shortName(voice) {
			return nil, apperr.Field(field("voice"), "the voice of %s is not a voice name", names[k])
		}
		if voice != out[k].Voice && voice != "" {
			if offered == nil {
				var err error
				if offered, err = s.offeredVoices(ctx, p.TTS); err != nil {
					return nil, err
				}
			}
			if !voiceOffered(voice, offered) {
				return nil, apperr.Field(field("voice"), "%s has no voice %q; it offers %s", p.TTS, clipText(voice), voiceExamples(offered))
			}
		}
		out[k].Voice, out[k].Speed = voice, speed
	}
	return out, nil
}

// offeredVoices lists the voices of the podcast's provider; a provider
// that cannot list them now is unavailable, since its voice could not be
// checked (nor used).
func (s *Studio) offeredVoices(ctx context.Context, provider string) ([]tts.Voice, error) {
	synth, err := s.jobs.deps.Synths.Synthesizer(provider)
	if err != nil {
		return nil, apperr.New(apperr.Unavailable, "the podcast's speech provider %q cannot be used now: %v", provider, err)
	}
	vs, err := synth.Voices(ctx)
	if err != nil {
		return nil, apperr.New(apperr.Unavailable, "cannot list the voices of %s to check the new voice: %v", provider, err)
	}
	if vs == nil {
		vs = []tts.Voice{}
	}
	return vs, nil
}

// voiceOffered accepts a listed voice id, and an espeak-ng style variant
// of one ("en-us+f3"), whose variant the synthesiser checks.
func voiceOffered(voice string, offered []tts.Voice) bool {
	has := func(id string) bool {
		return slices.ContainsFunc(offered, func(v tts.Voice) bool { return strings.EqualFold(v.ID, id) })
	}
	if has(voice) {
		return true
	}
	base, variant, ok := strings.Cut(voice, "+")
	return ok && variant != "" && has(base) && !strings.ContainsAny(variant, "+ /\\")
}

func voiceExamples(offered []tts.Voice) string {
	ids := make([]string, 0, maxVoiceExamples)
	for i, v := range offered {
		if i == maxVoiceExamples {
			ids = append(ids, fmt.Sprintf("and %d more", len(offered)-i))
			break
		}
		ids = append(ids, v.ID)
	}
	if len(ids) == 0 {
		return "no voices"
	}
	return strings.Join(ids, ", ")
}
