package llm

import (
	"errors"
	"net/url"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/balance"
)

// HostConfig is one more Ollama server (ollama.urls) that writes sections
// of an episode in parallel with the main one. It should run the same
// model.
type HostConfig struct {
	URL string
	// Concurrency is how many sections it writes at once; 0 means 1.
	Concurrency int
}

// MaxHostConcurrency bounds a host's concurrency.
const MaxHostConcurrency = 16

// DefaultHostCooldown is how long a failing host is left alone.
const DefaultHostCooldown = balance.DefaultCooldown

// host is one Ollama server of the writer.
type host struct {
	base   *url.URL
	client *api.Client
}

// hostPool hands out the hosts' slots (balance.Pool): a host that fails
// (unreachable, stalled, an error from Ollama, the model missing) is
// taken out for the cooldown and the call tried on another one.
type hostPool = balance.Pool[*host]

// hostFailure reports whether err says a host cannot serve now, so the
// call may go to another host; a bad answer or a stop is not.
func hostFailure(err error) bool {
	for _, kind := range []error{ErrUnreachable, ErrStalled, ErrInterrupted, ErrOllama, ErrModelMissing} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}
