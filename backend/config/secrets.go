package config

// SecretMask stands for a saved key in settings shown to a client: the
// settings screens and GET /admin/settings never carry a key in clear, and a
// key sent back as the mask (or empty) keeps the saved one.
const SecretMask = "••••••••"

// secrets lists the keys of s, so that masking and keeping cover the same
// ones; a new key setting is added here once.
func (s *Settings) secrets() []*string {
	return []*string{&s.TTS.OpenAI.APIKey, &s.TTS.Kyutai.APIKey, &s.Whisper.APIKey}
}

// Masked is s as a client may see it: every key that is set replaced by
// SecretMask, an unset key left empty (so a screen can say which are set).
func (s Settings) Masked() Settings {
	s = s.clone()
	for _, k := range s.secrets() {
		if *k != "" {
			*k = SecretMask
		}
	}
	return s
}

// KeepSecrets is s, edited by a client, with every key it left empty or
// sent back as SecretMask taken from prev, the settings in force: a client
// never sees a key, so it cannot send one back; it only types a new one.
func (s Settings) KeepSecrets(prev Settings) Settings {
	s = s.clone()
	old := prev.secrets()
	for i, k := range s.secrets() {
		if *k == "" || *k == SecretMask {
			*k = *old[i]
		}
	}
	return s
}

// clone copies the maps and slices of s, so an edit of the copy leaves s
// (often the settings in force, shared) alone.
func (s Settings) clone() Settings {
	if s.TTS.Voices != nil {
		v := make(map[string]string, len(s.TTS.Voices))
		for k, x := range s.TTS.Voices {
			v[k] = x
		}
		s.TTS.Voices = v
	}
	if s.Ollama.URLs != nil {
		s.Ollama.URLs = append([]OllamaServer{}, s.Ollama.URLs...)
	}
	if s.TTS.Servers != nil {
		s.TTS.Servers = append([]TTSServer{}, s.TTS.Servers...)
	}
	if s.Server.CORSOrigins != nil {
		s.Server.CORSOrigins = append([]string{}, s.Server.CORSOrigins...)
	}
	return s
}
