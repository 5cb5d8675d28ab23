package store

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Podcast is the metadata of one podcast, stored as <id>.json. The first
// six fields and the two of diskPodcast are the seed's schema. The seed's
// audioUrl and sourceAudioUrl are links, which only a door can build (the
// API signs them from Files), so the store writes file names there and
// reads neither: older files holding routes load unchanged.
type Podcast struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Duration      float64   `json:"duration"` // seconds
	GeneratedDate time.Time `json:"generatedDate"`
	SourceText    *string   `json:"sourceText"` // nil in List results; Get loads it
	TemplateUsed  *string   `json:"templateUsed"`

	// Owner is the id of the user who made it ("" for the local desktop user).
	Owner string `json:"owner"`
	// Status is "ready" for every committed podcast.
	Status   string        `json:"status"`
	Summary  string        `json:"summary,omitempty"`
	Speakers []string      `json:"speakers"`
	Language string        `json:"language"`
	Chapters []ChapterMark `json:"chapters"`
	// Files maps a media kind ("audio", "vtt", …) to its file name in the
	// podcasts folder. Set by Commit; use MediaPath for a path.
	Files map[string]string `json:"files"`
	// Writer is the script writer used ("ollama:<model>", "extractive" …).
	Writer string `json:"writer"`
	// TTS is the speech provider used.
	TTS string `json:"tts"`
	// AudioBytes is the size of the audio file; Sizes has every file's.
	AudioBytes int64            `json:"audioBytes"`
	Sizes      map[string]int64 `json:"sizes,omitempty"`
	Lines      int              `json:"lines"`
	Words      int              `json:"words"`

	// Version is the number of the version the files above are; 0 (a
	// podcast from before versions) means 1. See versions.go.
	Version int `json:"version,omitempty"`
	// Voices are the voice and speed each speaker was given in the
	// current version; empty for podcasts made before they were recorded.
	Voices []SpeakerVoice `json:"voices,omitempty"`
	// Versions are the versions kept, oldest first, the current one
	// included; empty until the first re-voice (History makes version 1
	// from the fields above).
	Versions []Version `json:"versions,omitempty"`
}

// ChapterMark is a chapter start, in seconds from the beginning.
type ChapterMark struct {
	Title string  `json:"title"`
	Start float64 `json:"start"`
}

// ListQuery selects podcasts for List.
type ListQuery struct {
	// Owner keeps only this user's podcasts; "" keeps all.
	Owner string
	// Query keeps podcasts whose title, summary or source text contains it,
	// ignoring case. Only the first SearchTextBytes of a source text are
	// searched, so that the index stays small.
	Query string
	// Sort is one of Sorts; "" is SortNewest.
	Sort string
	// Cursor continues a previous List of the same Sort; "" starts at the
	// beginning.
	Cursor string
	// Limit bounds the page; 0 means no limit.
	Limit int
}

// Media kinds of a podcast's files.
const (
	KindAudio    = "audio"    // <id>.mp3
	KindVTT      = "vtt"      // <id>.vtt
	KindSRT      = "srt"      // <id>.srt
	KindChapters = "chapters" // <id>.chapters.json
	KindScript   = "script"   // <id>.script.json
	KindFrames   = "frames"   // <id>.frames.json, where each line's MP3 frames are (audio.Index)
	KindSource   = "source"   // <id>.source.<ext>, the original audio source
)

// kindExt is each kind's fixed file extension; "source" has SourceExts.
var kindExt = map[string]string{
	KindAudio: "mp3", KindVTT: "vtt", KindSRT: "srt", KindChapters: "json", KindScript: "json", KindFrames: "json",
}

// kindSuffix is what follows "<id>" in each kind's file name.
var kindSuffix = map[string]string{
	KindAudio: ".mp3", KindVTT: ".vtt", KindSRT: ".srt", KindChapters: ".chapters.json", KindScript: ".script.json",
	KindFrames: ".frames.json",
}

// SourceExts are the audio formats accepted for an original source file.
var SourceExts = []string{"mp3", "wav", "m4a", "ogg", "flac", "webm"}

// Kinds lists every media kind.
var Kinds = []string{KindAudio, KindVTT, KindSRT, KindChapters, KindScript, KindFrames, KindSource}

// mediaName returns the final file name of a kind, or "" when the kind or
// the extension is not allowed. ext matters only for "source".
func mediaName(id, kind, ext string) string {
	if kind == KindSource {
		if !slices.Contains(SourceExts, ext) {
			return ""
		}
		return id + ".source." + ext
	}
	if s, ok := kindSuffix[kind]; ok {
		return id + s
	}
	return ""
}

// mediaNames lists every file name a podcast could own.
func mediaNames(id string) []string {
	names := make([]string, 0, len(kindSuffix)+len(SourceExts))
	for _, k := range Kinds {
		if k == KindSource {
			for _, e := range SourceExts {
				names = append(names, mediaName(id, k, e))
			}
			continue
		}
		names = append(names, mediaName(id, k, ""))
	}
	return names
}

// validMediaFile reports whether name is the right file name for kind, in
// any version (see versionName).
func validMediaFile(id, kind, name string) bool {
	if kind == KindSource {
		ext, ok := strings.CutPrefix(name, id+".source.")
		return ok && slices.Contains(SourceExts, ext)
	}
	if name != "" && name == mediaName(id, kind, "") {
		return true
	}
	v, ok := parseVersionName(id, kind, name)
	return ok && v >= 2
}

// clone returns a deep copy, so callers never share slices or maps with the
// index.
func (p Podcast) clone() Podcast {
	p.SourceText = clonePtr(p.SourceText)
	p.TemplateUsed = clonePtr(p.TemplateUsed)
	p.Speakers = slices.Clone(p.Speakers)
	p.Chapters = slices.Clone(p.Chapters)
	p.Files = maps.Clone(p.Files)
	p.Sizes = maps.Clone(p.Sizes)
	p.Voices = slices.Clone(p.Voices)
	if p.Versions != nil {
		vs := make([]Version, len(p.Versions))
		for i, v := range p.Versions {
			vs[i] = v.clone()
		}
		p.Versions = vs
	}
	return p
}

// FromRecording reports whether the podcast was transcribed from a
// recording, whose original it keeps as its "source" file.
func (p Podcast) FromRecording() bool { return p.Files[KindSource] != "" }

func clonePtr(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

// normalize gives empty collections instead of nil, so the JSON says [] and
// {} rather than null, and keeps times in UTC without a monotonic reading,
// so a podcast compares equal to itself read back from disk.
func (p *Podcast) normalize() {
	p.GeneratedDate = p.GeneratedDate.Round(0).UTC()
	if p.Speakers == nil {
		p.Speakers = []string{}
	}
	if p.Chapters == nil {
		p.Chapters = []ChapterMark{}
	}
	if p.Files == nil {
		p.Files = map[string]string{}
	}
}
