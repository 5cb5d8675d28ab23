// A Backend made of vi.fn()s for unit tests, with helpers to push player,
// job, server and model-pull events the way the real backends do.

import { vi } from 'vitest';
import type { Backend, ScriptDoc, DroppedSources, JobStatus, PlayerStatus, PodcastDetail, ServerStatus, Settings, Summary, Template, PullProgress, VoicePreset } from '../api';

export const sampleTemplate = (over: Partial<Template> = {}): Template => ({
  id: 'deep-dive',
  name: 'Deep dive',
  description: 'Two hosts take a source apart.',
  llmPromptInstructions: 'Be curious.',
  speakers: [
    { name: 'Alex', role: 'Host', voices: { espeak: 'en-us+m3' } },
    { name: 'Sam', role: 'Expert', voices: { espeak: 'en-gb+f3' } },
  ],
  structure: ['Introduction', 'Main ideas', 'Wrap-up'],
  minutes: 5,
  language: 'en',
  builtIn: true,
  ...over,
});

/** Settings as the backend sends them: the defaults, keys masked. */
export const sampleSettings = (): Settings => ({
  ollama: {
    url: '',
    model: 'llama3.2',
    connectTimeoutSeconds: 5,
    idleTimeoutSeconds: 300,
    options: { num_ctx: 8192, temperature: 0.7, top_p: 0.9, keep_alive: '10m' },
    urls: [],
    concurrency: 0,
  },
  writer: 'auto',
  tts: {
    provider: 'espeak',
    preset: '',
    presetUrl: '',
    voices: {},
    servers: [],
    concurrency: 0,
    espeak: { binary: 'espeak-ng' },
    openai: { url: 'http://127.0.0.1:8880/v1', model: 'kokoro', apiKey: '', format: 'wav' },
    kyutai: { url: 'http://127.0.0.1:8080', apiKey: '••••••••' },
    piper: { url: 'http://127.0.0.1:5000' },
  },
  whisper: { provider: 'whisper-asr', url: 'http://127.0.0.1:9000', model: '', apiKey: '' },
  server: { enabled: false, bind: '127.0.0.1', port: 8765, tls: false, corsOrigins: [], maxQueuedPerUser: 0, maxUploadMB: 200, diskPerUserMB: 1024, diskReserveMB: 512, publicUrl: '' },
  generation: { template: 'deep-dive', minutes: 5, language: 'en', workers: 0, maxJobs: 0, gapMs: 350, sampleRate: 24000, bitrateKbps: 64 },
});

/** Two of the presets as the backend lists them, the best without a GPU first. */
export const samplePresets = (): VoicePreset[] => [
  {
    id: 'pocket-tts',
    name: 'Pocket TTS (Kyutai)',
    provider: 'openai',
    url: 'http://127.0.0.1:8000/v1',
    model: 'pocket-tts',
    start: 'uvx pocket-tts serve',
    cpu: { best: true, note: 'made for CPUs: about 6× real time on 2 cores, natural voices' },
    voices: [
      { id: 'alba', name: 'Alba', language: 'en', gender: 'female' },
      { id: 'marius', name: 'Marius', language: 'en', gender: 'male' },
    ],
  },
  {
    id: 'kokoro',
    name: 'Kokoro-FastAPI',
    provider: 'openai',
    url: 'http://127.0.0.1:8880/v1',
    model: 'kokoro',
    start: 'docker run -p 8880:8880 ghcr.io/remsky/kokoro-fastapi-cpu',
    cpu: { best: false, note: 'runs on CPU, around real time' },
  },
];

export const sampleJob = (over: Partial<JobStatus> = {}): JobStatus => ({
  id: 'job1',
  owner: 'u1',
  title: 'Rivers',
  state: 'synthesising',
  stage: 'Synthesising line 3 of 12',
  segment: 3,
  segments: 12,
  progress: 0.4,
  etaSeconds: 30,
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:05Z',
  ...over,
});

