// The browser implementation of Backend: the LAN HTTP API that `podcastfy
// serve` offers (backend/api/routes.go, /openapi.json), with the session
// token kept in localStorage and sent as a Bearer header. Job progress is
// read from the Server-Sent Events stream through fetch (EventSource cannot
// send the header); when streaming fails, the job is polled every 500 ms.

import { audioPlayer } from './audio';
import type { Backend, GeneratorPort, PlayerPort, TemplatesPort, Unsubscribe } from './backend';
import { AppError, toAppError } from './errors';
import { adminAccounts, adminSettings } from './httpAdmin';
import { EventStreamParser } from './sse';
import { httpStudio } from './httpStudio';
import { chapterSpans, parseVTT } from './vtt';
import type { FeedInfo, GenerateRequest, JobStatus, LibraryPage, LiveLines, Plan, Podcast, PublicUser, Session, Template, Voice } from './types';
import { playPreview } from './preview';
import { jobRunning } from './types';
import { validateTemplate } from '../validate';

const tokenKey = 'podcastfy.token';

/**
 * The player, with a job's live audio link fetched when the status at hand
 * lacks it: the event stream sends statuses without it (the link is
 * signed for the asking user, GET /jobs/{id} signs one).
 */
function livePlayer(p: PlayerPort, getJob: (id: string) => Promise<JobStatus>): PlayerPort {
  const listenLive = p.listenLive;
  if (!listenLive) return p;
  return { ...p, listenLive: async (job) => listenLive(job.liveAudioUrl ? job : await getJob(job.id)) };
}
const pollEvery = 500;
const noSetup =
  'This server has no accounts yet. Create the first one in the desktop app or with `podcastfy user add NAME`, then log in here.';

/** Headers one request adds, and a look at the answer's. */
export interface Exchange {
  headers?: Record<string, string>;
  seen?: (headers: Headers) => void;
}

/** Where the browser keeps the session token. */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

/** The token in localStorage, so that a reload stays logged in. */
export function localTokens(storage: Storage = window.localStorage): TokenStore {
  return {
    get: () => storage.getItem(tokenKey),
    set: (t) => (t === null ? storage.removeItem(tokenKey) : storage.setItem(tokenKey, t)),
  };
}

