package ttstest

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/coder/websocket"
	"github.com/vmihailenco/msgpack/v5"
)

const (
	// KyutaiRate is the sample rate of Kyutai audio.
	KyutaiRate = 24000
	// KyutaiFrame is the number of samples in one Audio message (80 ms).
	KyutaiFrame = 1920
	// KyutaiFramesPerWord is how many Audio frames the fake sends per word.
	KyutaiFramesPerWord = 2
)

// KyutaiSession is one WebSocket stream as the Kyutai fake saw it.
type KyutaiSession struct {
	Key    string   // kyutai-api-key header (or auth_id query)
	Voice  string   // voice query parameter
	Format string   // format query parameter
	Words  []string // Text messages received, in order
	Eos    bool     // whether Eos arrived
}

// Kyutai is a fake moshi-server TTS worker (an http.Handler) serving
// /api/tts_streaming. It checks the key before the upgrade (401, empty
// body), sends Ready first and an empty 0/0 Text, answers each Text word
// with its timing and KyutaiFramesPerWord Audio frames of KyutaiFrame
// float32 samples, and closes the socket after Eos. It speaks only
// format=PcmMessagePack.
type Kyutai struct {
	// Keys accepted; nil means {"public_token"}.
	Keys []string

	faults   faults
	mu       sync.Mutex
	sessions []*KyutaiSession
}

// The server's messages, one struct per variant so each carries exactly
// its own fields (rmp_serde struct maps, tagged by "type").
type (
	readyMsg struct {
		Type string `msgpack:"type"`
	}
	textMsg struct {
		Type   string  `msgpack:"type"`
		Text   string  `msgpack:"text"`
		StartS float64 `msgpack:"start_s"`
		StopS  float64 `msgpack:"stop_s"`
	}
	audioMsg struct {
		Type string    `msgpack:"type"`
		PCM  []float32 `msgpack:"pcm"`
	}
	errorMsg struct {
		Type    string `msgpack:"type"`
		Message string `msgpack:"message"`
	}
	// clientMsg is what clients send: Text, Eos or Voice.
	clientMsg struct {
		Type string `msgpack:"type"`
		Text string `msgpack:"text"`
	}
)

// Fail queues faults for the next connections (Busy, ServerError, Drop, Hang).
func (k *Kyutai) Fail(fs ...Fault) { k.faults.add(fs...) }

// Sessions returns the streams served so far.
func (k *Kyutai) Sessions() []KyutaiSession {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]KyutaiSession, len(k.sessions))
	for i, s := range k.sessions {
		out[i] = *s
		out[i].Words = slices.Clone(s.Words)
	}
	return out
}

func (k *Kyutai) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/tts_streaming" {
		http.NotFound(w, r)
		return
	}
	keys := k.Keys
	if keys == nil {
		keys = []string{"public_token"}
	}
	key := r.Header.Get("kyutai-api-key")
	if key == "" {
		key = r.URL.Query().Get("auth_id")
	}
	if !slices.Contains(keys, key) {
		w.WriteHeader(http.StatusUnauthorized) // empty body, before the upgrade
		return
	}
	q := r.URL.Query()
	if q.Get("format") != "PcmMessagePack" {
		http.Error(w, "this fake serves only format=PcmMessagePack", http.StatusBadRequest)
		return
	}
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	s := &KyutaiSession{Key: key, Voice: q.Get("voice"), Format: q.Get("format")}
	k.mu.Lock()
	k.sessions = append(k.sessions, s)
	k.mu.Unlock()
	k.serve(r.Context(), conn, s)
}

// record updates a session under the lock, before the client can see the
// answer that follows.
func (k *Kyutai) record(f func()) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f()
}

func (k *Kyutai) serve(ctx context.Context, conn *websocket.Conn, s *KyutaiSession) {
	send := func(m any) error {
		b, err := msgpack.Marshal(m)
		if err != nil {
			return err
		}
		return conn.Write(ctx, websocket.MessageBinary, b)
	}
	fault := k.faults.next()
	switch fault {
	case Busy:
		send(errorMsg{"Error", "no free channels"})
		conn.Close(websocket.StatusNormalClosure, "")
		return
	case ServerError:
		send(readyMsg{"Ready"})
		send(errorMsg{"Error", "internal error: model inference failed"})
		conn.Close(websocket.StatusInternalError, "")
		return
	}
	if send(readyMsg{"Ready"}) != nil || send(textMsg{Type: "Text"}) != nil {
		return
	}
	t := 0.0 // audio time in seconds
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var m clientMsg
		switch {
		case typ == websocket.MessageText:
			m = clientMsg{Type: "Text", Text: string(data)}
		case len(data) == 1 && data[0] == 0:
			m = clientMsg{Type: "Eos"}
		default:
			if msgpack.Unmarshal(data, &m) != nil {
				send(errorMsg{"Error", "invalid message"})
				return
			}
		}
		if fault == Hang {
			continue // read but never answer; the client gives up
		}
		switch m.Type {
		case "Eos":
			k.record(func() { s.Eos = true })
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case "Text":
			for _, word := range strings.Fields(m.Text) {
				k.record(func() { s.Words = append(s.Words, word) })
				start, stop := t, t+KyutaiFramesPerWord*float64(KyutaiFrame)/KyutaiRate
				if send(textMsg{"Text", word, start, stop}) != nil {
					return
				}
				for range KyutaiFramesPerWord {
					if send(audioMsg{"Audio", Tone(KyutaiFrame, KyutaiRate)}) != nil {
						return
					}
					if fault == Drop {
						return // CloseNow: no close frame
					}
				}
				t = stop
			}
		}
	}
}