export const sampleDetail = (): PodcastDetail => ({
  podcast: {
    id: 'p1',
    title: 'Rivers',
    audioUrl: '/podcasts/p1/audio?sig=x',
    duration: 60,
    generatedDate: '2026-11-25T10:00:00Z',
    sourceText: null,
    templateUsed: 'deep-dive',
    owner: 'u1',
    status: 'ready',
    summary: 'About rivers.',
    speakers: ['Alex', 'Sam'],
    language: 'en',
    chapters: [
      { title: 'Introduction', start: 0 },
      { title: 'Deltas', start: 20 },
    ],
    writer: 'extractive',
    tts: 'espeak',
    audioBytes: 1000,
    lines: 4,
    words: 40,
  },
  cues: [
    { index: 0, speaker: 'Alex', text: 'Welcome.', start: 0, end: 5 },
    { index: 1, speaker: 'Sam', text: 'Rivers shape the land.', start: 5, end: 20 },
    { index: 2, speaker: 'Alex', text: 'Deltas are fertile.', start: 20, end: 40 },
    { index: 3, speaker: 'Sam', text: 'Goodbye.', start: 40, end: 60 },
  ],
  chapters: [
    { index: 0, title: 'Introduction', start: 0, end: 20 },
    { index: 1, title: 'Deltas', start: 20, end: 60 },
  ],
  fromRecording: false,
});

export const sampleScript = (over: Partial<ScriptDoc> = {}): ScriptDoc => ({
  podcastId: 'p1',
  version: 1,
  title: 'Rivers',
  summary: 'About rivers.',
  language: 'en',
  template: 'deep-dive',
  speakers: [
    { name: 'Alex', voice: 'en-us+m3', speed: 1 },
    { name: 'Sam', voice: 'en-gb+f3', speed: 1 },
  ],
  chapters: [
    {
      title: 'Introduction',
      lines: [
        { speaker: 'Alex', text: 'Welcome.' },
        { speaker: 'Sam', text: 'Rivers shape the land.' },
      ],
    },
    {
      title: 'Deltas',
      lines: [
        { speaker: 'Alex', text: 'Deltas are fertile.' },
        { speaker: 'Sam', text: 'Goodbye.' },
      ],
    },
  ],
  ...over,
});

export const sampleSummary = (over: Partial<Summary> = {}): Summary => ({
  id: 'p1',
  title: 'Rivers',
  summary: 'About rivers.',
  generatedDate: '2026-11-25T10:00:00Z',
  duration: 60,
  speakers: ['Alex', 'Sam'],
  template: 'deep-dive',
  status: 'ready',
  fromRecording: false,
  ...over,
});

export const playerStatus = (over: Partial<PlayerStatus> = {}): PlayerStatus => ({
  state: 'paused',
  podcastId: 'p1',
  position: 0,
  duration: 60,
  speed: 1,
  volume: 1,
  ...over,
});

