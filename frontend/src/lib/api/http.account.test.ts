// The browser adapter's account, feed, voice and plan calls, against a
// stubbed fetch that answers as the LAN API does (backend/api/openapi.yaml).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './errors';
import { json, serve } from '../testing/fetchStub';
import { httpBackend, type TokenStore } from './http';

function tokens(initial: string): TokenStore & { value: string | null } {
  const t = { value: initial as string | null, get: () => t.value, set: (v: string | null) => void (t.value = v) };
  return t;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.getElementById('voice-preview')?.remove();
});

describe('httpBackend account', () => {
  it('changes the password and goes on with the new token the server gives', async () => {
    const t = tokens('old');
    const calls = serve(() => json({ token: 'new', expiresAt: '', user: { username: 'alice' }, message: 'Password changed.' }));
    await httpBackend(t).auth.changePassword!('current-pw', 'next-password');
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/me/password', body: { currentPassword: 'current-pw', newPassword: 'next-password' } });
    expect(calls[0].headers.Authorization).toBe('Bearer old');
    expect(t.value).toBe('new');
  });

  it('reports a wrong current password at its field and keeps the session', async () => {
    const t = tokens('old');
    serve(() => json({ error: { code: 'forbidden', field: 'currentPassword', message: 'the current password is wrong' } }, 403));
    const err = await httpBackend(t).auth.changePassword!('x', 'next-password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).field).toBe('currentPassword');
    expect(t.value).toBe('old');
  });

  it('reads and replaces the feed address with its QR code', async () => {
    const calls = serve((c) =>
      json({ user: { username: 'alice' }, feedUrl: c.method === 'POST' ? 'http://h/feed.xml?key=2' : 'http://h/feed.xml?key=1', feedQrCode: 'data:image/png;base64,QQ' }),
    );
    const b = httpBackend(tokens('t'));
    expect(await b.feed!.get()).toEqual({ feedUrl: 'http://h/feed.xml?key=1', feedQrCode: 'data:image/png;base64,QQ' });
    expect((await b.feed!.rotate()).feedUrl).toBe('http://h/feed.xml?key=2');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /me', 'POST /me/feed-key']);
  });
});

describe('httpBackend voices', () => {
  it('lists the voices of a provider and language', async () => {
    const calls = serve(() => json({ provider: 'espeak', voices: [{ id: 'de', name: 'German', language: 'de', gender: 'male' }] }));
    const b = httpBackend(tokens('t'));
    expect(await b.voices!.list('espeak', 'de')).toEqual([{ id: 'de', name: 'German', language: 'de', gender: 'male' }]);
    await b.voices!.list('');
    expect(calls.map((c) => c.url)).toEqual(['/voices?provider=espeak&language=de', '/voices?']);
  });

  it('plays a preview in the page’s preview element', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:preview-1'), revokeObjectURL: vi.fn() }));
    const calls = serve(() => new Response(new Uint8Array([0xff, 0xf3]), { status: 200, headers: { 'Content-Type': 'audio/mpeg' } }));
    await httpBackend(tokens('t')).voices!.preview('espeak', 'en-us', 'Hello there.');
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/voices/preview', body: { provider: 'espeak', voice: 'en-us', text: 'Hello there.' } });
    const el = document.getElementById('voice-preview') as HTMLAudioElement;
    expect(el.src).toBe('blob:preview-1');
    expect(play).toHaveBeenCalled();
    play.mockRestore();
  });

  it('turns a refused preview into its error (the body is JSON, not audio)', async () => {
    serve(() => json({ error: { code: 'throttled', message: 'too many voice previews; try again in 6 s' } }, 429));
    const err = await httpBackend(tokens('t'))
      .voices!.preview('', 'en', '')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('too many voice previews');
    expect((err as AppError).status).toBe(429);
  });
});
