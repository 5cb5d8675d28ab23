// The Backend interface: everything the screens may ask of the backend. Two
// implementations exist — wails.ts (the desktop window's Go bindings) and
// http.ts (the LAN HTTP API in a browser) — and index.ts picks one at start.

import type {
  ContextInfo,
  DroppedSources,
  FieldProblem,
  GenerateRequest,
  JobStatus,
  LibraryPage,
  ListQuery,
  LiveLines,
  ModelInfo,
  Podcast,
  PodcastDetail,
  PickedSource,
  PlayerStatus,
  ProviderHealth,
  PublicUser,
  PullProgress,
  Plan,
  ServerStatus,
  Session,
  FeedInfo,
  Settings,
  Template,
  Voice,
  VoicePreset,
  PodcastsOnDelete,
  UserRemoved,
} from './types';
import type { EditableScript, RewriteProposal, RewriteRequest, ScriptDoc, VersionList } from './studio';

/** Stops a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

export interface AuthPort {
  /** True while no account exists (the first-run screen creates the admin). */
  firstRunNeeded(): Promise<boolean>;
  createFirstUser(username: string, password: string): Promise<Session>;
  login(username: string, password: string): Promise<Session>;
  logout(): Promise<void>;
  /** The logged-in user; rejects with "not logged in" when there is none. */
  me(): Promise<PublicUser>;
  /**
   * Logs the person at the desktop in without a password (the desktop app
   * opens to the library); absent in a browser, where accounts log in.
   */
  local?: () => Promise<Session>;
  /**
   * Changes the logged-in user's password. The user's other sessions end;
   * this one goes on. Rejects with a problem at "currentPassword" or
   * "newPassword" where the backend names one.
   */
  changePassword?: (oldPassword: string, newPassword: string) => Promise<void>;
  /** Calls back when the backend ends the session (an expired or revoked token). */
  onSessionEnded(cb: (reason: string) => void): Unsubscribe;
}

export interface LibraryPort {
  /** One page, sorted and searched by the backend. */
  list(q: ListQuery): Promise<LibraryPage>;
  get(id: string): Promise<PodcastDetail>;
  rename(id: string, title: string): Promise<Podcast>;
  delete(id: string): Promise<void>;
  /** Copies the podcast's files to a folder the user picks; null where unavailable. */
  export: ((id: string) => Promise<string>) | null;
}

export interface GeneratorPort {
  start(req: GenerateRequest): Promise<JobStatus>;
  cancel(jobId: string): Promise<JobStatus>;
  jobs(): Promise<JobStatus[]>;
  /** Checks a request as a start would, without starting: what will run, the length the sources fill, every problem at its field. */
  plan(req: GenerateRequest): Promise<Plan>;
  /** Shows the open-file dialog for documents or recordings; null where unavailable. */
  pickFiles: ((kind: 'documents' | 'audio') => Promise<PickedSource[]>) | null;
  /** Calls back with the files dropped onto the desktop window. */
  onSourcesDropped(cb: (d: DroppedSources) => void): Unsubscribe;
  /** Goes on with an interrupted or failed job; null where unavailable. */
  resume: ((jobId: string) => Promise<JobStatus>) | null;
  /** Calls back with every status of one job until it finishes. */
  watch(jobId: string, onStatus: (s: JobStatus) => void): Unsubscribe;
  /** The lines of a running job's live audio from index `from` on; absent where there is no live audio. */
  liveLines?: (jobId: string, from: number) => Promise<LiveLines>;
}

export interface TemplatesPort {
  list(): Promise<Template[]>;
  get(id: string): Promise<Template>;
  /** Saves a user template; rejects with field problems when it is invalid. */
  save(t: Template, isNew: boolean): Promise<Template>;
  delete(id: string): Promise<void>;
  validate(t: Template): Promise<FieldProblem[]>;
}

/** Playback: the native player on the desktop, an <audio> element in a browser. */
export interface PlayerPort {
  load(detail: PodcastDetail): Promise<PlayerStatus>;
  play(): Promise<PlayerStatus>;
  pause(): Promise<PlayerStatus>;
  toggle(): Promise<PlayerStatus>;
  stop(): Promise<PlayerStatus>;
  seek(seconds: number): Promise<PlayerStatus>;
  setSpeed(x: number): Promise<PlayerStatus>;
  setVolume(v: number): Promise<PlayerStatus>;
  status(): Promise<PlayerStatus>;
  /**
   * Plays a running job's audio as it is made (ready to play, like load);
   * absent where there is no live audio.
   */
  listenLive?: (job: JobStatus) => Promise<PlayerStatus>;
  /**
   * Goes on from the live audio into the finished podcast, at the same
   * position and without a restart (like load when nothing live plays).
   */
  continueInto?: (detail: PodcastDetail) => Promise<PlayerStatus>;
  /** Calls back on every state change and position update (at most 10/s). */
  subscribe(onStatus: (s: PlayerStatus) => void): Unsubscribe;
}

