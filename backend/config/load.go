package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"podcastfy/backend/config/strictyaml"
	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/tts/providers"
)

// MaxFileBytes bounds config.yaml; a larger file is surely not settings.
const MaxFileBytes = 1 << 20

// Load reads settings from path. A missing file gives Defaults(); keys in
// the file replace their defaults. A file that cannot be parsed, has an
// unknown key or a bad value is an error naming the file, line and key, for
// example `config.yaml:12: unknown key "server.prot"`. The file is only read.
func Load(path string) (Settings, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("reading settings: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes settings from the content of a config file; name is used in
// error messages.
func Parse(name string, data []byte) (Settings, error) {
	if len(data) > MaxFileBytes {
		return Settings{}, fmt.Errorf("%s: the file is larger than %d bytes; is it really podcastfy settings?", name, MaxFileBytes)
	}
	s := Defaults()
	lines, err := strictyaml.Decode(name, data, &s)
	if err != nil {
		return Settings{}, err
	}
	if s.TTS.Voices == nil {
		s.TTS.Voices = map[string]string{}
	}
	if s.Server.CORSOrigins == nil {
		s.Server.CORSOrigins = []string{}
	}
	if s.TTS.Servers == nil {
		s.TTS.Servers = []TTSServer{}
	}
	s.followPreset()
	if err := strictyaml.Locate(name, lines, s.Validate()); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// Save validates s and writes it to path atomically (mode 0600: it may hold
// API keys), with a comment above each key saying what it does. It refuses
// to replace a file that it cannot read as settings (a syntax error, an
// unknown key), so hand edits are never lost; a file whose values are merely
// out of range is replaced.
func Save(path string, s Settings) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("not saving invalid settings: %w", err)
	}
	old, err := os.ReadFile(path)
	if err == nil {
		var probe Settings
		if _, derr := strictyaml.Decode(path, old, &probe); derr != nil {
			return fmt.Errorf("not replacing %s, which podcastfy cannot read (%w); fix or remove it first", path, derr)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("saving settings: %w", err)
	}
	data, err := Marshal(s)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o600)
}

// Marshal renders s as a commented config.yaml.
func Marshal(s Settings) ([]byte, error) {
	var root yaml.Node
	if err := root.Encode(s); err != nil {
		return nil, fmt.Errorf("encoding settings: %w", err)
	}
	root.HeadComment = "podcastfy settings. Every key is optional: a missing key keeps its default.\n" +
		"An unknown key or a bad value stops podcastfy with a message naming the line."
	comment(&root, reflect.TypeOf(s), "")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, fmt.Errorf("encoding settings: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding settings: %w", err)
	}
	return buf.Bytes(), nil
}

// comment puts each field's documentation (KeyDocs) above its key.
func comment(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := k.Value
		if path != "" {
			full = path + "." + k.Value
		}
		if doc, ok := KeyDocs[full]; ok {
			k.HeadComment = doc
		}
		for j := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(j).Tag.Get("yaml"), ",")
			if name == k.Value {
				comment(v, t.Field(j).Type, full)
			}
		}
	}
}

// followPreset makes a chosen preset one step: it decides the provider
// too, in the file and in a save from a settings screen alike.
func (s *Settings) followPreset() {
	if p, ok := providers.PresetByID(s.TTS.Preset); ok {
		s.TTS.Provider = p.Provider
	}
}
