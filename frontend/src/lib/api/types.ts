// The shapes the backend sends and takes, as JSON: the Go types (auth, store,
// core, template, player, config, llm, tts and the desktop facades), which
// the HTTP API sends too. They are tighter than the generated
// frontend/wailsjs/go/models.ts (unions where Go has a string, null where Go
// has a pointer); bindings.check.ts and the desktop adapter's read()/send()
// keep them in step with it, so a changed Go field fails `npm run check`.

/** A user as others may see it (auth.PublicUser). */
export interface PublicUser {
  id: string;
  username: string;
  email: string | null;
  isAdmin: boolean;
  createdAt: string;
}

/** What happens to a deleted account's podcasts: removed with their files, or given to whoever deletes it. */
export type PodcastsOnDelete = 'delete' | 'keep';

/** What went with a deleted account and what was kept (core.UserRemoved). */
export interface UserRemoved {
  username: string;
  podcasts: PodcastsOnDelete;
  podcastCount: number;
  /** Who owns the kept podcasts and templates now. */
  keptBy?: string;
  templateCount: number;
  /** Templates not kept: the new owner has one of the same id. */
  templatesDropped?: string[];
  /** Jobs cancelled or ended, removed with their uploads. */
  jobs: number;
  /** All of it in a sentence. */
  message: string;
}

/** A logged-in session (auth.Session). */
export interface Session {
  token: string;
  expiresAt: string;
  user: PublicUser;
}

/** A chapter start in a podcast's metadata (store.ChapterMark). */
export interface ChapterMark {
  title: string;
  start: number;
}

/** A podcast's metadata (store.Podcast; only the HTTP API adds links, signed). */
export interface Podcast {
  id: string;
  title: string;
  /** The MP3 (HTTP API only: the desktop plays natively). */
  audioUrl?: string;
  duration: number;
  generatedDate: string;
  sourceText: string | null;
  /** The original recording (HTTP API only). */
  sourceAudioUrl?: string | null;
  templateUsed: string | null;
  owner: string;
  status: string;
  summary?: string;
  speakers: string[];
  language: string;
  chapters: ChapterMark[];
  writer: string;
  tts: string;
  audioBytes: number;
  lines: number;
  words: number;
  transcriptUrl?: string;
  /** The version the podcast plays now (script studio); absent or 0 means 1. */
  version?: number;
}

/** Library sort orders; the backend sorts (titles in natural order: "part 465" before "part 4551"). */
export type SortOrder = 'newest' | 'oldest' | 'title' | 'duration';

/** What Library.List (GET /podcasts) is asked for. */
export interface ListQuery {
  /** Keeps podcasts whose title, summary or source text holds it ("" keeps all). */
  q: string;
  sort: SortOrder;
  /** The page size. */
  limit: number;
  /** Continues after the page that gave it ("" starts at the top). */
  cursor: string;
}

/** One podcast in the library list: only what the list shows. */
export interface Summary {
  id: string;
  title: string;
  summary: string;
  generatedDate: string;
  duration: number;
  speakers: string[];
  /** The template it was made with ("" when none). */
  template: string;
  status: string;
  /** Made from a transcribed recording. */
  fromRecording: boolean;
}

/** One page of the library, with how many podcasts match in all. */
export interface LibraryPage {
  items: Summary[];
  total: number;
  /** Absent after the last page. */
  nextCursor?: string;
}

/** One transcript line with its times in seconds. */
export interface Cue {
  index: number;
  speaker: string;
  text: string;
  start: number;
  end: number;
}

/** The lines a running job has voiced into its live audio (GET /jobs/{id}/lines, core.LiveLines). */
export interface LiveLines {
  /** From the index asked for on, each at its place in the live audio (and the finished podcast). */
  lines: Cue[];
  /** How many lines are voiced in all. */
  count: number;
  /** The job ended: no more lines will come. */
  ended: boolean;
}

/** A chapter with its span in seconds. */
export interface Chapter {
  index: number;
  title: string;
  start: number;
  end: number;
}

/** A podcast with its transcript and chapters, for the player. */
export interface PodcastDetail {
  podcast: Podcast;
  cues: Cue[];
  chapters: Chapter[];
  /** Made from a transcribed recording. */
  fromRecording: boolean;
}

