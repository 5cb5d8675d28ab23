import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpBackend } from './http';

afterEach(() => vi.unstubAllGlobals());

describe('httpBackend plan', () => {
  it('asks POST /podcasts/plan with the form, naming the files to upload without sending them', async () => {
    const sent: { url: string; method?: string; body: unknown }[] = [];
    const plan = { writer: 'extractive', tts: 'espeak', minutes: 10, minutesFillable: 1.5, problems: [] };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        sent.push({ url, method: init.method, body: JSON.parse(String(init.body)) });
        return new Response(JSON.stringify(plan), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const tokens = { get: () => 't', set: () => {} };
    const talk = new File(['ID3'], 'talk.mp3', { type: 'audio/mpeg' });
    const got = await httpBackend(tokens).generator.plan({
      text: 'Some text',
      title: '',
      templateId: 'deep-dive',
      minutes: 10,
      language: 'de',
      focus: '',
      voices: {},
      writer: '',
      tts: 'piper',
      sources: [{ url: 'https://example.org/a' }],
      files: [{ file: talk, kind: 'audio' }],
    });
    expect(got).toEqual(plan);
    expect(sent).toEqual([
      {
        url: '/podcasts/plan',
        method: 'POST',
        body: {
          text: 'Some text',
          templateId: 'deep-dive',
          minutes: 10,
          language: 'de',
          tts: 'piper',
          sources: [{ kind: 'url', url: 'https://example.org/a' }],
          uploads: [{ kind: 'audio', name: 'talk.mp3' }],
        },
      },
    ]);
  });
});
