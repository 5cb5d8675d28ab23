package llm

import "testing"

func TestParseHost(t *testing.T) {
	tests := map[string]string{
		"":                          "http://127.0.0.1:11434",
		"  \"0.0.0.0\" ":            "http://0.0.0.0:11434",
		"h:1234":                    "http://h:1234",
		"http://h":                  "http://h:80",
		"https://h":                 "https://h:443",
		"ollama.com":                "https://ollama.com:443",
		"http://h:99999":            "http://h:80",
		"h:abc":                     "http://h:11434",
		"http://h:8080/ollama/path": "http://h:8080/ollama/path",
		"[::1]:5000":                "http://[::1]:5000",
		"::1":                       "http://[::1]:11434",
		"127.0.0.1":                 "http://127.0.0.1:11434",
	}
	for in, want := range tests {
		if got := ParseHost(in).String(); got != want {
			t.Errorf("ParseHost(%q) = %q, want %q", in, got, want)
		}
	}
}
