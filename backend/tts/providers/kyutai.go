package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

const (
	kyutaiPath    = "/api/tts_streaming"
	kyutaiRate    = 24000
	kyutaiDefault = "unmute-prod-website/default_voice.wav"
	// kyutaiReadyWithin is how many messages may precede Ready (Unmute's limit).
	kyutaiReadyWithin = 10
	// kyutaiReadLimit bounds one server message; an 80 ms Audio frame is ~10 kB.
	kyutaiReadLimit = 1 << 20
	// kyutaiIdle is how long a stream may go without a server message
	// before it counts as stalled (the server itself gives up on a silent
	// client after 30 s).
	kyutaiIdle = 30 * time.Second
)

// Kyutai streams speech from a Kyutai TTS moshi-server over its WebSocket
// API (msgpack messages, PcmMessagePack format). One line is one
// connection: wait for Ready, send the words, send Eos, then collect Audio
// until the server closes the socket.
//
// The server silently falls back to its default voice for a voice path it
// does not know, so a typo is not reported; Voices lists known paths.
// Kyutai has no speed or pitch control: Request.Speed and Pitch are ignored.
type Kyutai struct {
	hc     *http.Client
	url    string // ws(s)://host/api/tts_streaming
	apiKey string
	idle   time.Duration
	log    *slog.Logger
}

