package desktop

import (
	"context"
	"fmt"

	"podcastfy/backend/core"
	"podcastfy/backend/player"
	"podcastfy/backend/store"
)

// LiveJobs is what listening to a running job needs from the job service
// (*core.Service).
type LiveJobs interface {
	Get(ctx context.Context, owner, id string) (core.Status, error)
	LiveAudio(ctx context.Context, owner, id string) (*core.LiveAudio, error)
	Wait(ctx context.Context, id string) (core.Status, error)
}

// liveReader reads a job's MP3 as it is encoded: a Read waits for the
// next line while the job runs, and Close ends one that waits.
type liveReader struct {
	a      *core.LiveAudio
	ctx    context.Context
	cancel context.CancelFunc
}

func (r *liveReader) Read(p []byte) (int, error) { return r.a.Follow(r.ctx, p) }

func (r *liveReader) Close() error {
	r.cancel()
	return r.a.Close()
}

// LiveLines returns the lines one of the user's jobs has voiced into its
// live audio, from index from on, each at its place in seconds: the
// transcript that follows Player.ListenLive. Ask again from the count held
// when a job:progress event says more lines are voiced (segment).
func (g *Generator) LiveLines(jobID string, from int) (core.LiveLines, error) {
	u, err := g.session.User()
	if err != nil {
		return core.LiveLines{}, err
	}
	lines, err := g.jobs.LiveLines(context.Background(), u.ID, jobID, from)
	return lines, jobError(err)
}

// ListenLive plays one of the user's running jobs while it is made, from
// its start: the audio encoded so far, then on as each line is (loaded,
// like Load; Play starts it). Player events carry the job's id while it
// plays. When the job is done, playback goes on in its podcast's file from
// the same place without a restart (a player:state event names the
// podcast); seeking waits until then. The job must have its first audio
// (job:audio): before that this is an unavailable error.
func (p *Player) ListenLive(jobID string) (player.Status, error) {
	u, err := p.session.User()
	if err != nil {
		return p.p.Status(), err
	}
	a, err := p.jobs.LiveAudio(context.Background(), u.ID, jobID)
	if err != nil {
		return p.p.Status(), jobError(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	st, err := p.p.LoadLive(jobID, &liveReader{a: a, ctx: ctx, cancel: cancel})
	if err != nil {
		cancel()
		return st, err
	}
	// Ends with the job, or when something else is loaded (the reader is
	// closed with the track).
	go func() {
		if end, _ := p.jobs.Wait(ctx, jobID); ctx.Err() == nil && end.State == core.Done {
			if _, err := p.goOn(u.ID, jobID, end.PodcastID); err != nil {
				p.log.Warn("going on from a job's live audio into its podcast", "job", jobID, "err", err)
			}
		}
	}()
	return st, nil
}

// ContinueLive goes on in the podcast from the live audio of the job that
// made it, as ListenLive does by itself once the job is done: the window
// calls it when it sees the job done, whichever comes first. When the
// podcast already plays it changes nothing.
func (p *Player) ContinueLive(podcastID string) (player.Status, error) {
	u, err := p.session.User()
	if err != nil {
		return p.p.Status(), err
	}
	st := p.p.Status()
	if st.PodcastID == podcastID {
		return st, nil
	}
	if st.JobID == "" {
		return st, fmt.Errorf("no job's live audio is playing to go on from into podcast %s", podcastID)
	}
	return p.goOn(u.ID, st.JobID, podcastID)
}

// goOn hands the player over from job's live audio to the podcast it made.
func (p *Player) goOn(owner, jobID, podcastID string) (player.Status, error) {
	job, err := p.jobs.Get(context.Background(), owner, jobID)
	if err != nil {
		return p.p.Status(), jobError(err)
	}
	if job.State != core.Done || job.PodcastID != podcastID {
		return p.p.Status(), fmt.Errorf("the job playing live (%s) has not made podcast %s", job.State, podcastID)
	}
	path, err := p.lib.podcasts.MediaPath(podcastID, store.KindAudio)
	if err != nil {
		return p.p.Status(), fmt.Errorf("podcast %s has no audio file: %w", podcastID, err)
	}
	st, err := p.p.Continue(jobID, podcastID, path)
	if err != nil && p.p.Status().PodcastID == podcastID {
		// The other caller got there first.
		return p.p.Status(), nil
	}
	return st, err
}
