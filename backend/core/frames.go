package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"podcastfy/backend/audio"
	"podcastfy/backend/store"
)

// A podcast keeps, beside its MP3, the index of its frames (audio.Index,
// store.KindFrames): where each line's chunk of frames is and what it was
// made of. A re-voice copies the frames of every line whose chunk key it
// finds there instead of reading, preparing and encoding the line again,
// so an edit costs what the changed lines cost. Podcasts made before the
// index existed, or whose index is damaged, are mastered again whole.

// maxFramesIndexBytes bounds the frame index read back from the library
// (a two-hour episode's is well under a megabyte).
const maxFramesIndexBytes = 32 << 20

// mediaStore finds a podcast's files (*store.Podcasts).
type mediaStore interface {
	MediaPath(id, kind string) (string, error)
}

// priorFrames is the frames of the version a re-voice starts from.
type priorFrames struct {
	mp3   *os.File
	start int64 // of the first audio frame in mp3
	lines map[string]audio.IndexLine
}

// openPriorFrames opens the frames of the podcast's current version for
// a re-voice; nil (and no error) when there is nothing to reuse.
func (s *Service) openPriorFrames(req Request) *priorFrames {
	if req.Revoice == nil {
		return nil
	}
	id := req.Revoice.PodcastID
	ms, ok := s.deps.Podcasts.(mediaStore)
	if !ok {
		return nil
	}
	pf, err := loadPriorFrames(ms, id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("the podcast's frame index cannot be used: every line is mastered again", "podcast", id, "err", err)
		}
		return nil
	}
	return pf
}

func loadPriorFrames(ms mediaStore, id string) (*priorFrames, error) {
	indexPath, err := ms.MediaPath(id, store.KindFrames)
	if err != nil {
		return nil, err
	}
	mp3Path, err := ms.MediaPath(id, store.KindAudio)
	if err != nil {
		return nil, err
	}
	ix, err := readFramesIndex(indexPath)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(mp3Path)
	if err != nil {
		return nil, err
	}
	start, err := audio.FramesStart(f)
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	pf := &priorFrames{mp3: f, start: start, lines: make(map[string]audio.IndexLine, len(ix.Lines))}
	for _, l := range ix.Lines {
		if start+l.Offset+l.Bytes > fi.Size() {
			f.Close()
			return nil, fmt.Errorf("the frame index reaches past the end of the MP3")
		}
		if l.Key != "" {
			pf.lines[l.Key] = l
		}
	}
	return pf, nil
}

func readFramesIndex(path string) (audio.Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return audio.Index{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFramesIndexBytes+1))
	if err != nil {
		return audio.Index{}, err
	}
	var ix audio.Index
	if len(data) > maxFramesIndexBytes || json.Unmarshal(data, &ix) != nil {
		return audio.Index{}, errors.New("the frame index is damaged")
	}
	return ix, ix.Check()
}

// reuse returns the line whose audio has cache key key, at the file's
// start or not, from the prior version's frames, if they have it.
func (pf *priorFrames) reuse(opt audio.Options, key string, first bool) (audio.Prepared, bool) {
	if pf == nil {
		return audio.Prepared{}, false
	}
	e, ok := pf.lines[audio.ChunkKey(opt, key, first)]
	if !ok {
		return audio.Prepared{}, false
	}
	frames := make([]byte, e.Bytes)
	if _, err := pf.mp3.ReadAt(frames, pf.start+e.Offset); err != nil || audio.CheckFrames(opt, e, frames) != nil {
		return audio.Prepared{}, false // mastered again instead
	}
	return audio.Reused(key, e, frames), true
}

func (pf *priorFrames) close() {
	if pf != nil {
		pf.mp3.Close()
	}
}
