import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './errors';
import { json, serve } from '../testing/fetchStub';
import { httpBackend, type TokenStore } from './http';
import type { JobStatus } from './types';

function memoryTokens(initial: string | null = null): TokenStore & { value: string | null } {
  const t = { value: initial, get: () => t.value, set: (v: string | null) => void (t.value = v) };
  return t;
}

const job = (over: Partial<JobStatus>): JobStatus =>
  ({ id: 'j1', owner: 'u', title: 'T', state: 'writing', stage: '', segment: 0, segments: 0, progress: 0, createdAt: '', updatedAt: '', ...over }) as JobStatus;

afterEach(() => vi.unstubAllGlobals());

describe('httpBackend', () => {
  it('logs in, keeps the token and sends it as a Bearer header', async () => {
    const tokens = memoryTokens();
    const calls = serve((c) =>
      c.url === '/auth/login' ? json({ token: 'tok', expiresAt: '', user: { username: 'alice' } }) : json({ user: { username: 'alice' }, feedUrl: '' }),
    );
    const b = httpBackend(tokens);
    const s = await b.auth.login('alice', 'pw');
    expect(s.user.username).toBe('alice');
    expect(tokens.value).toBe('tok');
    expect(calls[0]).toMatchObject({ method: 'POST', body: { username: 'alice', password: 'pw' } });
    expect(calls[0].headers.Authorization).toBeUndefined();
    await expect(b.auth.me()).resolves.toEqual({ username: 'alice' });
    expect(calls[1].headers.Authorization).toBe('Bearer tok');
    await b.auth.logout();
    expect(tokens.value).toBeNull();
    await expect(b.auth.me()).rejects.toThrow('not logged in');
  });

  it("shows the API's error message and forgets a rejected token", async () => {
    const tokens = memoryTokens('old');
    serve(() => json({ error: { code: 'invalid_token', message: 'the token has expired; log in again' } }, 401));
    const err = await httpBackend(tokens).library.get('p1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('the token has expired; log in again');
    expect((err as AppError).code).toBe('invalid_token');
    expect((err as AppError).status).toBe(401);
    expect(tokens.value).toBeNull();
  });

  it('carries the field of a refused request', async () => {
    serve(() => json({ error: { code: 'invalid_request', field: 'minutes', message: 'the length must be from 0.5 to 120 minutes' } }, 400));
    const err = await httpBackend(memoryTokens('t'))
      .generator.start({ text: 'Some text', title: '', templateId: '', minutes: 500, language: '', focus: '', voices: {}, writer: '', tts: '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid_request', field: 'minutes', message: 'the length must be from 0.5 to 120 minutes', status: 400 });
  });

  it('describes an error answer without an error body', async () => {
    serve(() => json({}, 502));
    await expect(httpBackend(memoryTokens('t')).generator.jobs()).rejects.toMatchObject({ code: 'unknown', status: 502, message: 'GET /jobs failed with 502' });
  });

  it('tells the session store when the server ends the session', async () => {
    serve(() => json({ error: { code: 'invalid_token', message: 'the token has expired; log in again' } }, 401));
    const b = httpBackend(memoryTokens('old'));
    const reasons: string[] = [];
    const off = b.auth.onSessionEnded((r) => reasons.push(r));
    await b.generator.jobs().catch(() => undefined);
    off();
    await b.generator.jobs().catch(() => undefined);
    expect(reasons).toEqual(['The token has expired; log in again']);
  });

  it('explains a server that cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(httpBackend(memoryTokens('t')).generator.jobs()).rejects.toThrow('cannot be reached');
  });

  it('sends only the fields a generate request sets', async () => {
    const calls = serve(() => json({ jobId: 'j1', job: job({ state: 'queued' }) }, 202));
    const s = await httpBackend(memoryTokens('t')).generator.start({
      text: 'Some text',
      title: ' ',
      templateId: 'deep-dive',
      minutes: 0,
      language: '',
      focus: '',
      voices: { Alex: 'en-us', Sam: '' },
      writer: 'extractive',
      tts: '',
    });
    expect(s.state).toBe('queued');
    expect(calls[0].body).toEqual({ text: 'Some text', templateId: 'deep-dive', voices: { Alex: 'en-us' }, writer: 'extractive' });
  });

  it('reads a podcast with its transcript from the signed URL', async () => {
    serve((c) =>
      c.url === '/podcasts/p1'
        ? json({ id: 'p1', title: 'R', duration: 30, chapters: [{ title: 'A', start: 0 }, { title: 'B', start: 10 }], transcriptUrl: '/podcasts/p1/transcript.vtt?sig=1' })
        : new Response('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Alex>Hi\n'),
    );
    const d = await httpBackend(memoryTokens('t')).library.get('p1');
    expect(d.cues).toEqual([{ index: 0, speaker: 'Alex', text: 'Hi', start: 0, end: 1 }]);
    expect(d.chapters.map((c) => [c.start, c.end])).toEqual([
      [0, 10],
      [10, 30],
    ]);
    expect(d.fromRecording).toBe(false);
  });

  it('marks a podcast whose original recording the API links', async () => {
    serve(() => json({ id: 'p1', title: 'R', duration: 30, chapters: [], sourceAudioUrl: '/podcasts/p1/source?sig=2' }));
    const d = await httpBackend(memoryTokens('t')).library.get('p1');
    expect(d.fromRecording).toBe(true);
    expect(d.podcast.sourceAudioUrl).toBe('/podcasts/p1/source?sig=2');
  });

  it('asks the server for one page in the order it sorts', async () => {
    const page = { items: [{ id: 'b', title: 'Part 465' }], total: 10000, nextCursor: 'c2' };
    const calls = serve(() => json(page));
    const b = httpBackend(memoryTokens('t'));
    await expect(b.library.list({ q: 'river delta', sort: 'title', limit: 50, cursor: '' })).resolves.toEqual(page);
    await b.library.list({ q: '', sort: 'duration', limit: 50, cursor: 'c2' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /podcasts?q=river+delta&sort=title&limit=50',
      'GET /podcasts?sort=duration&limit=50&cursor=c2',
    ]);
  });

  it('follows a job over its event stream with the token', async () => {
    const enc = new TextEncoder();
    const calls = serve(
      () =>
        new Response(
          new ReadableStream({
            start(ctrl) {
              ctrl.enqueue(enc.encode(`event: progress\ndata: ${JSON.stringify(job({ progress: 0.5 }))}\n\n: ping\n\n`));
              ctrl.enqueue(enc.encode(`event: done\ndata: ${JSON.stringify(job({ state: 'done', progress: 1 }))}\n\n`));
              ctrl.close();
            },
          }),
          { headers: { 'Content-Type': 'text/event-stream' } },
        ),
    );
    const seen: JobStatus[] = [];
    await new Promise<void>((resolve) => {
      httpBackend(memoryTokens('t')).generator.watch('j1', (s) => {
        seen.push(s);
        if (s.state === 'done') resolve();
      });
    });
    expect(seen.map((s) => s.progress)).toEqual([0.5, 1]);
    expect(calls[0].url).toBe('/jobs/j1/events');
    expect(calls[0].headers.Authorization).toBe('Bearer t');
  });

  it('polls the job when the event stream is not available', async () => {
    const calls = serve((c) => (c.url.endsWith('/events') ? json({ error: { message: 'no' } }, 502) : json(job({ state: 'failed', error: 'espeak-ng is missing' }))));
    const s = await new Promise<JobStatus>((resolve) => {
      httpBackend(memoryTokens('t')).generator.watch('j1', resolve);
    });
    expect(s.error).toBe('espeak-ng is missing');
    expect(calls.map((c) => c.url)).toEqual(['/jobs/j1/events', '/jobs/j1']);
  });

  it('uses /setup for the first account when the server has it, and explains when not', async () => {
    serve((c) => (c.method === 'GET' ? json({ needed: true }) : json({ token: 'new', expiresAt: '', user: { username: 'root' } }, 201)));
    const tokens = memoryTokens();
    const b = httpBackend(tokens);
    await expect(b.auth.firstRunNeeded()).resolves.toBe(true);
    await b.auth.createFirstUser('root', 'password1');
    expect(tokens.value).toBe('new');

    const calls = serve((c) =>
      c.url === '/setup' ? json({ id: 'u1', username: 'root' }, 201) : json({ token: 'logged', expiresAt: '', user: { username: 'root' } }),
    );
    await b.auth.createFirstUser('root', 'password1');
    expect(tokens.value).toBe('logged');
    expect(calls.map((c) => c.url)).toEqual(['/setup', '/auth/login']);

    serve(() => json({ error: { code: 'not_found', message: 'no such page' } }, 404));
    await expect(b.auth.firstRunNeeded()).resolves.toBe(false);
    await expect(b.auth.createFirstUser('root', 'password1')).rejects.toThrow('podcastfy user add');
  });

  it('saves templates with POST when new and PUT otherwise, without builtIn', async () => {
    const calls = serve((c) => json(c.body));
    const b = httpBackend(memoryTokens('t'));
    const t = { id: 'mine', name: 'Mine', builtIn: false } as never;
    await b.templates.save(t, true);
    await b.templates.save(t, false);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /templates', 'PUT /templates/mine']);
    expect(calls[0].body).toEqual({ id: 'mine', name: 'Mine' });
  });

  it('reads the version from /healthz', async () => {
    serve(() => json({ status: 'ok', version: 'v1.2.3' }));
    await expect(httpBackend(memoryTokens()).version()).resolves.toBe('v1.2.3');
  });
});