/** A Backend of mocks; kind 'web' drops the desktop-only parts. */
export function mockBackend(kind: 'desktop' | 'web' = 'desktop') {
  const playerListeners = new Set<(s: PlayerStatus) => void>();
  const jobListeners = new Map<string, Set<(s: JobStatus) => void>>();
  const serverListeners = new Set<(s: ServerStatus) => void>();
  const pullListeners = new Set<(p: PullProgress) => void>();
  const endedListeners = new Set<(reason: string) => void>();
  const dropListeners = new Set<(d: DroppedSources) => void>();
  const closeListeners = new Set<() => void>();
  const unsubscribed = { player: 0, jobs: 0, server: 0, pull: 0 };
  const user = { id: 'u1', username: 'alice', email: null, isAdmin: true, createdAt: '2026-11-25T10:00:00Z' };
  const session = { token: 't', expiresAt: '2026-11-26T10:00:00Z', user };

  const api = {
    kind,
    version: vi.fn().mockResolvedValue('v1'),
    openURL: vi.fn(),
    auth: {
      firstRunNeeded: vi.fn().mockResolvedValue(false),
      createFirstUser: vi.fn().mockResolvedValue(session),
      login: vi.fn().mockResolvedValue(session),
      logout: vi.fn().mockResolvedValue(undefined),
      me: vi.fn().mockResolvedValue(user),
      changePassword: vi.fn().mockResolvedValue(undefined),
      ...(kind === 'desktop' ? { local: vi.fn().mockResolvedValue(session) } : {}),
      onSessionEnded: vi.fn((cb: (reason: string) => void) => {
        endedListeners.add(cb);
        return () => endedListeners.delete(cb);
      }),
    },
    library: {
      list: vi.fn().mockResolvedValue({ items: [], total: 0 }),
      get: vi.fn().mockResolvedValue(sampleDetail()),
      rename: vi.fn(),
      delete: vi.fn().mockResolvedValue(undefined),
      export: kind === 'desktop' ? vi.fn().mockResolvedValue('/home/alice/Rivers') : null,
    },
    generator: {
      start: vi.fn().mockResolvedValue(sampleJob({ state: 'queued', progress: 0 })),
      cancel: vi.fn().mockResolvedValue(sampleJob({ state: 'cancelled' })),
      jobs: vi.fn().mockResolvedValue([]),
      plan: vi.fn().mockResolvedValue({ writer: 'ollama', tts: 'espeak', minutes: 5, problems: [] }),
      resume: kind === 'desktop' ? vi.fn().mockResolvedValue(sampleJob({ state: 'writing' })) : null,
      pickFiles: kind === 'desktop' ? vi.fn().mockResolvedValue([]) : null,
      onSourcesDropped: vi.fn((cb: (d: DroppedSources) => void) => {
        dropListeners.add(cb);
        return () => dropListeners.delete(cb);
      }),
      watch: vi.fn((id: string, cb: (s: JobStatus) => void) => {
        if (!jobListeners.has(id)) jobListeners.set(id, new Set());
        jobListeners.get(id)!.add(cb);
        return () => {
          unsubscribed.jobs++;
          jobListeners.get(id)!.delete(cb);
        };
      }),
    },
    templates: {
      list: vi.fn().mockResolvedValue([sampleTemplate()]),
      get: vi.fn().mockResolvedValue(sampleTemplate()),
      save: vi.fn(async (t: Template) => ({ ...t, builtIn: false })),
      delete: vi.fn().mockResolvedValue(undefined),
      validate: vi.fn().mockResolvedValue([]),
    },
    player: {
      load: vi.fn().mockResolvedValue(playerStatus({ state: 'idle' })),
      play: vi.fn().mockResolvedValue(playerStatus({ state: 'playing' })),
      pause: vi.fn().mockResolvedValue(playerStatus({ state: 'paused' })),
      toggle: vi.fn().mockResolvedValue(playerStatus({ state: 'playing' })),
      stop: vi.fn().mockResolvedValue(playerStatus({ state: 'idle' })),
      seek: vi.fn(async (s: number) => playerStatus({ position: s })),
      setSpeed: vi.fn(async (x: number) => playerStatus({ speed: x })),
      setVolume: vi.fn(async (v: number) => playerStatus({ volume: v })),
      status: vi.fn().mockResolvedValue(playerStatus()),
      subscribe: vi.fn((cb: (s: PlayerStatus) => void) => {
        playerListeners.add(cb);
        return () => {
          unsubscribed.player++;
          playerListeners.delete(cb);
        };
      }),
    },
    studio: {
      script: vi.fn(async () => ({ doc: sampleScript(), etag: '"v1"' })),
      save: vi.fn().mockResolvedValue(sampleJob({ id: 'job2', title: 'Rivers', state: 'queued', progress: 0, podcastId: 'p1' })),
      versions: vi.fn().mockResolvedValue({ current: 1, versions: [{ version: 1, createdAt: '2026-11-25T10:00:00Z', duration: 60, lines: 4, words: 40, current: true }] }),
      restore: vi.fn(),
      rewrite: vi.fn().mockResolvedValue({ lines: [{ speaker: 'Alex', text: 'Hello.' }] }),
    },
    // Settings and accounts are the administrators' in both; a browser
    // cannot download models.
    settings: {
      get: vi.fn(async () => sampleSettings()),
      save: vi.fn(async (s: Settings) => s),
      testProviders: vi.fn().mockResolvedValue([]),
      listModels: vi.fn().mockResolvedValue([]),
      presets: vi.fn(async () => samplePresets()),
      modelContext: vi.fn().mockResolvedValue({ model: 'llama3.2', modelLength: 131072, numCtx: 8192, sourceChars: 30000 }),
      pullModel: kind === 'desktop' ? vi.fn().mockResolvedValue(undefined) : null,
      onPull:
        kind === 'desktop'
          ? vi.fn((cb: (p: PullProgress) => void) => {
              pullListeners.add(cb);
              return () => {
                unsubscribed.pull++;
                pullListeners.delete(cb);
              };
            })
          : null,
    },
    accounts: {
      list: vi.fn().mockResolvedValue([user]),
      create: vi.fn(async (username: string, _password: string, isAdmin: boolean) => ({ id: 'u-' + username, username, email: null, isAdmin, createdAt: '2026-11-25T10:00:00Z' })),
      resetPassword: vi.fn().mockResolvedValue(undefined),
      delete: vi.fn(async (_id: string, podcasts: 'delete' | 'keep') => ({
        username: 'bob',
        podcasts,
        podcastCount: 2,
        keptBy: podcasts === 'keep' ? 'alice' : undefined,
        templateCount: 0,
        jobs: 0,
        message: podcasts === 'keep' ? 'Deleted bob; their 2 podcasts and 0 templates now belong to alice.' : 'Deleted bob with their 2 podcasts and 0 templates.',
      })),
    },
    voices: { list: vi.fn().mockResolvedValue([]), preview: vi.fn().mockResolvedValue(undefined) },
    feed:
      kind === 'web'
        ? {
            get: vi.fn().mockResolvedValue({ feedUrl: 'http://192.168.1.5:8765/feed.xml?key=k1', feedQrCode: 'data:image/png;base64,AAAA' }),
            rotate: vi.fn().mockResolvedValue({ feedUrl: 'http://192.168.1.5:8765/feed.xml?key=k2', feedQrCode: 'data:image/png;base64,BBBB' }),
          }
        : null,
    server:
      kind === 'desktop'
        ? {
            start: vi.fn(),
            stop: vi.fn(),
            status: vi.fn(),
            subscribe: vi.fn((cb: (s: ServerStatus) => void) => {
              serverListeners.add(cb);
              return () => {
                unsubscribed.server++;
                serverListeners.delete(cb);
              };
            }),
          }
        : null,
    window:
      kind === 'desktop'
        ? {
            setUnsavedEdits: vi.fn().mockResolvedValue(undefined),
            close: vi.fn().mockResolvedValue(undefined),
            onCloseRequested: vi.fn((cb: () => void) => {
              closeListeners.add(cb);
              return () => closeListeners.delete(cb);
            }),
          }
        : null,
  };

  return {
    api,
    backend: api as unknown as Backend,
    unsubscribed,
    emitPlayer: (s: PlayerStatus) => playerListeners.forEach((cb) => cb(s)),
    emitJob: (s: JobStatus) => jobListeners.get(s.id)?.forEach((cb) => cb(s)),
    emitServer: (s: ServerStatus) => serverListeners.forEach((cb) => cb(s)),
    emitPull: (p: PullProgress) => pullListeners.forEach((cb) => cb(p)),
    endSession: (reason: string) => endedListeners.forEach((cb) => cb(reason)),
    dropFiles: (d: DroppedSources) => dropListeners.forEach((cb) => cb(d)),
    /** The desktop window's close button, pressed over unsaved edits (Go kept the window open). */
    requestClose: () => closeListeners.forEach((cb) => cb()),
    listeners: () =>
      playerListeners.size + [...jobListeners.values()].reduce((n, s) => n + s.size, 0) + serverListeners.size + pullListeners.size + endedListeners.size + dropListeners.size + closeListeners.size,
  };
}
