// The desktop implementation of Backend: the Go facades Wails binds into the
// window, called through the modules `wails generate module` writes into
// frontend/wailsjs, so that a changed Go signature fails `npm run check`.
// Answers are read as the frontend's types through read(), arguments pass
// through send(): both compile only while the two agree (bindings.ts). A
// rejected call becomes an AppError (errors.ts).

import * as App from '../../../wailsjs/go/main/App';
import * as AccountsAPI from '../../../wailsjs/go/desktop/Accounts';
import * as Auth from '../../../wailsjs/go/desktop/Auth';
import * as Generator from '../../../wailsjs/go/desktop/Generator';
import * as Library from '../../../wailsjs/go/desktop/Library';
import * as Player from '../../../wailsjs/go/desktop/Player';
import * as Server from '../../../wailsjs/go/desktop/Server';
import * as Studio from '../../../wailsjs/go/desktop/Studio';
import * as SettingsAPI from '../../../wailsjs/go/desktop/Settings';
import * as Templates from '../../../wailsjs/go/desktop/Templates';
import * as Window from '../../../wailsjs/go/desktop/Window';
import type { config, core, desktop, library as lib, template } from '../../../wailsjs/go/models';
import { BrowserOpenURL, EventsOn } from '../../../wailsjs/runtime/runtime';
import type {
  AccountsPort,
  AuthPort,
  Backend,
  GeneratorPort,
  LibraryPort,
  PlayerPort,
  ServerPort,
  SettingsPort,
  StudioPort,
  TemplatesPort,
  Unsubscribe,
  VoicesPort,
  WindowPort,
} from './backend';
import { read, send } from './bindings';
import { toAppError } from './errors';
import { Events } from './events';
import type { RewriteProposal, ScriptDoc, VersionList } from './studio';
import type {
  ContextInfo,
  DroppedSources,
  FieldProblem,
  JobStatus,
  LibraryPage,
  LiveLines,
  ModelInfo,
  PickedSource,
  PlayerStatus,
  Podcast,
  PodcastDetail,
  ProviderHealth,
  PublicUser,
  PullProgress,
  Plan,
  ServerStatus,
  Session,
  Settings,
  Template,
  UserRemoved,
  Voice,
  VoicePreset,
} from './types';

declare global {
  interface Window {
    /** The Go bindings Wails injects into the desktop webview; absent in a browser. */
    go?: { desktop?: Record<string, unknown>; main?: Record<string, unknown> };
    /** The Wails runtime (events, window); absent in a browser. */
    runtime?: unknown;
  }
}

// call runs a bound method and turns its rejection (or a throw, when the
// window lacks the binding) into an AppError.
async function call<G>(invoke: () => Promise<G>): Promise<G> {
  try {
    return await invoke();
  } catch (err) {
    throw toAppError(err);
  }
}

// on subscribes to a Wails event and returns its own canceller, so that
// one screen's unsubscribe never removes another screen's listener.
function on<T>(name: string, callback: (data: T) => void): Unsubscribe {
  if (window.runtime === undefined) {
    return () => {};
  }
  const cancel = EventsOn(name, (...data: unknown[]) => callback(data[0] as T));
  let done = false;
  return () => {
    if (!done) {
      done = true;
      cancel();
    }
  };
}

const auth: AuthPort = {
  firstRunNeeded: () => call(() => Auth.FirstRunNeeded()),
  createFirstUser: async (u, p) => read<Session>()(await call(() => Auth.CreateFirstUser(u, p))),
  login: async (u, p) => read<Session>()(await call(() => Auth.Login(u, p))),
  logout: () => call(() => Auth.Logout()),
  me: async () => read<PublicUser>()(await call(() => Auth.Me())),
  local: async () => read<Session>()(await call(() => Auth.Local())),
  changePassword: (oldPassword, newPassword) => call(() => Auth.ChangePassword(oldPassword, newPassword)),
  // The desktop session lives as long as the app; it never ends by itself.
  onSessionEnded: () => () => {},
};

const library: LibraryPort = {
  list: async (q) => read<LibraryPage>()(await call(() => Library.List(send<lib.Query>()(q)))),
  get: async (id) => read<PodcastDetail>()(await call(() => Library.Get(id))),
  rename: async (id, title) => read<Podcast>()(await call(() => Library.Rename(id, title))),
  delete: (id) => call(() => Library.Delete(id)),
  export: (id) => call(() => Library.Export(id)),
};

const generator: GeneratorPort = {
  start: async (req) => read<JobStatus>()(await call(() => Generator.Start(send<desktop.GenerateRequest>()(req)))),
  cancel: async (id) => read<JobStatus>()(await call(() => Generator.Cancel(id))),
  jobs: async () => read<JobStatus[]>()((await call(() => Generator.Jobs())) ?? []),
  plan: async (req) => read<Plan>()(await call(() => Generator.Plan(send<desktop.GenerateRequest>()(req)))),
  resume: async (id) => read<JobStatus>()(await call(() => Generator.Resume(id))),
  pickFiles: async (kind) => read<PickedSource[]>()((await call(() => Generator.PickFiles(kind))) ?? []),
  onSourcesDropped: (cb) => on<DroppedSources>(Events.SourcesDropped, cb),
  liveLines: async (id, from) => read<LiveLines>()(await call(() => Generator.LiveLines(id, from))),
  watch(jobId, onStatus) {
    const forJob = (s: JobStatus) => {
      if (s && s.id === jobId) onStatus(s);
    };
    const offs = [Events.JobProgress, Events.JobDone, Events.JobFailed].map((name) => on(name, forJob));
    return () => offs.forEach((off) => off());
  },
};