/** Job states (core.State). */
export type JobState =
  | 'queued'
  | 'transcribing'
  | 'writing'
  | 'synthesising'
  | 'mastering'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** A generation job as the outside sees it (core.Status). */
export interface JobStatus {
  id: string;
  owner: string;
  title: string;
  state: JobState;
  stage: string;
  segment: number;
  segments: number;
  progress: number;
  etaSeconds?: number;
  /** Seconds the job took (since it started or resumed) until GET /jobs/{id}/audio had audio. */
  firstAudioSeconds?: number;
  /** While the job runs, from the LAN API: a signed URL of its live audio, for an <audio> element. */
  liveAudioUrl?: string;
  writer?: string;
  tts?: string;
  warning?: string;
  error?: string;
  podcastId?: string;
  /** A re-voice after a script edit: lines taken from the segment cache. */
  segmentsReused?: number;
  /** A re-voice after a script edit: lines voiced anew. */
  segmentsSynthesised?: number;
  createdAt: string;
  updatedAt: string;
}

/** A file picked or dropped on the desktop; the token stands for its path. */
export interface PickedSource {
  token: string;
  name: string;
  kind: 'file' | 'audio';
  size: number;
}

/** The files of one drop onto the desktop window, and why others were refused. */
export interface DroppedSources {
  sources: PickedSource[] | null;
  problems: string[] | null;
}

/** One source of a new podcast besides its text: a picked file or a web page. */
export interface SourceRef {
  token?: string;
  url?: string;
}

/** A file chosen in a browser, uploaded with the request (LAN API). */
export interface UploadFile {
  file: File;
  /** "audio" for a recording, to be transcribed; "file" for a document. */
  kind: 'file' | 'audio';
}

/** What a new podcast is made from. */
export interface GenerateRequest {
  text: string;
  title: string;
  templateId: string;
  minutes: number;
  language: string;
  focus: string;
  voices: Record<string, string>;
  writer: string;
  tts: string;
  /** Picked files (desktop, by token) and web pages; their text follows text, which may then be empty. */
  sources?: SourceRef[];
  /** Files to upload (browser only). */
  files?: UploadFile[];
}

/** Something found about a request before its job starts, at its request field (core.Problem). */
export interface Problem {
  /** The request field: "minutes", "tts", "sources", … or "voices.<speaker>". */
  field: string;
  /** "invalid_request", "unavailable", "no_answer", "offline_writer", "short_source", "private_address", "voice_language". */
  code: string;
  message: string;
  /** "error" stops the job from starting; "warning" informs. */
  severity: 'error' | 'warning';
}

/** What a request will give, checked before its job starts (core.Plan). */
export interface Plan {
  /** The writer that will write: "ollama" or "extractive". */
  writer: string;
  tts: string;
  /** The length asked for, after defaults. */
  minutes: number;
  /** The longest podcast the offline writer can make from the sources; absent when not known yet. */
  minutesFillable?: number;
  /** Errors first, then warnings. */
  problems: Problem[];
}

/** A template's speaker (template.Speaker). */
export interface Speaker {
  name: string;
  role: string;
  voices: Record<string, string>;
  wordsPerMinute?: number;
}

/** A podcast template (template.Template). */
export interface Template {
  id: string;
  name: string;
  description: string;
  llmPromptInstructions: string;
  ttsConfig?: { voiceId?: string; style?: string };
  speakers: Speaker[];
  structure: string[];
  style?: string[];
  minutes: number;
  language: string;
  builtIn: boolean;
}

/** One validation problem, at a field path like "speakers[1].name". */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Player states (player.State). */
export type PlayerState = 'idle' | 'loading' | 'playing' | 'paused' | 'ended' | 'no-output' | 'error';

/** The player as the frontend sees it (player.Status). */
export interface PlayerStatus {
  state: PlayerState;
  podcastId: string;
  /** Set while the live audio of this running job plays (podcastId is then empty). */
  jobId?: string;
  position: number;
  duration: number;
  speed: number;
  volume: number;
  error?: string;
}

