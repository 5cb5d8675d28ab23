import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpBackend, type TokenStore } from './http';
import type { GenerateRequest } from './types';

const tokens: TokenStore = { get: () => 'tok', set: () => {} };

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

// serve answers every request with an accepted job and records it.
function serve(): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      sent.push({ url, headers: (init.headers ?? {}) as Record<string, string>, body: init.body });
      return new Response(JSON.stringify({ job: { id: 'j1', state: 'queued' } }), { status: 202 });
    }),
  );
  return sent;
}

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  text: '',
  title: 'Rivers',
  templateId: '',
  minutes: 0,
  language: '',
  focus: '',
  voices: { Alex: 'en-us', Sam: '' },
  writer: 'extractive',
  tts: '',
  ...over,
});

afterEach(() => vi.unstubAllGlobals());

describe('httpBackend uploads', () => {
  it('sends web pages in the JSON of generate/text', async () => {
    const sent = serve();
    const job = await httpBackend(tokens).generator.start(req({ sources: [{ url: 'https://example.org/a' }] }));
    expect(job.id).toBe('j1');
    expect(sent[0].url).toBe('/podcasts/generate/text');
    expect(sent[0].headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(sent[0].body as string)).toEqual({
      text: '',
      title: 'Rivers',
      voices: { Alex: 'en-us' },
      writer: 'extractive',
      sources: [{ kind: 'url', url: 'https://example.org/a' }],
    });
  });

  it('uploads documents to generate/files', async () => {
    const sent = serve();
    const a = new File(['# A'], 'a.md');
    const b = new File(['%PDF-1.4'], 'b.pdf');
    await httpBackend(tokens).generator.start(req({ files: [{ file: a, kind: 'file' }, { file: b, kind: 'file' }] }));
    expect(sent[0].url).toBe('/podcasts/generate/files');
    expect(sent[0].headers['Content-Type']).toBeUndefined();
    expect(sent[0].headers.Authorization).toBe('Bearer tok');
    const form = sent[0].body as FormData;
    expect(form.getAll('file').map((f) => (f as File).name)).toEqual(['a.md', 'b.pdf']);
    expect(form.get('audio')).toBeNull();
  });

  it('uploads the first recording to generate/audio with the rest beside it', async () => {
    const sent = serve();
    const talk = new File(['ID3'], 'talk.mp3');
    const more = new File(['ID3'], 'more.mp3');
    const notes = new File(['x'], 'notes.txt');
    await httpBackend(tokens).generator.start(
      req({
        files: [{ file: notes, kind: 'file' }, { file: talk, kind: 'audio' }, { file: more, kind: 'audio' }],
        sources: [{ url: 'https://example.org/a' }],
      }),
    );
    expect(sent[0].url).toBe('/podcasts/generate/audio');
    const form = sent[0].body as FormData;
    expect((form.get('audio') as File).name).toBe('talk.mp3');
    expect(form.getAll('file').map((f) => (f as File).name)).toEqual(['notes.txt', 'more.mp3']);
    expect(form.getAll('url')).toEqual(['https://example.org/a']);
    expect(form.get('title')).toBe('Rivers');
    expect(JSON.parse(form.get('voices') as string)).toEqual({ Alex: 'en-us' });
    expect(form.get('writer')).toBe('extractive');
  });

  it('refuses desktop tokens', async () => {
    const sent = serve();
    await expect(httpBackend(tokens).generator.start(req({ sources: [{ token: 't1' }] }))).rejects.toThrow(/cannot be sent from a browser/);
    expect(sent).toHaveLength(0);
  });
});
