package config

import (
	"errors"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"

	"podcastfy/backend/config/strictyaml"
	"podcastfy/backend/template"
	"podcastfy/backend/tts/providers"
)

// Providers and writers the settings accept.
var (
	Writers          = []string{"auto", "ollama", "extractive"}
	TTSProviders     = []string{"espeak", "openai", "kyutai", "piper"}
	WhisperProviders = []string{"whisper-asr", "openai", "whispercpp"}
	OpenAIFormats    = []string{"wav", "pcm"}
	SampleRates      = []int{16000, 22050, 24000, 32000, 44100, 48000}
)

// Validate checks every setting and returns all problems at once (joined),
// each naming its key ("server.port: …").
func (s Settings) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, strictyaml.Fieldf(path, format, args...))
	}
	checkURL := func(path, v string, empty bool, schemes ...string) {
		if v == "" {
			if !empty {
				bad(path, "must not be empty")
			}
			return
		}
		if p := urlProblem(v, schemes); p != "" {
			bad(path, "%q %s", v, p)
		}
	}
	checkRange := func(path string, v, lo, hi int) {
		if v < lo || v > hi {
			bad(path, "%d is out of range (%d to %d)", v, lo, hi)
		}
	}
	checkOneOf := func(path, v string, allowed []string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		bad(path, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}

	checkURL("ollama.url", s.Ollama.URL, true, "http", "https")
	if strings.TrimSpace(s.Ollama.Model) == "" {
		bad("ollama.model", "must name a model, e.g. llama3.2")
	}
	if n := len(s.Ollama.URLs); n > MaxOllamaServers {
		bad("ollama.urls", "%d servers; at most %d", n, MaxOllamaServers)
	}
	for i, srv := range s.Ollama.URLs {
		checkURL(indexPath("ollama.urls", i)+".url", srv.URL, false, "http", "https")
		checkRange(indexPath("ollama.urls", i)+".concurrency", srv.Concurrency, 0, MaxOllamaConcurrency)
	}
	checkRange("ollama.concurrency", s.Ollama.Concurrency, 0, MaxOllamaConcurrency)
	checkRange("ollama.connectTimeoutSeconds", s.Ollama.ConnectTimeoutSeconds, 1, 600)
	checkRange("ollama.idleTimeoutSeconds", s.Ollama.IdleTimeoutSeconds, 1, 3600)
	opts := s.Ollama.Options
	checkRange("ollama.options.num_ctx", opts.NumCtx, 512, 1<<20)
	if t := opts.Temperature; math.IsNaN(t) || t < 0 || t > 2 {
		bad("ollama.options.temperature", "%v is out of range (0 to 2)", t)
	}
	if p := opts.TopP; math.IsNaN(p) || p < 0 || p > 1 {
		bad("ollama.options.top_p", "%v is out of range (0 to 1)", p)
	}
	if _, err := opts.KeepAliveDuration(); err != nil {
		bad("ollama.options.keep_alive", "%v", err)
	}
	checkOneOf("writer", s.Writer, Writers)

	checkOneOf("tts.provider", s.TTS.Provider, TTSProviders)
	if s.TTS.Preset != "" {
		if p, ok := providers.PresetByID(s.TTS.Preset); !ok {
			bad("tts.preset", "unknown voice server %q (use one of: %s)", s.TTS.Preset, strings.Join(providers.PresetIDs(), ", "))
		} else if s.TTS.Provider != p.Provider {
			bad("tts.provider", "the preset %s runs on the %s provider, not %s", p.ID, p.Provider, s.TTS.Provider)
		}
	}
	checkURL("tts.presetUrl", s.TTS.PresetURL, true, "http", "https", "ws", "wss")
	for name, voice := range s.TTS.Voices {
		if strings.TrimSpace(name) == "" {
			bad("tts.voices", "a speaker name is empty")
		} else if strings.TrimSpace(voice) == "" {
			bad("tts.voices."+name, "the voice is empty")
		}
	}
	if strings.TrimSpace(s.TTS.ESpeak.Binary) == "" {
		bad("tts.espeak.binary", "must name the espeak-ng program")
	}
	checkURL("tts.openai.url", s.TTS.OpenAI.URL, false, "http", "https")
	checkOneOf("tts.openai.format", s.TTS.OpenAI.Format, OpenAIFormats)
	checkURL("tts.kyutai.url", s.TTS.Kyutai.URL, false, "http", "https", "ws", "wss")
	checkURL("tts.piper.url", s.TTS.Piper.URL, false, "http", "https")
	if n := len(s.TTS.Servers); n > 0 {
		schemes := map[string][]string{"openai": {"http", "https"}, "kyutai": {"http", "https", "ws", "wss"}, "piper": {"http", "https"}}[s.TTS.Provider]
		if schemes == nil {
			bad("tts.servers", "the %s provider runs on this computer; more servers are for openai, kyutai or piper", s.TTS.Provider)
		}
		if n > MaxTTSServers {
			bad("tts.servers", "%d servers; at most %d", n, MaxTTSServers)
		}
		for i, srv := range s.TTS.Servers {
			if schemes != nil {
				checkURL(indexPath("tts.servers", i)+".url", srv.URL, false, schemes...)
			}
			if srv.Concurrency < 0 || srv.Concurrency > MaxTTSConcurrency {
				bad(indexPath("tts.servers", i)+".concurrency", "must be between 0 and %d", MaxTTSConcurrency)
			}
		}
	}
	if s.TTS.Concurrency < 0 || s.TTS.Concurrency > MaxTTSConcurrency {
		bad("tts.concurrency", "must be between 0 and %d", MaxTTSConcurrency)
	}

	checkOneOf("whisper.provider", s.Whisper.Provider, WhisperProviders)
	checkURL("whisper.url", s.Whisper.URL, false, "http", "https")

	if s.Server.Bind != "localhost" && net.ParseIP(s.Server.Bind) == nil {
		bad("server.bind", "%q is not an IP address (use 127.0.0.1 for this machine only, 0.0.0.0 for every network)", s.Server.Bind)
	}
	checkRange("server.port", s.Server.Port, 1, 65535)
	checkRange("server.maxQueuedPerUser", s.Server.MaxQueuedPerUser, 0, 1000)
	checkRange("generation.maxJobs", s.Generation.MaxJobs, 0, 64)
	for i, o := range s.Server.CORSOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			bad(indexPath("server.corsOrigins", i), "%q is not an origin like https://host:port, or *", o)
		}
	}
	checkRange("server.maxUploadMB", s.Server.MaxUploadMB, 1, 10240)
	checkRange("server.diskPerUserMB", s.Server.DiskPerUserMB, 1, 1<<24)
	checkRange("server.diskReserveMB", s.Server.DiskReserveMB, 0, 1<<24)
	checkURL("server.publicUrl", s.Server.PublicURL, true, "http", "https")

	if err := template.ValidID(s.Generation.Template); err != nil {
		bad("generation.template", "%v", err)
	}
	if m := s.Generation.Minutes; math.IsNaN(m) || m <= 0 || m > template.MaxMinutes {
		bad("generation.minutes", "%v is out of range (more than 0, at most %d)", m, template.MaxMinutes)
	}
	if !template.ValidLanguage(s.Generation.Language) {
		bad("generation.language", "%q is not a language code like en or en-GB", s.Generation.Language)
	}
	checkRange("generation.workers", s.Generation.Workers, 0, 256)
	checkRange("generation.gapMs", s.Generation.GapMs, 0, 5000)
	okRate := false
	for _, r := range SampleRates {
		okRate = okRate || s.Generation.SampleRate == r
	}
	if !okRate {
		bad("generation.sampleRate", "%d is not one of 16000, 22050, 24000, 32000, 44100, 48000", s.Generation.SampleRate)
	}
	checkRange("generation.bitrateKbps", s.Generation.BitrateKbps, 16, 320)
	checkRange("library.keepVersions", s.Library.KeepVersions, 0, MaxKeepVersions)
	return errors.Join(errs...)
}

func urlProblem(v string, schemes []string) string {
	u, err := url.Parse(v)
	if err != nil {
		return "is not a URL"
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok {
		return "must start with " + strings.Join(schemes, ":// or ") + "://"
	}
	if u.Host == "" {
		return "has no host"
	}
	return ""
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