/** config.Settings: the keys the settings screen edits; others pass through. */
export interface Settings {
  ollama: {
    url: string;
    model: string;
    connectTimeoutSeconds: number;
    idleTimeoutSeconds: number;
    options: { num_ctx: number; temperature: number; top_p: number; keep_alive: string };
    /** More Ollama servers; an episode's sections are written on them in parallel. */
    urls: { url: string; concurrency: number }[] | null;
    /** Sections the url's server writes at once when urls are listed (0 = 1). */
    concurrency: number;
  };
  writer: string;
  tts: {
    provider: string;
    /** A voice server set up in one step (kokoro, speaches, pocket-tts, piper, kyutai); "" for none. */
    preset: string;
    presetUrl: string;
    voices: Record<string, string> | null;
    /** More servers of the current provider; lines go to whichever is free. */
    servers: { url: string; concurrency: number }[] | null;
    /** Lines the provider's own server voices at once when servers are listed (0 = 1). */
    concurrency: number;
    espeak: { binary: string };
    openai: { url: string; model: string; apiKey: string; format: string };
    kyutai: { url: string; apiKey: string };
    piper: { url: string };
  };
  whisper: { provider: string; url: string; model: string; apiKey: string };
  server: {
    enabled: boolean;
    bind: string;
    port: number;
    tls: boolean;
    corsOrigins: string[] | null;
    maxQueuedPerUser: number;
    maxUploadMB: number;
    diskPerUserMB: number;
    diskReserveMB: number;
    publicUrl: string;
  };
  generation: {
    template: string;
    minutes: number;
    language: string;
    workers: number;
    maxJobs: number;
    gapMs: number;
    sampleRate: number;
    bitrateKbps: number;
  };
}

/**
 * How a service the settings name is doing (admin.Health): ok; down (the
 * settings rely on it); optional (failing, but podcasts are made without
 * it); unused (not asked).
 */
export type ServiceState = 'ok' | 'down' | 'optional' | 'unused';

/** A service's health as TestProviders and GET /admin/health report it. */
export interface ProviderHealth {
  name: string;
  /** As people know it: "Ollama", "Pocket TTS (Kyutai)". */
  label: string;
  kind: 'llm' | 'tts' | 'asr';
  url: string;
  state: ServiceState;
  /** A plain sentence: what works, or what to do. */
  message: string;
}

/** A voice server tts.preset can name (providers.Preset). */
export interface VoicePreset {
  id: string;
  name: string;
  provider: string;
  /** Its usual address, filled in when it is picked. */
  url: string;
  model?: string;
  format?: string;
  /** How to run it on this machine. */
  start: string;
  /** How it runs without a GPU; best marks the one to choose then. */
  cpu: { best: boolean; note: string };
  voices?: Voice[];
}

/** The chosen Ollama model's context window (llm.ContextInfo). */
export interface ContextInfo {
  model: string;
  /** The model's own context length in tokens; 0 when it does not say. */
  modelLength: number;
  /** The window the writer asks for (ollama.options.num_ctx, capped by the model). */
  numCtx: number;
  /** The longest source, in characters, written in full; a longer one is condensed. */
  sourceChars: number;
}

/** Stands for a saved key in settings a client receives (config.SecretMask). */
export const secretMask = '••••••••';

/** A model Ollama has pulled (llm.ModelInfo). */
export interface ModelInfo {
  name: string;
  size: number;
  family: string;
  parameterSize: string;
  quantization: string;
  modifiedAt: string;
}

/** Progress of a model download (event model:pull). */
export interface PullProgress {
  model: string;
  status: string;
  completed: number;
  total: number;
  done: boolean;
  error?: string;
}

/** The user's private podcast feed (GET /me): its address and a QR code of it. */
export interface FeedInfo {
  feedUrl: string;
  /** A data: URL of a PNG QR code of feedUrl; "" when the server made none. */
  feedQrCode: string;
}

/** A TTS voice (tts.Voice). */
export interface Voice {
  id: string;
  name: string;
  language?: string;
  gender?: string;
}

/** The LAN server as the desktop app runs it. */
export interface ServerStatus {
  running: boolean;
  addr: string;
  urls: string[] | null;
  qrCode: string;
  feedUrl: string;
  tls: boolean;
  fingerprint: string;
  error: string;
}

/** The TTS providers a template may name voices for (template.Providers). */
export const ttsProviders = ['espeak', 'openai', 'kyutai', 'piper'] as const;

/** Reports whether a job is still at work (core.State.Running). */
export function jobRunning(state: JobState): boolean {
  return state === 'queued' || state === 'transcribing' || state === 'writing' || state === 'synthesising' || state === 'mastering';
}