/**
 * The settings and the services they name, for administrators (the
 * desktop's local user; admins in a browser, where others get "forbidden").
 * Keys arrive masked (secretMask); a key sent back empty or masked keeps
 * the saved one.
 */
export interface SettingsPort {
  get(): Promise<Settings>;
  save(s: Settings): Promise<Settings>;
  testProviders(): Promise<ProviderHealth[]>;
  listModels(): Promise<ModelInfo[]>;
  /** The voice servers tts.preset can name. */
  presets(): Promise<VoicePreset[]>;
  /** The chosen model's context window (Ollama's /api/show). */
  modelContext(): Promise<ContextInfo>;
  /** Downloads a model with Ollama; null where unavailable (a browser). */
  pullModel: ((name: string) => Promise<void>) | null;
  onPull: ((onProgress: (p: PullProgress) => void) => Unsubscribe) | null;
}

/** Other accounts (LAN users), for administrators. */
export interface AccountsPort {
  list(): Promise<PublicUser[]>;
  create(username: string, password: string, isAdmin: boolean): Promise<PublicUser>;
  /** Sets a user's password without the old one; their sessions end. */
  resetPassword(userId: string, password: string): Promise<void>;
  /** Deletes an account; podcasts says what happens to its podcasts (there is no default). */
  delete(userId: string, podcasts: PodcastsOnDelete): Promise<UserRemoved>;
}

export interface VoicesPort {
  /** The provider's voices ("" = the one in use); with a language, those that speak it (where the backend filters). */
  list(provider: string, language?: string): Promise<Voice[]>;
  /** Speaks text with the voice: through the native player, or an <audio> element in a browser. */
  preview(provider: string, voice: string, text: string): Promise<void>;
}

/** The private podcast feed of the logged-in user (the desktop shows it on the sharing screen). */
export interface FeedPort {
  get(): Promise<FeedInfo>;
  /** A new feed address: the old one, and every file link it gave out, stop working. */
  rotate(): Promise<FeedInfo>;
}

export interface ServerPort {
  start(): Promise<ServerStatus>;
  stop(): Promise<ServerStatus>;
  status(): Promise<ServerStatus>;
  subscribe(onStatus: (s: ServerStatus) => void): Unsubscribe;
}

/** The script studio: edit a podcast's script, re-voice what changed, keep versions. */
export interface StudioPort {
  /** The editable script of the podcast's current version, with the tag a save quotes. */
  script(id: string): Promise<EditableScript>;
  /**
   * Saves the script and starts the job that re-voices what changed.
   * Rejects with code "precondition_failed" when the script changed since
   * etag was read, "job_running" while the podcast is being re-voiced, and a
   * field ("chapters[2].lines[5].text") for a problem in the script.
   */
  save(id: string, etag: string, doc: ScriptDoc): Promise<JobStatus>;
  versions(id: string): Promise<VersionList>;
  /** Makes version v current again. */
  restore(id: string, v: number): Promise<Podcast>;
  /** Proposes new lines for a chapter or a line; rejects with "writer_unavailable" without Ollama. */
  rewrite(id: string, req: RewriteRequest): Promise<RewriteProposal>;
}

/**
 * The desktop window itself: closing it asks the page first while the page
 * holds unsaved edits (the Go side keeps the window open and sends
 * onCloseRequested; the page then lets the person save, discard or stay).
 */
export interface WindowPort {
  /** Tells the window whether closing it now would lose edits; say it again when showing the close question. */
  setUnsavedEdits(unsaved: boolean): Promise<void>;
  /** Closes the window whatever the page holds (the person saved or discarded). */
  close(): Promise<void>;
  /** Calls back when the window was asked to close over unsaved edits. */
  onCloseRequested(cb: () => void): Unsubscribe;
}

/** The one door to the backend. Desktop-only parts are null in a browser. */
export interface Backend {
  readonly kind: 'desktop' | 'web';
  version(): Promise<string>;
  /** Opens a web address in the system's browser (a new tab in a browser). */
  openURL(url: string): void;
  auth: AuthPort;
  library: LibraryPort;
  generator: GeneratorPort;
  templates: TemplatesPort;
  player: PlayerPort;
  /** Absent where the backend offers no script studio. */
  studio: StudioPort | null;
  settings: SettingsPort | null;
  /** Accounts management; calls answer "forbidden" to non-administrators. */
  accounts: AccountsPort | null;
  voices: VoicesPort | null;
  feed: FeedPort | null;
  server: ServerPort | null;
  /** The desktop window; null in a browser (where beforeunload guards the page). */
  window: WindowPort | null;
}