// NewKyutai validates cfg and returns the provider.
func NewKyutai(cfg KyutaiConfig, hc *http.Client, log *slog.Logger) (*Kyutai, error) {
	u, err := parseBaseURL(NameKyutai, cfg.URL, "ws", "wss", "http", "https")
	if err != nil {
		return nil, err
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	if !strings.HasSuffix(u.Path, kyutaiPath) {
		u.Path += kyutaiPath
	}
	key := cfg.APIKey
	if key == "" {
		key = "public_token"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Kyutai{hc: hc, url: u.String(), apiKey: key, idle: kyutaiIdle, log: log}, nil
}

// Name implements tts.Synthesizer.
func (k *Kyutai) Name() string { return NameKyutai }

// kyutaiMsg is every message of the protocol; Type selects the fields used.
type kyutaiMsg struct {
	Type    string    `msgpack:"type"`
	Text    string    `msgpack:"text,omitempty"`
	PCM     []float64 `msgpack:"pcm,omitempty"` // float32 on the wire; float64 accepts both widths
	StartS  float64   `msgpack:"start_s,omitempty"`
	StopS   float64   `msgpack:"stop_s,omitempty"`
	Message string    `msgpack:"message,omitempty"`
}

func (k *Kyutai) fail(voice, reason string, retryable bool, err error) *tts.ProviderError {
	return &tts.ProviderError{Provider: NameKyutai, Voice: voice, Reason: reason, Retryable: retryable, Err: err}
}

// dial opens a stream for voice and waits for Ready.
func (k *Kyutai) dial(ctx context.Context, voice string) (*websocket.Conn, error) {
	q := url.Values{"format": {"PcmMessagePack"}}
	if voice != "" {
		q.Set("voice", voice)
	}
	h := http.Header{}
	h.Set("kyutai-api-key", k.apiKey)
	conn, resp, err := websocket.Dial(ctx, k.url+"?"+q.Encode(), &websocket.DialOptions{HTTPClient: k.hc, HTTPHeader: h})
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, k.fail(voice, "stopped: "+context.Cause(ctx).Error(), false, context.Cause(ctx))
		case resp != nil && resp.StatusCode == http.StatusUnauthorized:
			return nil, &tts.ProviderError{Provider: NameKyutai, Voice: voice, Status: resp.StatusCode,
				Reason: "Unauthorized: the server refused the API key (set the key from its config's authorized_ids)"}
		case resp != nil && resp.StatusCode != http.StatusSwitchingProtocols:
			body, _ := io.ReadAll(resp.Body) // the library keeps the first 1 KiB
			return nil, tts.StatusError(NameKyutai, voice, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		return nil, k.fail(voice, fmt.Sprintf("cannot open %s (is moshi-server running?): %v", redact(k.url), err), true, err)
	}
	conn.SetReadLimit(kyutaiReadLimit)
	for range kyutaiReadyWithin {
		m, err := k.read(ctx, conn, voice)
		if err != nil {
			conn.CloseNow()
			return nil, err
		}
		if m.Type == "Ready" {
			return conn, nil
		}
	}
	conn.CloseNow()
	return nil, k.fail(voice, fmt.Sprintf("no Ready message within %d messages", kyutaiReadyWithin), false, nil)
}

// read returns the next message; an Error message becomes an error.
func (k *Kyutai) read(ctx context.Context, conn *websocket.Conn, voice string) (kyutaiMsg, error) {
	rctx, cancel := context.WithTimeout(ctx, k.idle)
	defer cancel()
	typ, data, err := conn.Read(rctx)
	if err != nil {
		if ctx.Err() != nil {
			return kyutaiMsg{}, k.fail(voice, "stopped: "+context.Cause(ctx).Error(), false, context.Cause(ctx))
		}
		if rctx.Err() != nil {
			return kyutaiMsg{}, k.fail(voice, fmt.Sprintf("the server sent nothing for %s (stalled)", k.idle), true, err)
		}
		return kyutaiMsg{}, err
	}
	var m kyutaiMsg
	if typ != websocket.MessageBinary {
		return m, k.fail(voice, "unexpected text message from the server", false, nil)
	}
	if err := msgpack.Unmarshal(data, &m); err != nil {
		return m, k.fail(voice, "unreadable message from the server (was format=PcmMessagePack honoured?): "+err.Error(), false, err)
	}
	if m.Type == "Error" {
		busy := strings.Contains(strings.ToLower(m.Message), "no free channels")
		return m, k.fail(voice, "server error: "+m.Message, busy, nil)
	}
	return m, nil
}

// Synthesize implements tts.Synthesizer. An empty voice uses the server's
// default voice.
func (k *Kyutai) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	voice := strings.TrimSpace(req.Voice)
	words := strings.Fields(req.Text)
	if len(words) == 0 {
		return audio.Clip{}, k.fail(voice, "no text to speak", false, nil)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conn, err := k.dial(ctx, voice)
	if err != nil {
		return audio.Clip{}, err
	}
	defer conn.CloseNow()

	// Write while reading: the server streams audio as text arrives.
	var eos atomic.Bool
	written := make(chan error, 1)
	go func() { written <- k.send(ctx, conn, words, &eos) }()

	clip, err := k.collect(ctx, conn, voice, &eos)
	if err != nil {
		cancel()
		<-written
		return audio.Clip{}, err
	}
	if werr := <-written; werr != nil {
		return audio.Clip{}, k.fail(voice, "sending text failed: "+werr.Error(), true, werr)
	}
	return clip, nil
}

// send writes one Text message per word, then Eos. eos is set just before
// Eos goes out so the reader can tell an expected close from an early one.
func (k *Kyutai) send(ctx context.Context, conn *websocket.Conn, words []string, eos *atomic.Bool) error {
	write := func(m kyutaiMsg) error {
		b, err := msgpack.Marshal(m)
		if err != nil {
			return err
		}
		return conn.Write(ctx, websocket.MessageBinary, b)
	}
	for _, w := range words {
		if err := write(kyutaiMsg{Type: "Text", Text: w}); err != nil {
			return err
		}
	}
	eos.Store(true)
	return write(kyutaiMsg{Type: "Eos"})
}

// collect reads Audio until the server closes the socket after Eos.
func (k *Kyutai) collect(ctx context.Context, conn *websocket.Conn, voice string, eos *atomic.Bool) (audio.Clip, error) {
	clip := audio.Clip{SampleRate: kyutaiRate}
	for {
		m, err := k.read(ctx, conn, voice)
		if err != nil {
			if _, ok := errors.AsType[*tts.ProviderError](err); ok {
				return audio.Clip{}, err
			}
			if !eos.Load() {
				return audio.Clip{}, k.fail(voice, "the server closed the stream before the end of the text: "+err.Error(), true, err)
			}
			if len(clip.Samples) == 0 {
				return audio.Clip{}, k.fail(voice, "empty audio (the server closed the stream without sending any)", false, nil)
			}
			switch websocket.CloseStatus(err) {
			case websocket.StatusNormalClosure, websocket.StatusGoingAway, websocket.StatusNoStatusRcvd:
				return clip, nil
			case -1:
				// No close frame: the connection dropped; the audio may be cut short.
				return audio.Clip{}, k.fail(voice, "the connection dropped before the server closed the stream: "+err.Error(), true, err)
			}
			return audio.Clip{}, k.fail(voice, "the server closed the stream abnormally: "+err.Error(), true, err)
		}
		switch m.Type {
		case "Audio":
			for _, s := range m.PCM {
				clip.Samples = append(clip.Samples, float32(max(-1, min(1, s))))
			}
		case "Text":
			if m.Text != "" {
				k.log.Debug("kyutai word", "text", m.Text, "start_s", m.StartS, "stop_s", m.StopS)
			}
		}
	}
}

// Voices implements tts.Synthesizer with a curated list of paths in the
// kyutai/tts-voices repository (the server has no listing endpoint).
func (k *Kyutai) Voices(context.Context) ([]tts.Voice, error) {
	return append([]tts.Voice(nil), kyutaiVoices...), nil
}

// Health implements tts.Synthesizer: it opens a stream, waits for Ready
// (which checks the key and that a channel is free) and closes it.
func (k *Kyutai) Health(ctx context.Context) error {
	conn, err := k.dial(ctx, "")
	if err != nil {
		return err
	}
	return conn.Close(websocket.StatusNormalClosure, "health check")
}

// kyutaiVoices are voice paths known to exist in kyutai/tts-voices (those
// Kyutai's Unmute demo uses).
var kyutaiVoices = []tts.Voice{
	{ID: kyutaiDefault, Name: "Default", Language: "en"},
	{ID: "unmute-prod-website/p329_022.wav", Name: "Watercooler (VCTK p329)", Language: "en"},
	{ID: "unmute-prod-website/developer-1.mp3", Name: "Dev (news)", Language: "en", Gender: "male"},
	{ID: "unmute-prod-website/ex04_narration_longform_00001.wav", Name: "Explanation (Expresso narration)", Language: "en"},
	{ID: "unmute-prod-website/freesound/519189_request-42---hmm-i-dont-knowwav.mp3", Name: "Quiz show", Language: "en", Gender: "male"},
	{ID: "unmute-prod-website/freesound/440565_why-is-there-educationwav.mp3", Name: "Gertrude", Language: "en", Gender: "female"},
	{ID: "expresso/ex03-ex01_happy_001_channel1_334s.wav", Name: "Expresso happy", Language: "en"},
	{ID: "unmute-prod-website/degaulle-2.wav", Name: "Charles", Language: "fr", Gender: "male"},
	{ID: "unmute-prod-website/developpeuse-3.wav", Name: "Développeuse", Language: "fr", Gender: "female"},
	{ID: "unmute-prod-website/fabieng-enhanced-v2.wav", Name: "Fabieng", Language: "fr", Gender: "male"},
}
