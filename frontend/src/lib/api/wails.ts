// The desktop implementation of Backend: the Go facades Wails binds into the
// window (window.go.desktop.<Struct>.<Method>, what frontend/wailsjs wraps)
// and the Wails runtime's events. A rejected call carries the Go error's
// message, which errors.ts makes readable.

import type {
  AuthPort,
  Backend,
  GeneratorPort,
  LibraryPort,
  PlayerPort,
  ServerPort,
  SettingsPort,
  TemplatesPort,
  Unsubscribe,
  VoicesPort,
} from './backend';
import { BackendError, fieldProblems } from './errors';
import { Events } from './events';
import type { DroppedSources, JobStatus, PickedSource, PlayerStatus, PullProgress, ServerStatus, Template } from './types';

type Method = (...args: unknown[]) => Promise<unknown>;
type Bound = Record<string, Record<string, Method>>;

/** The parts of the Wails runtime this file uses. */
export interface WailsRuntime {
  EventsOn(name: string, callback: (...data: unknown[]) => void): () => void;
  BrowserOpenURL(url: string): void;
}

declare global {
  interface Window {
    /** The Go bindings Wails injects into the desktop webview; absent in a browser. */
    go?: { desktop?: Record<string, unknown>; main?: Record<string, unknown> };
    /** The Wails runtime (events, window); absent in a browser. */
    runtime?: WailsRuntime;
  }
}

// call invokes a bound Go method and turns a rejection into a BackendError
// with its field problems, when the message carries them.
async function call<T>(struct: string, method: string, ...args: unknown[]): Promise<T> {
  const ns = struct === 'App' ? window.go?.main : window.go?.desktop;
  const fn = (ns as Bound | undefined)?.[struct]?.[method];
  if (typeof fn !== 'function') {
    throw new BackendError(`The desktop app has no ${struct}.${method}: rebuild it so its bindings are current.`);
  }
  try {
    return (await fn(...args)) as T;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new BackendError(message, { problems: fieldProblems(message) });
  }
}

// on subscribes to a Wails event and returns its own canceller, so that
// one screen's unsubscribe never removes another screen's listener.
function on<T>(name: string, callback: (data: T) => void): Unsubscribe {
  const rt = window.runtime;
  if (!rt) {
    return () => {};
  }
  const cancel = rt.EventsOn(name, (...data: unknown[]) => callback(data[0] as T));
  let done = false;
  return () => {
    if (!done) {
      done = true;
      cancel();
    }
  };
}

const auth: AuthPort = {
  firstRunNeeded: () => call('Auth', 'FirstRunNeeded'),
  createFirstUser: (u, p) => call('Auth', 'CreateFirstUser', u, p),
  login: (u, p) => call('Auth', 'Login', u, p),
  logout: () => call('Auth', 'Logout'),
  me: () => call('Auth', 'Me'),
  changePassword: (oldPassword, newPassword) => call('Auth', 'ChangePassword', oldPassword, newPassword),
  // The desktop session lives as long as the app; it never ends by itself.
  onSessionEnded: () => () => {},
};

const library: LibraryPort = {
  list: (q) => call('Library', 'List', q),
  get: (id) => call('Library', 'Get', id),
  rename: (id, title) => call('Library', 'Rename', id, title),
  delete: (id) => call('Library', 'Delete', id),
  export: (id) => call('Library', 'Export', id),
};

const generator: GeneratorPort = {
  start: (req) => call('Generator', 'Start', req),
  cancel: (id) => call('Generator', 'Cancel', id),
  jobs: async () => (await call<JobStatus[] | null>('Generator', 'Jobs')) ?? [],
  plan: (writer, tts) => call('Generator', 'Plan', writer, tts),
  resume: (id) => call('Generator', 'Resume', id),
  pickFiles: async (kind) => (await call<PickedSource[] | null>('Generator', 'PickFiles', kind)) ?? [],
  onSourcesDropped: (cb) => on<DroppedSources>(Events.SourcesDropped, cb),
  watch(jobId, onStatus) {
    const forJob = (s: JobStatus) => {
      if (s && s.id === jobId) onStatus(s);
    };
    const offs = [Events.JobProgress, Events.JobDone, Events.JobFailed].map((name) => on(name, forJob));
    return () => offs.forEach((off) => off());
  },
};

const templates: TemplatesPort = {
  list: async () => (await call<Template[] | null>('Templates', 'List')) ?? [],
  get: (id) => call('Templates', 'Get', id),
  save: (t) => call('Templates', 'Save', t),
  delete: (id) => call('Templates', 'Delete', id),
  validate: async (t) => (await call<ReturnType<typeof fieldProblems> | null>('Templates', 'Validate', t)) ?? [],
};

const player: PlayerPort = {
  load: (d) => call('Player', 'Load', d.podcast.id),
  play: () => call('Player', 'Play'),
  pause: () => call('Player', 'Pause'),
  toggle: () => call('Player', 'Toggle'),
  stop: () => call('Player', 'Stop'),
  seek: (s) => call('Player', 'Seek', s),
  setSpeed: (x) => call('Player', 'SetSpeed', x),
  setVolume: (v) => call('Player', 'SetVolume', v),
  status: () => call('Player', 'Status'),
  subscribe(onStatus) {
    const a = on<PlayerStatus>(Events.PlayerPosition, onStatus);
    const b = on<PlayerStatus>(Events.PlayerState, onStatus);
    return () => {
      a();
      b();
    };
  },
};

const settings: SettingsPort = {
  get: () => call('Settings', 'Get'),
  save: (s) => call('Settings', 'Save', s),
  testProviders: async () => (await call('Settings', 'TestProviders')) ?? [],
  listModels: async () => (await call('Settings', 'ListModels')) ?? [],
  pullModel: (name) => call('Settings', 'PullModel', name),
  onPull: (cb) => on<PullProgress>(Events.ModelPull, cb),
};

const voices: VoicesPort = {
  list: async (provider) => (await call('Settings', 'ListVoices', provider)) ?? [],
  preview: (provider, voice, text) => call('Settings', 'PreviewVoice', provider, voice, text),
};

const server: ServerPort = {
  start: () => call('Server', 'Start'),
  stop: () => call('Server', 'Stop'),
  status: () => call('Server', 'Status'),
  subscribe: (cb) => on<ServerStatus>(Events.ServerStatus, cb),
};

/** The Backend of the desktop window. */
export function wailsBackend(): Backend {
  return {
    kind: 'desktop',
    version: () => call('App', 'Version'),
    openURL: (url) => window.runtime?.BrowserOpenURL(url),
    auth,
    library,
    generator,
    templates,
    player,
    settings,
    voices,
    server,
  };
}