/** The Backend of a browser on the LAN, calling the API at base ("" = same origin). */
export function httpBackend(tokens: TokenStore = localTokens(), base = ''): Backend {
  const ended = new Set<(reason: string) => void>();

  // extra adds request headers (If-Match) and sees the answer's (ETag).
  async function request<T>(method: string, path: string, body?: unknown, auth = true, extra?: Exchange): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...extra?.headers };
    const token = tokens.get();
    if (auth && token) headers.Authorization = `Bearer ${token}`;
    // A FormData body goes as multipart; fetch writes its Content-Type with the boundary.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
    } catch {
      throw new AppError({
        code: 'unreachable',
        message: 'The podcastfy server cannot be reached. Check that it is running and that this device is on the same network.',
      });
    }
    extra?.seen?.(res.headers);
    if (res.status === 204) return undefined as T;
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      throw new AppError({ code: 'unreadable_answer', message: `The server answered ${method} ${path} with ${res.status} and no readable body.` }, res.status);
    }
    if (!res.ok) {
      const body = (data as { error?: unknown } | null)?.error;
      const err = toAppError(body ?? { code: 'unknown', message: `${method} ${path} failed with ${res.status}` }, res.status);
      if (res.status === 401 && auth && token) {
        tokens.set(null);
        ended.forEach((cb) => cb(`${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}`));
      }
      throw err;
    }
    return data as T;
  }

  const keep = (s: Session) => {
    tokens.set(s.token);
    return s;
  };

  const feedOf = (me: FeedInfo): FeedInfo => ({ feedUrl: me.feedUrl, feedQrCode: me.feedQrCode ?? '' });

  // The preview is MP3, not JSON: its refusals still come as the error body.
  async function previewAudio(body: Record<string, unknown>): Promise<Blob> {
    const headers: Record<string, string> = { Accept: 'audio/mpeg, application/json', 'Content-Type': 'application/json' };
    const token = tokens.get();
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(base + '/voices/preview', { method: 'POST', headers, body: JSON.stringify(body) }).catch(() => null);
    if (!res) throw new AppError({ code: 'unreachable', message: 'The podcastfy server cannot be reached. Check that it is running and that this device is on the same network.' });
    if (res.ok) return res.blob();
    const data = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw toAppError(data?.error ?? { code: 'unknown', message: `The voice preview failed with ${res.status}.` }, res.status);
  }

  // The options of a generate request as the API takes them.
  const options = (req: GenerateRequest): Record<string, unknown> => {
    const body: Record<string, unknown> = { text: req.text };
    if (req.title.trim()) body.title = req.title.trim();
    if (req.templateId) body.templateId = req.templateId;
    if (req.minutes > 0) body.minutes = req.minutes;
    if (req.language) body.language = req.language;
    if (req.focus.trim()) body.focus = req.focus.trim();
    const voices = Object.fromEntries(Object.entries(req.voices).filter(([, v]) => v.trim() !== ''));
    if (Object.keys(voices).length > 0) body.voices = voices;
    if (req.writer) body.writer = req.writer;
    if (req.tts) body.tts = req.tts;
    return body;
  };

  const generator: GeneratorPort = {
    async start(req) {
      const body = options(req);
      if ((req.sources ?? []).some((s) => s.token)) {
        throw new AppError({ code: 'desktop_only', field: 'sources', message: 'Files picked in the desktop app cannot be sent from a browser: choose them again here.' });
      }
      const urls = (req.sources ?? []).flatMap((s) => (s.url ? [s.url] : []));
      const files = req.files ?? [];
      if (files.length === 0) {
        if (urls.length > 0) body.sources = urls.map((url) => ({ kind: 'url', url }));
        return (await request<{ job: JobStatus }>('POST', '/podcasts/generate/text', body)).job;
      }
      // Uploads go as a multipart form: the first recording in "audio"
      // (POST /podcasts/generate/audio), documents and other recordings in
      // "file", pages in "url", the options as fields.
      const form = new FormData();
      for (const [k, v] of Object.entries(body)) form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
      const audio = files.find((f) => f.kind === 'audio');
      if (audio) form.append('audio', audio.file, audio.file.name);
      for (const f of files) if (f !== audio) form.append('file', f.file, f.file.name);
      for (const u of urls) form.append('url', u);
      const path = audio ? '/podcasts/generate/audio' : '/podcasts/generate/files';
      return (await request<{ job: JobStatus }>('POST', path, form)).job;
    },
    cancel: (id) => request('DELETE', `/jobs/${encodeURIComponent(id)}`),
    liveLines: (id, from) => request<LiveLines>('GET', `/jobs/${encodeURIComponent(id)}/lines?from=${from}`),
    jobs: async () => (await request<{ jobs: JobStatus[] }>('GET', '/jobs')).jobs ?? [],
    async plan(req) {
      // The files are named, not sent: the server checks what they need.
      const body = options(req);
      const urls = (req.sources ?? []).flatMap((s) => (s.url ? [s.url] : []));
      if (urls.length > 0) body.sources = urls.map((url) => ({ kind: 'url', url }));
      const files = req.files ?? [];
      if (files.length > 0) body.uploads = files.map((f) => ({ kind: f.kind, name: f.file.name }));
      return request<Plan>('POST', '/podcasts/plan', body);
    },
    resume: null,
    pickFiles: null,
    onSourcesDropped: () => () => {},
    watch(jobId, onStatus): Unsubscribe {
      const ctrl = new AbortController();
      let finished = false;
      const deliver = (s: JobStatus) => {
        if (ctrl.signal.aborted) return;
        onStatus(s);
        if (!jobRunning(s.state)) finished = true;
      };
      const poll = async () => {
        while (!finished && !ctrl.signal.aborted) {
          try {
            deliver(await request<JobStatus>('GET', `/jobs/${encodeURIComponent(jobId)}`));
          } catch (err) {
            if (err instanceof AppError && (err.status === 404 || err.status === 401)) return;
          }
          if (finished) return;
          await new Promise((r) => setTimeout(r, pollEvery));
        }
      };
      const stream = async () => {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        const token = tokens.get();
        if (token) headers.Authorization = `Bearer ${token}`;
        const res = await fetch(`${base}/jobs/${encodeURIComponent(jobId)}/events`, { headers, signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new EventStreamParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const ev of parser.push(value)) deliver(JSON.parse(ev.data) as JobStatus);
        }
      };
      stream()
        .catch(() => undefined)
        .then(() => {
          if (!finished && !ctrl.signal.aborted) return poll();
        });
      return () => ctrl.abort();
    },
  };

  const templates: TemplatesPort = {
    list: async () => (await request<{ templates: Template[] }>('GET', '/templates')).templates ?? [],
    get: (id) => request('GET', `/templates/${encodeURIComponent(id)}`),
    save(t, isNew) {
      const { builtIn: _builtIn, ...body } = t;
      void _builtIn;
      return isNew ? request('POST', '/templates', body) : request('PUT', `/templates/${encodeURIComponent(t.id)}`, body);
    },
    delete: (id) => request('DELETE', `/templates/${encodeURIComponent(id)}`),
    validate: async (t) => validateTemplate(t),
  };

  return {
    kind: 'web',
    version: async () => (await request<{ version: string }>('GET', '/healthz', undefined, false)).version,
    openURL: (url) => void window.open(url, '_blank', 'noopener'),
    auth: {
      async firstRunNeeded() {
        try {
          return (await request<{ needed: boolean }>('GET', '/setup', undefined, false)).needed === true;
        } catch {
          return false;
        }
      },
      async createFirstUser(username, password) {
        try {
          const made = await request<Partial<Session>>('POST', '/setup', { username, password }, false);
          if (typeof made?.token === 'string' && made.user) return keep(made as Session);
          // A server that answers with the new user only: log in as it.
          return keep(await request<Session>('POST', '/auth/login', { username, password }, false));
        } catch (err) {
          if (err instanceof AppError && (err.status === 404 || err.status === 405)) throw new AppError({ code: 'no_setup', message: noSetup });
          throw err;
        }
      },
      login: async (username, password) => keep(await request<Session>('POST', '/auth/login', { username, password }, false)),
      // The server ends the user's other sessions and gives this one a new token.
      async changePassword(currentPassword, newPassword) {
        keep(await request<Session>('POST', '/me/password', { currentPassword, newPassword }));
      },
      async logout() {
        tokens.set(null);
      },
      onSessionEnded(cb) {
        ended.add(cb);
        return () => ended.delete(cb);
      },
      async me() {
        if (!tokens.get()) throw new AppError({ code: 'not_logged_in', message: 'not logged in' });
        return (await request<{ user: PublicUser }>('GET', '/me')).user;
      },
    },
    library: {
      list(q) {
        const params = new URLSearchParams();
        if (q.q) params.set('q', q.q);
        params.set('sort', q.sort);
        params.set('limit', String(q.limit));
        if (q.cursor) params.set('cursor', q.cursor);
        return request<LibraryPage>('GET', `/podcasts?${params}`);
      },
      async get(id) {
        const podcast = await request<Podcast>('GET', `/podcasts/${encodeURIComponent(id)}`);
        let cues: ReturnType<typeof parseVTT> = [];
        if (podcast.transcriptUrl) {
          const res = await fetch(base + podcast.transcriptUrl).catch(() => null);
          if (!res || !res.ok) throw new AppError({ code: 'transcript_unavailable', message: 'The transcript of this podcast could not be loaded. Try opening it again.' });
          cues = parseVTT(await res.text());
        }
        // The API links the original only when the podcast kept one.
        return { podcast, cues, chapters: chapterSpans(podcast.chapters ?? [], podcast.duration), fromRecording: !!podcast.sourceAudioUrl };
      },
      rename: (id, title) => request('PATCH', `/podcasts/${encodeURIComponent(id)}`, { title }),
      delete: (id) => request('DELETE', `/podcasts/${encodeURIComponent(id)}`),
      export: null,
    },
    generator,
    templates,
    player: livePlayer(audioPlayer(), (id) => request<JobStatus>('GET', `/jobs/${encodeURIComponent(id)}`)),
    studio: httpStudio(request),
    settings: adminSettings(request),
    accounts: adminAccounts(request),
    voices: {
      async list(provider, language) {
        const params = new URLSearchParams();
        if (provider) params.set('provider', provider);
        if (language) params.set('language', language);
        return (await request<{ voices: Voice[] }>('GET', `/voices?${params}`)).voices ?? [];
      },
      async preview(provider, voice, text) {
        const body: Record<string, unknown> = { voice };
        if (provider) body.provider = provider;
        if (text) body.text = text;
        await playPreview(await previewAudio(body));
      },
    },
    feed: {
      get: async () => feedOf(await request<FeedInfo>('GET', '/me')),
      rotate: async () => feedOf(await request<FeedInfo>('POST', '/me/feed-key')),
    },
    server: null,
    window: null,
  };
}
