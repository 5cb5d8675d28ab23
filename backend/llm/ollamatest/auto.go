package ollamatest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/script"
)

// linesPerChapter groups automatic script lines into chapters.
const linesPerChapter = 6

var autoSentences = []string{
	"Rivers carve valleys over thousands of years, one grain of sand at a time.",
	"That is slower than anything we notice, yet it shapes whole landscapes.",
	"Floods spread fresh soil across the plains, which is why farms cluster there.",
	"Dams hold that sediment back, so deltas downstream slowly shrink.",
	"Engineers now design passages that let some of the sediment through.",
	"It is a good reminder that every change upstream is felt downstream.",
	"Scientists measure this with markers placed along the riverbanks.",
	"The numbers surprised even the people who collected them.",
}

// AutoScript builds a valid script of n lines (at least one) shared in turn
// among speakers (default "Host" and "Guest"), in chapters of six lines. It
// passes script.Validate for those speakers.
func AutoScript(speakers []string, n int) script.Script {
	if len(speakers) == 0 {
		speakers = []string{"Host", "Guest"}
	}
	n = max(1, n)
	sc := script.Script{Title: "Rivers and the land they shape", Summary: "How rivers carve valleys and feed the plains."}
	for i := range n {
		if i%linesPerChapter == 0 {
			sc.Chapters = append(sc.Chapters, script.Chapter{Title: fmt.Sprintf("Part %d", i/linesPerChapter+1)})
		}
		ch := &sc.Chapters[len(sc.Chapters)-1]
		ch.Lines = append(ch.Lines, script.Line{Speaker: speakers[i%len(speakers)], Text: autoSentences[i%len(autoSentences)]})
	}
	return sc
}

// SpeakersFromRequest finds the speaker names a chat request allows: the
// enum of chapters.items.lines.items.speaker (a whole script) or
// lines.items.speaker (a section) in its format schema, or else a
// system-prompt line "Speakers: A, B". It returns nil when neither is there.
func SpeakersFromRequest(req api.ChatRequest) []string {
	// The speaker enum sits in the lines of a whole script's chapters or of
	// one section: the same lines schema in both.
	type lines struct {
		Items struct {
			Properties struct {
				Speaker struct {
					Enum []string `json:"enum"`
				} `json:"speaker"`
			} `json:"properties"`
		} `json:"items"`
	}
	var schema struct {
		Properties struct {
			Chapters struct {
				Items struct {
					Properties struct {
						Lines lines `json:"lines"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"chapters"`
		} `json:"properties"`
	}
	var section struct {
		Properties struct {
			Lines lines `json:"lines"`
		} `json:"properties"`
	}
	if json.Unmarshal(req.Format, &schema) == nil {
		if enum := schema.Properties.Chapters.Items.Properties.Lines.Items.Properties.Speaker.Enum; len(enum) > 0 {
			return enum
		}
	}
	if json.Unmarshal(req.Format, &section) == nil {
		if enum := section.Properties.Lines.Items.Properties.Speaker.Enum; len(enum) > 0 {
			return enum
		}
	}
	for _, m := range req.Messages {
		if m.Role != "system" {
			continue
		}
		for line := range strings.Lines(m.Content) {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Speakers:")
			if !ok {
				continue
			}
			var names []string
			for n := range strings.SplitSeq(strings.TrimSuffix(strings.TrimSpace(rest), "."), ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
			return names
		}
	}
	return nil
}
