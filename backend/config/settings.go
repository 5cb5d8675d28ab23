package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Settings is the content of config.yaml. Every key is optional: a missing
// key keeps its default (see Defaults), an unknown key is an error.
type Settings struct {
	// Ollama is the local LLM that writes scripts.
	Ollama OllamaSettings `yaml:"ollama" json:"ollama"`
	// Writer picks the script writer: "auto" (Ollama when reachable, else
	// the offline extractive writer), "ollama" (fail when it is not
	// reachable) or "extractive" (never call an LLM).
	Writer string `yaml:"writer" json:"writer"`
	// TTS is the speech synthesiser.
	TTS TTSSettings `yaml:"tts" json:"tts"`
	// Whisper transcribes audio sources.
	Whisper WhisperSettings `yaml:"whisper" json:"whisper"`
	// Server is the LAN HTTP API.
	Server ServerSettings `yaml:"server" json:"server"`
	// Generation holds the defaults of a new podcast.
	Generation GenerationSettings `yaml:"generation" json:"generation"`
	// Library holds how podcasts are kept. It is read from config.yaml
	// only: the window's settings screen does not show it yet (its JSON
	// leaves it out), and a save from there keeps what the file says.
	Library LibrarySettings `yaml:"library" json:"-"`
}

// LibrarySettings say how podcasts are kept.
type LibrarySettings struct {
	// KeepVersions is how many versions of an edited podcast are kept
	// (the current one included) to listen to and restore. Default 3; 0
	// means the default.
	KeepVersions int `yaml:"keepVersions" json:"keepVersions"`
}

// MaxKeepVersions bounds library.keepVersions.
const MaxKeepVersions = 50

// OllamaSettings locates the Ollama server and model.
type OllamaSettings struct {
	// URL of the Ollama server. Empty means $OLLAMA_HOST, or
	// http://127.0.0.1:11434 when that is unset too.
	URL string `yaml:"url" json:"url"`
	// Model is the model name as `ollama list` shows it. Default "llama3.2".
	Model string `yaml:"model" json:"model"`
	// ConnectTimeoutSeconds bounds connecting to Ollama. Default 5.
	ConnectTimeoutSeconds int `yaml:"connectTimeoutSeconds" json:"connectTimeoutSeconds"`
	// IdleTimeoutSeconds bounds the wait for the next token of a reply, so a
	// stuck model fails instead of hanging. Default 300 (a cold model can
	// take minutes to load).
	IdleTimeoutSeconds int `yaml:"idleTimeoutSeconds" json:"idleTimeoutSeconds"`
	// Options are sent with every request, under Ollama's own names.
	Options OllamaOptions `yaml:"options" json:"options"`
	// URLs are more Ollama servers (same model) that write an episode's
	// sections in parallel with the one at URL, each as many at once as its
	// concurrency; lines still come in order, and a failing server is left
	// alone for a while and its section written by another. Empty: URL's
	// server alone.
	URLs []OllamaServer `yaml:"urls" json:"urls"`
	// Concurrency is how many sections URL's server writes at once when
	// URLs are listed; 0 means 1.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
}

// OllamaServer is one more Ollama server.
type OllamaServer struct {
	// URL of the server, as ollama.url takes it.
	URL string `yaml:"url" json:"url"`
	// Concurrency is how many sections it writes at once; 0 means 1.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
}

// MaxOllamaServers and MaxOllamaConcurrency bound the ollama.urls settings.
const (
	MaxOllamaServers     = 16
	MaxOllamaConcurrency = 16
)

// SameOllama reports whether two Ollama settings build the same writer.
func SameOllama(a, b OllamaSettings) bool {
	return a.URL == b.URL && a.Model == b.Model && a.ConnectTimeoutSeconds == b.ConnectTimeoutSeconds &&
		a.IdleTimeoutSeconds == b.IdleTimeoutSeconds && a.Options == b.Options && a.Concurrency == b.Concurrency &&
		slices.Equal(a.URLs, b.URLs)
}

