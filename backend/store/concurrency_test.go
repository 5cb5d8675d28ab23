package store

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestConcurrentUse runs 50 goroutines that create, read, update and delete
// podcasts and users at once (run it with -race), then checks that every
// record left is intact in memory and on disk.
func TestConcurrentUse(t *testing.T) {
	const workers, rounds = 50, 3
	paths := testPaths(t)
	s := open(t, paths)
	ps, us := s.Podcasts(), s.Users()

	var mu sync.Mutex
	keptPods := map[string]Podcast{}
	keptUsers := map[string]User{}
	sharedWins := 0
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := range workers {
		wg.Go(func() {
			// Everyone races for the same username: exactly one may win.
			if _, err := us.Create(User{Username: "shared", PasswordHash: "h"}); err == nil {
				mu.Lock()
				sharedWins++
				mu.Unlock()
			} else if !errors.Is(err, ErrConflict) {
				errs <- err
			}
			for r := range rounds {
				id := fmt.Sprintf("w%02d-r%d", w, r)
				src := fmt.Sprintf("source text of %s", id)
				meta := Podcast{ID: id, Title: "Title " + id, Owner: fmt.Sprintf("owner%d", w%5), SourceText: &src, Speakers: []string{"A", "B"}}
				path, err := ps.StagePath(id, KindAudio, "mp3")
				if err == nil {
					err = WriteFileAtomic(path, []byte("audio "+id), 0o600)
				}
				if err != nil {
					errs <- err
					return
				}
				p, err := ps.Commit(meta, map[string]string{KindAudio: path})
				if err != nil {
					errs <- err
					return
				}
				if got, err := ps.Get(id); err != nil || *got.SourceText != src {
					errs <- fmt.Errorf("get %s: %v", id, err)
				}
				if _, _, err := ps.List(ListQuery{Owner: meta.Owner, Query: "title", Limit: 10}); err != nil {
					errs <- err
				}
				u, err := us.Create(User{Username: "user-" + id, PasswordHash: "h"})
				if err != nil {
					errs <- err
					return
				}
				switch r % 3 {
				case 0: // delete both
					if err := ps.Delete(id); err != nil {
						errs <- err
					}
					if err := us.Delete(u.ID); err != nil {
						errs <- err
					}
				case 1: // update both, keep
					p, err = ps.Update(id, func(p *Podcast) error { p.Title = "Updated " + id; return nil })
					if err != nil {
						errs <- err
					}
					u, err = us.Update(u.ID, func(u *User) error { u.TokenVersion = r; return nil })
					if err != nil {
						errs <- err
					}
					fallthrough
				default:
					p.SourceText = &src
					mu.Lock()
					keptPods[id], keptUsers[u.ID] = p, u
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if sharedWins != 1 {
		t.Fatalf("%d goroutines created the same username", sharedWins)
	}

	check := func(label string, s *Store) {
		ps, us := s.Podcasts(), s.Users()
		if ps.Count() != len(keptPods) {
			t.Fatalf("%s: %d podcasts, want %d", label, ps.Count(), len(keptPods))
		}
		for id, want := range keptPods {
			got, err := ps.Get(id)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: podcast %s = %+v, %v\nwant %+v", label, id, got, err, want)
			}
		}
		list, _ := us.List()
		admins := 0
		for _, u := range list {
			if u.IsAdmin {
				admins++
			}
			if u.Username == "shared" {
				continue
			}
			if want, ok := keptUsers[u.ID]; !ok || !reflect.DeepEqual(u, want) {
				t.Fatalf("%s: user %+v, want %+v (kept %v)", label, u, want, ok)
			}
		}
		if len(list) != len(keptUsers)+1 || admins != 1 {
			t.Fatalf("%s: %d users (%d admins), want %d and one admin", label, len(list), admins, len(keptUsers)+1)
		}
	}
	check("in memory", s)
	check("reopened", open(t, paths))
	for _, name := range dirNames(t, paths.PodcastsDir()) {
		if name[0] == '.' {
			t.Errorf("temp file %s left", name)
		}
	}
}