const templates: TemplatesPort = {
  list: async () => read<Template[]>()((await call(() => Templates.List())) ?? []),
  get: async (id) => read<Template>()(await call(() => Templates.Get(id))),
  save: async (t) => read<Template>()(await call(() => Templates.Save(send<template.Template>()(t)))),
  delete: (id) => call(() => Templates.Delete(id)),
  validate: async (t) => read<FieldProblem[]>()((await call(() => Templates.Validate(send<template.Template>()(t)))) ?? []),
};

const studio: StudioPort = {
  async script(id) {
    // The facade carries the ETag in the document; the HTTP API also sends it as a header.
    const doc = read<ScriptDoc>()(await call(() => Studio.Script(id)));
    return { doc, etag: doc.etag ?? '' };
  },
  save: async (id, etag, doc) => read<JobStatus>()(await call(() => Studio.SaveScript(id, etag, send<core.ScriptDoc>()(doc)))),
  versions: async (id) => read<VersionList>()(await call(() => Studio.Versions(id))),
  restore: async (id, v) => read<Podcast>()(await call(() => Studio.RestoreVersion(id, v))),
  rewrite: async (id, req) => read<RewriteProposal>()(await call(() => Studio.Rewrite(id, send<core.RewriteRequest>()(req)))),
};

const player: PlayerPort = {
  load: async (d) => read<PlayerStatus>()(await call(() => Player.Load(d.podcast.id))),
  play: async () => read<PlayerStatus>()(await call(() => Player.Play())),
  pause: async () => read<PlayerStatus>()(await call(() => Player.Pause())),
  toggle: async () => read<PlayerStatus>()(await call(() => Player.Toggle())),
  stop: async () => read<PlayerStatus>()(await call(() => Player.Stop())),
  seek: async (s) => read<PlayerStatus>()(await call(() => Player.Seek(s))),
  setSpeed: async (x) => read<PlayerStatus>()(await call(() => Player.SetSpeed(x))),
  setVolume: async (v) => read<PlayerStatus>()(await call(() => Player.SetVolume(v))),
  status: async () => read<PlayerStatus>()(await call(() => Player.Status())),
  listenLive: async (job) => read<PlayerStatus>()(await call(() => Player.ListenLive(job.id))),
  // The Go side goes on into the podcast by itself when the job is done;
  // asking too makes sure it has when the window sees the job done.
  continueInto: async (d) => read<PlayerStatus>()(await call(() => Player.ContinueLive(d.podcast.id))),
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
  get: async () => read<Settings>()(await call(() => SettingsAPI.Get())),
  save: async (s) => read<Settings>()(await call(() => SettingsAPI.Save(send<config.Settings>()(s)))),
  testProviders: async () => read<ProviderHealth[]>()((await call(() => SettingsAPI.TestProviders())) ?? []),
  listModels: async () => read<ModelInfo[]>()((await call(() => SettingsAPI.ListModels())) ?? []),
  presets: async () => read<VoicePreset[]>()((await call(() => SettingsAPI.VoicePresets())) ?? []),
  modelContext: async () => read<ContextInfo>()(await call(() => SettingsAPI.OllamaContext())),
  pullModel: (name) => call(() => SettingsAPI.PullModel(name)),
  onPull: (cb) => on<PullProgress>(Events.ModelPull, cb),
};

const accounts: AccountsPort = {
  list: async () => read<PublicUser[]>()((await call(() => AccountsAPI.List())) ?? []),
  create: async (username, password, isAdmin) => read<PublicUser>()(await call(() => AccountsAPI.Create(username, password, isAdmin))),
  resetPassword: (id, password) => call(() => AccountsAPI.ResetPassword(id, password)),
  delete: async (id, podcasts) => read<UserRemoved>()(await call(() => AccountsAPI.Delete(id, podcasts))),
};

const voices: VoicesPort = {
  list: async (provider) => read<Voice[]>()((await call(() => SettingsAPI.ListVoices(provider))) ?? []),
  preview: (provider, voice, text) => call(() => SettingsAPI.PreviewVoice(provider, voice, text)),
};

const server: ServerPort = {
  start: async () => read<ServerStatus>()(await call(() => Server.Start())),
  stop: async () => read<ServerStatus>()(await call(() => Server.Stop())),
  status: async () => read<ServerStatus>()(await call(() => Server.Status())),
  subscribe: (cb) => on<ServerStatus>(Events.ServerStatus, cb),
};

const win: WindowPort = {
  setUnsavedEdits: (unsaved) => call(() => Window.SetUnsavedEdits(unsaved)),
  close: () => call(() => Window.Close()),
  onCloseRequested: (cb) => on<unknown>(Events.WindowClose, () => cb()),
};

/** The Backend of the desktop window. */
export function wailsBackend(): Backend {
  return {
    kind: 'desktop',
    version: () => call(() => App.Version()),
    openURL: (url) => BrowserOpenURL(url),
    auth,
    library,
    generator,
    templates,
    player,
    studio,
    settings,
    accounts,
    voices,
    feed: null,
    server,
    window: win,
  };
}
