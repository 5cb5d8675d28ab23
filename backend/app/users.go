package app

import "podcastfy/backend/core"

// UserRemoval deletes accounts with what they own (core.UserRemoval);
// jobs is this process's job service, nil when it runs none.
func (a *App) UserRemoval(jobs *core.Service) *core.UserRemoval {
	return &core.UserRemoval{
		Accounts: a.Auth, Users: a.Store.Users(), Podcasts: a.Store.Podcasts(),
		Templates: a.Store.Templates(), Jobs: jobs,
	}
}