// OllamaOptions are the model options sent with every request. The
// defaults suit small local models (3B to 8B parameters) on an ordinary
// computer. The struct stays comparable: a change is detected with ==.
type OllamaOptions struct {
	// NumCtx is the context window in tokens. Default 8192: a section's
	// prompt and answer fit, in about 1 GB of memory beyond the model. It is
	// lowered to the model's own context length when that is smaller.
	NumCtx int `yaml:"num_ctx" json:"num_ctx"`
	// Temperature is the sampling temperature, 0 to 2. Default 0.7: small
	// models keep to the format and the source better a little cool.
	Temperature float64 `yaml:"temperature" json:"temperature"`
	// TopP is nucleus sampling's probability mass, 0 to 1. Default 0.9.
	TopP float64 `yaml:"top_p" json:"top_p"`
	// KeepAlive is how long Ollama keeps the model loaded after a call: a
	// duration ("10m", "1h"), seconds ("300"), "-1" for always, "0" to
	// unload at once. Default "10m", so an episode's many calls find the
	// model loaded.
	KeepAlive string `yaml:"keep_alive" json:"keep_alive"`
}

// KeepAliveDuration reads KeepAlive: a negative duration means always, 0
// means unload at once.
func (o OllamaOptions) KeepAliveDuration() (time.Duration, error) {
	v := strings.TrimSpace(o.KeepAlive)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n > math.MaxInt64/int64(time.Second) || n < -math.MaxInt64/int64(time.Second) {
			return 0, fmt.Errorf("%q seconds is too long", v)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 10m or 1h, nor seconds like 300", v)
	}
	return d, nil
}

// TTSSettings picks and configures the speech synthesiser.
type TTSSettings struct {
	// Provider is "espeak" (default, always available), "openai" (any
	// OpenAI-compatible /v1/audio/speech server such as Kokoro-FastAPI),
	// "kyutai" or "piper".
	Provider string `yaml:"provider" json:"provider"`
	// Preset picks a voice server by name, in one step: kokoro
	// (Kokoro-FastAPI), speaches, pocket-tts (Kyutai's Pocket TTS, the best
	// on a machine without a GPU), piper or kyutai (moshi-server). It sets
	// the provider, the server's address, model and format, and gives every
	// speaker of the built-in templates one of the server's voices. Empty:
	// the provider and its settings below are used as they are.
	Preset string `yaml:"preset" json:"preset"`
	// PresetURL is the preset server's address when it is not the usual one
	// (e.g. on another machine). Empty: the preset's default address.
	PresetURL string `yaml:"presetUrl" json:"presetUrl"`
	// Voices maps a speaker name to a voice of the current provider,
	// overriding the template's voice for that speaker.
	Voices map[string]string `yaml:"voices" json:"voices"`
	// Servers are more servers of the current provider (same engine,
	// model and voices), used together with its own when synthesis is
	// the bottleneck: each line goes to whichever has a free slot, and a
	// failing one is left alone for a while and its line voiced by
	// another. Empty: the provider's one server.
	Servers []TTSServer `yaml:"servers" json:"servers"`
	// Concurrency is how many lines the provider's own server voices at
	// once when Servers are listed; 0 means 1.
	Concurrency int               `yaml:"concurrency" json:"concurrency"`
	ESpeak      ESpeakSettings    `yaml:"espeak" json:"espeak"`
	OpenAI      OpenAITTSSettings `yaml:"openai" json:"openai"`
	Kyutai      KyutaiSettings    `yaml:"kyutai" json:"kyutai"`
	Piper       PiperSettings     `yaml:"piper" json:"piper"`
}

// TTSServer is one more server of the current TTS provider.
type TTSServer struct {
	// URL of the server, as the provider's own URL setting takes it.
	URL string `yaml:"url" json:"url"`
	// Concurrency is how many lines it voices at once; 0 means 1.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
}

// MaxTTSServers and MaxTTSConcurrency bound the servers settings.
const (
	MaxTTSServers     = 16
	MaxTTSConcurrency = 32
)

