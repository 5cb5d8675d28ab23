// One store per domain, made together for one Backend and shared with the
// components through Svelte's context.

import { getContext, setContext } from 'svelte';
import type { Backend } from '../api';
import { DraftsStore } from './drafts.svelte';
import { JobsStore } from './jobs.svelte';
import { LibraryStore } from './library.svelte';
import { LiveStore } from './live.svelte';
import { PlayerStore } from './player.svelte';
import { ServerStore } from './server.svelte';
import { SessionStore } from './session.svelte';
import { SettingsStore } from './settings.svelte';
import { TemplatesStore } from './templates.svelte';

export { DraftsStore, JobsStore, LibraryStore, LiveStore, PlayerStore, ServerStore, SessionStore, SettingsStore, TemplatesStore };

export interface Stores {
  api: Backend;
  session: SessionStore;
  library: LibraryStore;
  jobs: JobsStore;
  drafts: DraftsStore;
  player: PlayerStore;
  live: LiveStore;
  templates: TemplatesStore;
  settings: SettingsStore;
  server: ServerStore;
}

export function createStores(api: Backend): Stores {
  const library = new LibraryStore(api);
  const jobs = new JobsStore(api);
  // A podcast made puts a new row somewhere in the list.
  jobs.onFinished((s) => {
    if (s.state === 'done') library.invalidate();
  });
  const player = new PlayerStore(api);
  return {
    api,
    session: new SessionStore(api),
    library,
    jobs,
    drafts: new DraftsStore(),
    player,
    live: new LiveStore(api, jobs, player),
    templates: new TemplatesStore(api),
    settings: new SettingsStore(api),
    server: new ServerStore(api),
  };
}

/** Stops every subscription the stores hold. */
export function disposeStores(s: Stores): void {
  s.session.dispose();
  s.jobs.dispose();
  s.player.dispose();
  s.live.dispose();
  s.settings.dispose();
  s.server.dispose();
}

const key = Symbol('podcastfy.stores');

/** The context key, for tests that render a component with stores. */
export const storesKey = key;

export function provideStores(s: Stores): void {
  setContext(key, s);
}

export function useStores(): Stores {
  const s = getContext<Stores | undefined>(key);
  if (!s) throw new Error('useStores: no stores in context (render inside App or pass them in context)');
  return s;
}
