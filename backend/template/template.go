// Package template owns podcast templates: the seed's schema (id, name,
// description, llmPromptInstructions, ttsConfig) extended with speakers,
// structure, default length and language; parsing from YAML with errors that
// name the file and line; and validation.
package template

// Template describes a kind of podcast.
type Template struct {
	ID                    string     `yaml:"id" json:"id"`
	Name                  string     `yaml:"name" json:"name"`
	Description           string     `yaml:"description" json:"description"`
	LLMPromptInstructions string     `yaml:"llmPromptInstructions" json:"llmPromptInstructions"`
	TTSConfig             *TTSConfig `yaml:"ttsConfig,omitempty" json:"ttsConfig,omitempty"`
	Speakers              []Speaker  `yaml:"speakers" json:"speakers"`
	// Structure lists the sections the episode moves through, in order
	// (for example "Introduction", "Main ideas", "Wrap-up").
	Structure []string `yaml:"structure" json:"structure"`
	// Style words for the writer ("curious", "friendly").
	Style []string `yaml:"style,omitempty" json:"style,omitempty"`
	// Minutes is the default target length.
	Minutes float64 `yaml:"minutes" json:"minutes"`
	// Language is a BCP-47 code such as "en" or "en-GB".
	Language string `yaml:"language" json:"language"`
	// BuiltIn is set by the store for templates shipped with the app.
	BuiltIn bool `yaml:"-" json:"builtIn"`
}

// TTSConfig is the seed's optional default voice and style.
type TTSConfig struct {
	VoiceID string `yaml:"voiceId,omitempty" json:"voiceId,omitempty"`
	Style   string `yaml:"style,omitempty" json:"style,omitempty"`
}

// Speaker is one voice of the show.
type Speaker struct {
	Name string `yaml:"name" json:"name"`
	Role string `yaml:"role" json:"role"`
	// Voices maps a TTS provider name ("espeak", "openai", "kyutai", "piper")
	// to that provider's voice id for this speaker.
	Voices map[string]string `yaml:"voices" json:"voices"`
	// WordsPerMinute is the speaking rate used to turn minutes into words;
	// zero means the default (150).
	WordsPerMinute int `yaml:"wordsPerMinute,omitempty" json:"wordsPerMinute,omitempty"`
}

// DefaultWordsPerMinute is used when a speaker does not set a rate.
const DefaultWordsPerMinute = 150

// WPM returns the speaker's rate, or the default.
func (s Speaker) WPM() int {
	if s.WordsPerMinute > 0 {
		return s.WordsPerMinute
	}
	return DefaultWordsPerMinute
}