// ESpeakSettings configures the espeak-ng command.
type ESpeakSettings struct {
	// Binary is the espeak-ng program, a name on $PATH or an absolute path.
	// Default "espeak-ng".
	Binary string `yaml:"binary" json:"binary"`
}

// OpenAITTSSettings configures an OpenAI-compatible speech server.
type OpenAITTSSettings struct {
	// URL is the API base including /v1. Default http://127.0.0.1:8880/v1
	// (Kokoro-FastAPI).
	URL string `yaml:"url" json:"url"`
	// Model sent with each request. Default "kokoro".
	Model string `yaml:"model" json:"model"`
	// APIKey sent as a Bearer token; empty sends none.
	APIKey string `yaml:"apiKey" json:"apiKey"`
	// Format is the audio format asked for: "wav" (default) or "pcm".
	Format string `yaml:"format" json:"format"`
}

// KyutaiSettings configures a Kyutai TTS (moshi-server) instance.
type KyutaiSettings struct {
	// URL is the server base; the client adds /api/tts_streaming.
	// Default http://127.0.0.1:8080.
	URL string `yaml:"url" json:"url"`
	// APIKey is sent as the kyutai-api-key header. Default "public_token".
	APIKey string `yaml:"apiKey" json:"apiKey"`
}

// PiperSettings configures a Piper HTTP server.
type PiperSettings struct {
	// URL of the Piper server. Default http://127.0.0.1:5000.
	URL string `yaml:"url" json:"url"`
}

// WhisperSettings configures speech recognition for audio sources.
type WhisperSettings struct {
	// Provider is "whisper-asr" (default: Whisper ASR Webservice, /asr),
	// "openai" (/v1/audio/transcriptions, e.g. speaches) or "whispercpp"
	// (the whisper.cpp server, /inference).
	Provider string `yaml:"provider" json:"provider"`
	// URL of the server. Default http://127.0.0.1:9000.
	URL string `yaml:"url" json:"url"`
	// Model sent to servers that take one ("openai"); empty means the
	// provider's default.
	Model string `yaml:"model" json:"model"`
	// APIKey is sent as a Bearer token to servers that take one
	// ("openai"); empty sends none.
	APIKey string `yaml:"apiKey" json:"apiKey"`
}

// ServerSettings configures the LAN HTTP API.
type ServerSettings struct {
	// Enabled starts the API with the desktop app. Default false.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Bind is the address to listen on: 127.0.0.1 (default, this machine
	// only), 0.0.0.0 (every network), or one interface's address.
	Bind string `yaml:"bind" json:"bind"`
	// Port to listen on. Default 8765.
	Port int `yaml:"port" json:"port"`
	// TLS serves HTTPS with a self-signed certificate. Default false.
	TLS bool `yaml:"tls" json:"tls"`
	// CORSOrigins lists web origins (https://host:port) allowed to call the
	// API from a browser; "*" allows any. Default none.
	CORSOrigins []string `yaml:"corsOrigins" json:"corsOrigins"`
	// MaxQueuedPerUser bounds one user's queued and running jobs; more
	// are refused (429). 0 (default) means 3.
	MaxQueuedPerUser int `yaml:"maxQueuedPerUser" json:"maxQueuedPerUser"`
	// MaxUploadMB bounds one uploaded source file. Default 200.
	MaxUploadMB int `yaml:"maxUploadMB" json:"maxUploadMB"`
	// DiskPerUserMB bounds what one user's uploads and job files take on
	// disk; an upload or job past it is refused (413). Default 1024.
	DiskPerUserMB int `yaml:"diskPerUserMB" json:"diskPerUserMB"`
	// DiskReserveMB is the free space uploads and jobs always leave on the
	// disk; past it they are refused (507). Default 512.
	DiskReserveMB int `yaml:"diskReserveMB" json:"diskReserveMB"`
	// PublicURL is how other devices reach the server (used in RSS feed
	// links), e.g. http://192.168.1.20:8765. Empty means derived from each
	// request.
	PublicURL string `yaml:"publicUrl" json:"publicUrl"`
}

