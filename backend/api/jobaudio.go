package api

import (
	"errors"
	"io"
	"net/http"
	"time"

	"podcastfy/backend/core"
)

// jobAudio serves the MP3 a running job has made so far. Without Range the
// answer stays open and carries on with every line as it is encoded, until
// the job ends: a plain HTTP client plays it as a live stream (the frames
// come without the ID3 tag, which the finished podcast file gets). With
// Range it serves what exists now, like a file, except a range from the
// first byte on, which a browser's <audio> asks for: that is the live stream. A finished job redirects to
// its podcast's audio.
func (s *server) jobAudio(w http.ResponseWriter, r *http.Request) {
	owner, id := currentUser(r.Context()).ID, r.PathValue("id")
	a, err := s.Jobs.LiveAudio(r.Context(), owner, id)
	if errors.Is(err, core.ErrNoLiveAudio) {
		if st, gerr := s.Jobs.Get(r.Context(), owner, id); gerr == nil && st.State == core.Done && st.PodcastID != "" {
			to := "/podcasts/" + st.PodcastID + "/audio"
			if signed, _ := r.Context().Value(signedKey).(bool); signed {
				// A player that came with a signed link gets one on.
				to = s.signedPath(to, owner)
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		if errors.Is(err, core.ErrNoAudioYet) {
			w.Header().Set("Retry-After", "2")
		}
		s.writeError(w, r, err)
		return
	}
	defer a.Close()
	h := w.Header()
	h.Set("Content-Type", "audio/mpeg")
	h.Set("Cache-Control", "no-store")
	if rg := r.Header.Get("Range"); rg != "" && !liveRange(rg) {
		size, _ := a.Size()
		http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(a, 0, size))
		return
	}
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	buf := make([]byte, 32<<10)
	for {
		n, err := a.Follow(r.Context(), buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil || rc.Flush() != nil {
			return
		}
	}
}
