package api

import (
	"fmt"
	"net/http"
	"strconv"
)

// jobLines answers GET /jobs/{id}/lines?from=N: the lines of a job's live
// audio from index N on, each at its place in seconds, so a listener's
// transcript follows what it hears. A client asks again with from set to
// the count it has whenever the job's status says more lines are voiced.
func (s *server) jobLines(w http.ResponseWriter, r *http.Request) {
	from := 0
	if q := r.URL.Query().Get("from"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 0 {
			s.writeError(w, r, fieldError("from", fmt.Sprintf("from must be a line index, 0 or more; got %q", clip(q))))
			return
		}
		from = n
	}
	lines, err := s.Jobs.LiveLines(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"), from)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lines)
}

// liveRange reports whether a Range header asks for everything from the
// first byte on ("bytes=0-"), as a browser's <audio> does on its first
// request: the live stream answers it in full, growing, rather than with
// the bytes that exist now, after which the player would stop.
func liveRange(h string) bool { return h == "bytes=0-" }