// GenerationSettings are the defaults of a new podcast.
type GenerationSettings struct {
	// Template id used when a request names none. Default "deep-dive".
	Template string `yaml:"template" json:"template"`
	// Minutes is the target length when the request gives none. Default 5.
	Minutes float64 `yaml:"minutes" json:"minutes"`
	// Language of the script, a BCP-47 code. Default "en".
	Language string `yaml:"language" json:"language"`
	// Workers bounds parallel speech synthesis; 0 (default) means one per
	// CPU core.
	Workers int `yaml:"workers" json:"workers"`
	// MaxJobs bounds the jobs running at once (the others wait, users
	// taking turns); a user with none running starts one at once on one
	// of 4 places kept for that, so one user's burst never holds up
	// another's job. 0 (default) means 1.
	MaxJobs int `yaml:"maxJobs" json:"maxJobs"`
	// GapMs is the silence between two lines, in milliseconds. Default 350.
	GapMs int `yaml:"gapMs" json:"gapMs"`
	// SampleRate of the produced MP3: 24000 (default, speech) or 44100 or
	// 48000 (music players that dislike 24 kHz), or 16000, 22050, 32000.
	SampleRate int `yaml:"sampleRate" json:"sampleRate"`
	// BitrateKbps of the produced MP3. Default 64 (plenty for speech).
	BitrateKbps int `yaml:"bitrateKbps" json:"bitrateKbps"`
}

// Defaults returns the settings used when config.yaml is missing; a
// config.yaml changes only the keys it names.
func Defaults() Settings {
	return Settings{
		Ollama: OllamaSettings{Model: "llama3.2", ConnectTimeoutSeconds: 5, IdleTimeoutSeconds: 300,
			Options: OllamaOptions{NumCtx: 8192, Temperature: 0.7, TopP: 0.9, KeepAlive: "10m"}, URLs: []OllamaServer{}},
		Writer: "auto",
		TTS: TTSSettings{
			Provider: "espeak",
			Voices:   map[string]string{},
			Servers:  []TTSServer{},
			ESpeak:   ESpeakSettings{Binary: "espeak-ng"},
			OpenAI:   OpenAITTSSettings{URL: "http://127.0.0.1:8880/v1", Model: "kokoro", Format: "wav"},
			Kyutai:   KyutaiSettings{URL: "http://127.0.0.1:8080", APIKey: "public_token"},
			Piper:    PiperSettings{URL: "http://127.0.0.1:5000"},
		},
		Whisper: WhisperSettings{Provider: "whisper-asr", URL: "http://127.0.0.1:9000"},
		Server: ServerSettings{Bind: "127.0.0.1", Port: 8765, CORSOrigins: []string{}, MaxUploadMB: 200,
			DiskPerUserMB: 1024, DiskReserveMB: 512},
		Generation: GenerationSettings{
			Template: "deep-dive", Minutes: 5, Language: "en",
			GapMs: 350, SampleRate: 24000, BitrateKbps: 64,
		},
		Library: LibrarySettings{KeepVersions: 3},
	}
}

// OllamaURL is the Ollama server to use: the setting, else $OLLAMA_HOST
// (read through getenv), else http://127.0.0.1:11434. Like Ollama itself, an
// OLLAMA_HOST without a scheme ("0.0.0.0:11434") means http://, and an http
// URL without a port means port 11434.
func (s Settings) OllamaURL(getenv func(string) string) string {
	if s.Ollama.URL != "" {
		return s.Ollama.URL
	}
	h := strings.TrimSpace(getenv("OLLAMA_HOST"))
	if h == "" {
		return "http://127.0.0.1:11434"
	}
	if !strings.Contains(h, "://") {
		h = "http://" + h
	}
	u, err := url.Parse(h)
	if err != nil || u.Host == "" {
		return h
	}
	if u.Port() == "" && u.Scheme == "http" {
		u.Host = net.JoinHostPort(u.Hostname(), "11434")
	}
	return strings.TrimSuffix(u.String(), "/")
}
