package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

// What happens to a deleted user's podcasts: there is no default, every
// door asks.
const (
	PodcastsDelete = "delete" // removed with their media
	PodcastsKeep   = "keep"   // given to the user who deletes the account
)

// UserAccounts is what deleting a user needs of the accounts:
// *auth.Service. Deleting the account ends its sessions and its feed key.
type UserAccounts interface {
	DeleteUser(userID string) error
}

// UserRemoval deletes accounts with everything they own, so nothing is
// left on disk that no one can reach: the API, the CLI and the desktop
// call it. Build it in backend/app.
type UserRemoval struct {
	Accounts  UserAccounts
	Users     *store.Users
	Podcasts  *store.Podcasts
	Templates *store.Templates
	// Jobs is the job service whose jobs the user may have; nil when the
	// caller runs none (their job files are then left to the process that
	// runs them, and the answer says so).
	Jobs *Service
}

// UserRemoved says what went with an account and what was kept.
type UserRemoved struct {
	Username string `json:"username"`
	// Podcasts is what was done with their podcasts: PodcastsDelete or
	// PodcastsKeep; KeptBy is who owns the kept ones now.
	Podcasts      string `json:"podcasts"`
	PodcastCount  int    `json:"podcastCount"`
	KeptBy        string `json:"keptBy,omitempty"`
	TemplateCount int    `json:"templateCount"`
	// TemplatesDropped are templates not kept: the new owner has one of
	// the same id.
	TemplatesDropped []string `json:"templatesDropped,omitempty"`
	Jobs             int      `json:"jobs"` // cancelled or ended, removed with their uploads
	// jobsElsewhere are their jobs another live process was running when
	// this one started: left to it, and said so in Message.
	jobsElsewhere int
	// Message says all of it in a sentence.
	Message string `json:"message"`
}

// Delete removes the account userID on behalf of by (an administrator, or
// the desktop's local user). podcasts must be PodcastsDelete or
// PodcastsKeep (else an invalid_request at "podcasts"): delete removes
// their podcasts and media, keep gives them to by. Either way their jobs
// are cancelled and removed with their uploads, their own templates are
// removed (keep: given to by), and the account, its sessions and feed key
// end. Deleting oneself is a conflict: another administrator can.
func (r *UserRemoval) Delete(ctx context.Context, by store.User, userID, podcasts string) (UserRemoved, error) {
	if podcasts != PodcastsDelete && podcasts != PodcastsKeep {
		return UserRemoved{}, apperr.Field("podcasts",
			"say what happens to the user's podcasts: %q removes them with their files, %q gives them to you", PodcastsDelete, PodcastsKeep)
	}
	if userID == by.ID {
		return UserRemoved{}, apperr.New(apperr.Conflict, "you cannot delete your own account; another administrator can")
	}
	u, err := r.Users.Get(userID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
			return UserRemoved{}, apperr.New(apperr.NotFound, "no such user")
		}
		return UserRemoved{}, err
	}
	// The account first: from here on the user can neither log in nor
	// start anything new.
	if err := r.Accounts.DeleteUser(userID); err != nil {
		return UserRemoved{}, err
	}
	out := UserRemoved{Username: u.Username, Podcasts: podcasts}
	var left []string
	if r.Jobs != nil {
		n, err := r.Jobs.removeOwner(ctx, userID)
		out.Jobs = n
		r.Jobs.mu.Lock()
		out.jobsElsewhere = r.Jobs.elsewhere[userID]
		r.Jobs.mu.Unlock()
		if err != nil {
			left = append(left, err.Error())
		}
	}
	ids, err := r.ownedPodcasts(userID)
	if err != nil {
		left = append(left, err.Error())
	}
	for _, id := range ids {
		if podcasts == PodcastsKeep {
			_, err = r.Podcasts.Update(id, func(p *store.Podcast) error { p.Owner = by.ID; return nil })
		} else {
			err = r.Podcasts.Delete(id)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			left = append(left, err.Error())
			continue
		}
		out.PodcastCount++
	}
	if podcasts == PodcastsKeep {
		out.KeptBy = by.Username
		out.TemplateCount, out.TemplatesDropped, err = r.Templates.MoveAllFor(userID, by.ID)
	} else {
		out.TemplateCount, err = r.Templates.DeleteAllFor(userID)
	}
	if err != nil {
		left = append(left, err.Error())
	}
	out.Message = out.sentence()
	if len(left) > 0 {
		return out, fmt.Errorf("deleted the account %s, but some of what it owned is still on disk: %s", u.Username, strings.Join(left, "; "))
	}
	return out, nil
}

// ownedPodcasts lists the ids of every podcast of owner.
func (r *UserRemoval) ownedPodcasts(owner string) ([]string, error) {
	list, _, err := r.Podcasts.List(store.ListQuery{Owner: owner})
	if err != nil {
		return nil, fmt.Errorf("listing the podcasts of %s: %w", owner, err)
	}
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	return ids, nil
}

func (o UserRemoved) sentence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Deleted %s", o.Username)
	if o.Podcasts == PodcastsKeep {
		fmt.Fprintf(&b, "; their %s and %s now belong to %s", count(o.PodcastCount, "podcast"), count(o.TemplateCount, "template"), o.KeptBy)
		if len(o.TemplatesDropped) > 0 {
			fmt.Fprintf(&b, " (removed, as %s already has them: %s)", o.KeptBy, strings.Join(o.TemplatesDropped, ", "))
		}
	} else {
		fmt.Fprintf(&b, " with their %s and %s", count(o.PodcastCount, "podcast"), count(o.TemplateCount, "template"))
	}
	fmt.Fprintf(&b, "; %s removed with their uploads", count(o.Jobs, "job"))
	if o.jobsElsewhere > 0 {
		fmt.Fprintf(&b, " (%s running in another podcastfy process when this one started, left to it: cancel them there, or what they make stays on disk under the deleted account)", count(o.jobsElsewhere, "job"))
	}
	b.WriteString("; their sessions and feed links have ended.")
	return b.String()
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// removeOwner cancels every job of owner and removes them all with their
// files and uploads, reporting how many there were.
func (s *Service) removeOwner(ctx context.Context, owner string) (int, error) {
	jobs := s.List(ctx, owner)
	var errs []error
	for _, st := range jobs {
		if st.State.Running() {
			if _, err := s.Cancel(ctx, owner, st.ID); err != nil && !errors.Is(err, ErrJobFinished) {
				errs = append(errs, err)
				continue
			}
		}
		if err := s.Remove(ctx, owner, st.ID); err != nil && !errors.Is(err, ErrJobNotFound) {
			errs = append(errs, err)
		}
	}
	return len(jobs), errors.Join(errs...)
}
