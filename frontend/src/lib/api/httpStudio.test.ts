import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './errors';
import { json, serve } from '../testing/fetchStub';
import { httpBackend } from './http';
import type { ScriptDoc } from './studio';

const doc: ScriptDoc = {
  podcastId: 'p 1',
  version: 2,
  title: 'Rivers',
  summary: '',
  language: 'en',
  template: 'deep-dive',
  speakers: [{ name: 'Alex', voice: 'en-us', speed: 1 }],
  chapters: [{ title: 'Intro', lines: [{ speaker: 'Alex', text: 'Hi.' }] }],
};

const tokens = { get: () => 'tok', set: () => {} };
afterEach(() => vi.unstubAllGlobals());

describe('the studio over the LAN API', () => {
  it('reads the script with its ETag and saves it with If-Match', async () => {
    const calls = serve((c) => (c.method === 'GET' ? json(doc, 200, { ETag: '"abc"' }) : json({ jobId: 'j9', job: { id: 'j9', state: 'queued' } }, 202)));
    const studio = httpBackend(tokens).studio!;
    const got = await studio.script('p 1');
    expect(got).toEqual({ doc, etag: '"abc"' });
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/podcasts/p%201/script' });
    const job = await studio.save('p 1', got.etag, got.doc);
    expect(job).toEqual({ id: 'j9', state: 'queued' });
    expect(calls[1]).toMatchObject({ method: 'PUT', url: '/podcasts/p%201/script', body: doc });
    expect(calls[1].headers['If-Match']).toBe('"abc"');
    expect(calls[1].headers.Authorization).toBe('Bearer tok');
  });

  it('rejects a stale save with the status and code the editor tells apart', async () => {
    serve(() => json({ error: { code: 'precondition_failed', message: 'the script changed since it was read' } }, 412));
    const err = await httpBackend(tokens).studio!.save('p1', '"old"', doc).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect([err.status, err.code]).toEqual([412, 'precondition_failed']);
  });

  it('asks for versions, a restore and a rewrite at their paths', async () => {
    const calls = serve((c) => json(c.url.endsWith('/versions') ? { current: 2, versions: [] } : c.url.endsWith('/rewrite') ? { lines: [] } : { id: 'p1' }));
    const studio = httpBackend(tokens).studio!;
    await studio.versions('p1');
    await studio.restore('p1', 1);
    await studio.rewrite('p1', { chapter: 0, line: 2, instruction: 'shorter' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /podcasts/p1/versions', 'POST /podcasts/p1/versions/1/restore', 'POST /podcasts/p1/script/rewrite']);
    expect(calls[2].body).toEqual({ chapter: 0, line: 2, instruction: 'shorter' });
  });
});
