package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolvePaths(t *testing.T) {
	home := t.TempDir()
	cases := map[string]struct {
		env  map[string]string
		want Paths
	}{
		"portable home": {
			env:  map[string]string{"PODCASTFY_HOME": home, "XDG_CONFIG_HOME": "/ignored"},
			want: Paths{Config: home + "/config", Data: home + "/data", State: home + "/state", Cache: home + "/cache"},
		},
		"xdg variables": {
			env:  map[string]string{"XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d/", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/k"},
			want: Paths{Config: "/c/podcastfy", Data: "/d/podcastfy", State: "/s/podcastfy", Cache: "/k/podcastfy"},
		},
		"relative xdg ignored": {
			env:  map[string]string{"XDG_CONFIG_HOME": "rel", "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/k"},
			want: Paths{Config: filepath.Join(xdg.ConfigHome, "podcastfy"), Data: "/d/podcastfy", State: "/s/podcastfy", Cache: "/k/podcastfy"},
		},
		"platform defaults": {
			env: map[string]string{},
			want: Paths{
				Config: filepath.Join(xdg.ConfigHome, "podcastfy"), Data: filepath.Join(xdg.DataHome, "podcastfy"),
				State: filepath.Join(xdg.StateHome, "podcastfy"), Cache: filepath.Join(xdg.CacheHome, "podcastfy"),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ResolvePaths(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPathsFilesAndDirs(t *testing.T) {
	home := t.TempDir()
	p, err := ResolvePaths(env(map[string]string{"PODCASTFY_HOME": home}))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		p.ConfigFile():    "config/config.yaml",
		p.TemplatesDir():  "config/templates",
		p.UsersFile():     "data/users.json",
		p.PodcastsDir():   "data/podcasts",
		p.SecretKeyFile(): "data/secret.key",
		p.JobsDir():       "state/jobs",
		p.LogFile():       "state/podcastfy.log",
		p.TTSCacheDir():   "cache/tts",
	}
	for got, rel := range files {
		if want := filepath.Join(home, rel); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if err := p.EnsureDirs(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{p.Config, p.TemplatesDir(), p.Data, p.PodcastsDir(), p.State, p.JobsDir(), p.Cache, p.TTSCacheDir()} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want a 0700 folder", d, fi.Mode())
		}
	}
	if err := (Paths{Config: "relative"}).EnsureDirs(); err == nil {
		t.Error("EnsureDirs accepted a relative folder")
	}
}

func TestLoadMissingGivesDefaults(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, Defaults()) {
		t.Fatalf("got %+v", s)
	}
	if err := Defaults().Validate(); err != nil {
		t.Fatalf("defaults are invalid: %v", err)
	}
}

func TestLoad(t *testing.T) {
	cases := map[string]struct {
		yaml  string
		check func(Settings) bool
	}{
		"empty file":    {"", func(s Settings) bool { return reflect.DeepEqual(s, Defaults()) }},
		"only comments": {"# nothing\n", func(s Settings) bool { return reflect.DeepEqual(s, Defaults()) }},
		"partial section keeps other defaults": {"server:\n  port: 9000\n", func(s Settings) bool {
			return s.Server.Port == 9000 && s.Server.Bind == "127.0.0.1" && s.Server.MaxUploadMB == 200
		}},
		"voices map": {"tts:\n  provider: openai\n  voices:\n    Alex: am_adam\n    Sam: af_heart\n", func(s Settings) bool {
			return s.TTS.Provider == "openai" && s.TTS.Voices["Alex"] == "am_adam" && s.TTS.Voices["Sam"] == "af_heart"
		}},
		"null keeps default":     {"ollama:\n  model:\n", func(s Settings) bool { return s.Ollama.Model == "llama3.2" }},
		"float minutes from int": {"generation:\n  minutes: 12\n", func(s Settings) bool { return s.Generation.Minutes == 12 }},
		"ollama options": {"ollama:\n  options:\n    num_ctx: 4096\n    temperature: 0\n    keep_alive: -1\n", func(s Settings) bool {
			o := s.Ollama.Options
			d, err := o.KeepAliveDuration()
			return o.NumCtx == 4096 && o.Temperature == 0 && o.TopP == 0.9 && err == nil && d < 0
		}},
		"cors list": {"server:\n  corsOrigins: [\"https://a.example:8443\", \"*\"]\n", func(s Settings) bool {
			return reflect.DeepEqual(s.Server.CORSOrigins, []string{"https://a.example:8443", "*"})
		}},
		"lan server": {"server: {enabled: true, bind: 0.0.0.0, port: 8080, tls: true}\n", func(s Settings) bool {
			return s.Server.Enabled && s.Server.Bind == "0.0.0.0" && s.Server.Port == 8080 && s.Server.TLS
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(s) {
				t.Fatalf("unexpected settings %+v", s)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	cases := map[string]struct {
		yaml string
		want string // after "<path>"
	}{
		"unknown top key":      {"writer: auto\nfoo: 1\n", `:2: unknown key "foo"`},
		"unknown nested key":   {"server:\n  port: 80\n  prot: 81\n", `:3: unknown key "server.prot"`},
		"bad port type":        {"server:\n  port: eighty\n", `:2: key "server.port": expected a whole number, found "eighty"`},
		"port out of range":    {"\n\nserver:\n  port: 70000\n", `:4: key "server.port": 70000 is out of range (1 to 65535)`},
		"bad bool":             {"server:\n  enabled: yes please\n", `:2: key "server.enabled": expected true or false`},
		"bad provider":         {"tts:\n  provider: festival\n", `:2: key "tts.provider": "festival" is not one of espeak, openai, kyutai, piper`},
		"bad writer":           {"writer: gpt\n", `:1: key "writer": "gpt" is not one of auto, ollama, extractive`},
		"bad url":              {"ollama:\n  url: localhost:11434\n", `:2: key "ollama.url": "localhost:11434" must start with http:// or https://`},
		"bad bind":             {"server:\n  bind: my laptop\n", `:2: key "server.bind"`},
		"bad ollama urls":      {"ollama:\n  urls:\n    - url: http://gpu:11434\n    - url: gpu2:11434\n", `:4: key "ollama.urls[1].url": "gpu2:11434" must start with http:// or https://`},
		"ollama url slots":     {"ollama:\n  urls:\n    - url: http://gpu:11434\n      concurrency: 99\n", `:4: key "ollama.urls[0].concurrency": 99 is out of range (0 to 16)`},
		"bad cors origin":      {"server:\n  corsOrigins:\n    - https://ok.example\n    - not an origin\n", `:4: key "server.corsOrigins[1]"`},
		"bad sample rate":      {"generation:\n  sampleRate: 12345\n", `:2: key "generation.sampleRate"`},
		"bad template id":      {"generation:\n  template: ../../etc\n", `:2: key "generation.template"`},
		"negative minutes":     {"generation:\n  minutes: -1\n", `:2: key "generation.minutes"`},
		"bad language":         {"generation:\n  language: English\n", `:2: key "generation.language"`},
		"empty voice":          {"tts:\n  voices:\n    Alex: ''\n", `:3: key "tts.voices.Alex": the voice is empty`},
		"section not mapping":  {"server: 8765\n", `:1: key "server": expected a mapping of keys, found "8765"`},
		"list for text":        {"writer: [a]\n", `:1: key "writer": expected text, found a list`},
		"duplicate key":        {"writer: auto\nwriter: ollama\n", `:2: key "writer" appears twice (first on line 1)`},
		"syntax error":         {"server:\n  port: 1\n bind: x\n", `:2: did not find expected key`},
		"not a mapping":        {"- a\n", `:1: the file: expected a mapping of keys, found a list`},
		"two problems":         {"server:\n  port: 0\ngeneration:\n  gapMs: -5\n", `:2: key "server.port": 0 is out of range`},
		"second of two":        {"server:\n  port: 0\ngeneration:\n  gapMs: -5\n", `:4: key "generation.gapMs": -5 is out of range`},
		"too large":            {"# " + strings.Repeat("x", MaxFileBytes), `: the file is larger than`},
		"bad openai format":    {"tts:\n  openai:\n    format: ogg\n", `:3: key "tts.openai.format"`},
		"bad whisper provider": {"whisper:\n  provider: vosk\n", `:2: key "whisper.provider"`},
		"tiny num_ctx":         {"ollama:\n  options:\n    num_ctx: 100\n", `:3: key "ollama.options.num_ctx": 100 is out of range (512 to 1048576)`},
		"hot temperature":      {"ollama:\n  options:\n    temperature: 2.5\n", `:3: key "ollama.options.temperature": 2.5 is out of range (0 to 2)`},
		"bad top_p":            {"ollama:\n  options:\n    top_p: 1.5\n", `:3: key "ollama.options.top_p"`},
		"bad keep_alive":       {"ollama:\n  options:\n    keep_alive: forever\n", `:3: key "ollama.options.keep_alive": "forever" is not a duration like 10m`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), path+tc.want) {
				t.Fatalf("error %q\ndoes not contain %q", err, path+tc.want)
			}
			after, rerr := os.ReadFile(path)
			if rerr != nil || string(after) != tc.yaml {
				t.Fatal("Load changed the file it refused")
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A folder where the file should be cannot be read as settings.
	path := filepath.Join(dir, "config.yaml")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v; want a read error", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	s := Defaults()
	s.Ollama.URL = "http://gpu-box:11434"
	s.TTS.Provider = "kyutai"
	s.TTS.Voices = map[string]string{"Alex": "expresso/ex03-ex01_happy_001_channel1_334s.wav"}
	s.TTS.OpenAI.APIKey = "sk-secret"
	s.Server.Enabled = true
	s.Server.CORSOrigins = []string{"http://phone.local:5173"}
	s.Generation.Minutes = 7.5
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("got  %+v\nwant %+v", got, s)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (the file may hold API keys)", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "# Address to listen on") {
		t.Errorf("saved file lacks key documentation:\n%s", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("Save left extra files: %v", entries)
	}
}

func TestSaveRefusesInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("writer: auto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Defaults()
	s.Server.Port = -1
	if err := Save(path, s); err == nil || !strings.Contains(err.Error(), "server.port") {
		t.Fatalf("got %v; want an error naming server.port", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "writer: auto\n" {
		t.Fatalf("Save overwrote the file with invalid settings: %q", data)
	}
}

func TestSaveKeepsUnreadableFile(t *testing.T) {
	cases := map[string]struct {
		old     string
		replace bool
	}{
		"syntax error":       {"server:\n  port: 1\n bind: x\n", false},
		"unknown key":        {"servr:\n  port: 1\n", false},
		"wrong type":         {"server:\n  port: many\n", false},
		"value out of range": {"server:\n  port: 0\n", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.old), 0o600); err != nil {
				t.Fatal(err)
			}
			err := Save(path, Defaults())
			data, _ := os.ReadFile(path)
			if tc.replace {
				if err != nil || string(data) == tc.old {
					t.Fatalf("Save did not replace the file: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), path) || string(data) != tc.old {
				t.Fatalf("Save replaced an unreadable file (err %v)", err)
			}
		})
	}
}

// TestEveryKeyDocumented keeps KeyDocs in step with the Settings struct.
func TestEveryKeyDocumented(t *testing.T) {
	var walk func(reflect.Type, string)
	keys := map[string]bool{}
	walk = func(typ reflect.Type, path string) {
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
			full := name
			if path != "" {
				full = path + "." + name
			}
			keys[full] = true
			if _, ok := KeyDocs[full]; !ok {
				t.Errorf("key %q has no entry in KeyDocs", full)
			}
			if typ.Field(i).Type.Kind() == reflect.Struct {
				walk(typ.Field(i).Type, full)
			}
		}
	}
	walk(reflect.TypeOf(Settings{}), "")
	for k := range KeyDocs {
		if !keys[k] {
			t.Errorf("KeyDocs has %q, which is not a key", k)
		}
	}
}

func TestOllamaURL(t *testing.T) {
	cases := map[string]struct {
		setting, host, want string
	}{
		"setting wins":        {"http://a:1", "http://b:2", "http://a:1"},
		"default":             {"", "", "http://127.0.0.1:11434"},
		"host with scheme":    {"", "https://ollama.example", "https://ollama.example"},
		"host without scheme": {"", "0.0.0.0:11434", "http://0.0.0.0:11434"},
		"host without port":   {"", "gpu-box", "http://gpu-box:11434"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := Defaults()
			s.Ollama.URL = tc.setting
			if got := s.OllamaURL(env(map[string]string{"OLLAMA_HOST": tc.host})); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	defaults, err := Marshal(Defaults())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(defaults)
	f.Add([]byte("server:\n  port: 1\n"))
	f.Add([]byte("tts: {voices: {a: b}}\n"))
	f.Add([]byte("x: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("config.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "config.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Parse accepted invalid settings: %v", err)
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("round trip changed settings:\n%+v\n%+v", again, s)
		}
	})
}

func TestKeepAliveDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"10m": 10 * time.Minute, " 300 ": 300 * time.Second, "-1": -time.Second, "0": 0, "1h30m": 90 * time.Minute, "-5m": -5 * time.Minute} {
		if got, err := (OllamaOptions{KeepAlive: in}).KeepAliveDuration(); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "soon", "99999999999999999"} {
		if _, err := (OllamaOptions{KeepAlive: in}).KeepAliveDuration(); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
