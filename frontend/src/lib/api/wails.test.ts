import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './errors';
import { Events } from './events';
import { wailsBackend } from './wails';

// bind installs fake Go bindings and a fake Wails runtime the way Wails
// injects them into the desktop window; the generated modules in
// frontend/wailsjs call them.
function bind(structs: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>) {
  const handlers = new Map<string, Set<(...d: unknown[]) => void>>();
  const cancels = vi.fn();
  window.go = { desktop: structs, main: { App: { Version: vi.fn().mockResolvedValue('v9') } } };
  const runtime = {
    BrowserOpenURL: vi.fn(),
    EventsOnMultiple: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name)!.add(cb);
      return () => {
        cancels(name);
        handlers.get(name)!.delete(cb);
      };
    }),
  };
  window.runtime = runtime;
  const emit = (name: string, data: unknown) => handlers.get(name)?.forEach((cb) => cb(data));
  const count = () => [...handlers.values()].reduce((n, s) => n + s.size, 0);
  return { emit, count, cancels, runtime };
}

afterEach(() => {
  delete window.go;
  delete window.runtime;
});

describe('wailsBackend', () => {
  it('calls the bound facade methods with their arguments', async () => {
    const login = vi.fn().mockResolvedValue({ token: '', user: { username: 'alice' } });
    const list = vi.fn().mockResolvedValue({ items: [], total: 0 });
    const seek = vi.fn().mockResolvedValue({ state: 'paused', position: 12 });
    const resume = vi.fn().mockResolvedValue({ id: 'j1', state: 'writing' });
    const rt = bind({ Auth: { Login: login }, Library: { List: list }, Player: { Seek: seek }, Generator: { Resume: resume } });
    const b = wailsBackend();
    expect(b.kind).toBe('desktop');
    await b.auth.login('alice', 'pw');
    await expect(b.library.list({ q: 'x', sort: 'title', limit: 5, cursor: '' })).resolves.toEqual({ items: [], total: 0 });
    await b.player.seek(12);
    expect(login).toHaveBeenCalledWith('alice', 'pw');
    expect(list).toHaveBeenCalledWith({ q: 'x', sort: 'title', limit: 5, cursor: '' });
    expect(seek).toHaveBeenCalledWith(12);
    await b.generator.resume!('j1');
    expect(resume).toHaveBeenCalledWith('j1');
    await expect(b.version()).resolves.toBe('v9');
    b.openURL('http://192.168.1.20:8765');
    expect(rt.runtime.BrowserOpenURL).toHaveBeenCalledWith('http://192.168.1.20:8765');
  });

  it.each([
    { name: 'an object', reason: { code: 'invalid_request', field: 'name', message: 'must not be empty' } },
    { name: 'JSON text', reason: '{"code":"invalid_request","field":"name","message":"must not be empty"}' },
  ])('turns a rejection carrying the three values as $name into an AppError', async ({ reason }) => {
    bind({ Templates: { Save: vi.fn().mockRejectedValue(reason) } });
    const err = await wailsBackend().templates.save({} as never, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid_request', field: 'name', message: 'must not be empty', status: 0 });
  });

  it('rejects with an AppError when the window lacks a binding', async () => {
    bind({});
    await expect(wailsBackend().auth.me()).rejects.toBeInstanceOf(AppError);
  });

  it('maps null lists to empty ones', async () => {
    const pick = vi.fn().mockResolvedValue(null);
    bind({ Generator: { Jobs: vi.fn().mockResolvedValue(null), PickFiles: pick }, Templates: { List: vi.fn().mockResolvedValue(null) } });
    await expect(wailsBackend().generator.pickFiles!('audio')).resolves.toEqual([]);
    expect(pick).toHaveBeenCalledWith('audio');
    await expect(wailsBackend().generator.jobs()).resolves.toEqual([]);
    await expect(wailsBackend().templates.list()).resolves.toEqual([]);
  });

  it('watches one job through the job events and unsubscribes every listener', () => {
    const rt = bind({});
    const seen: string[] = [];
    const off = wailsBackend().generator.watch('a', (s) => seen.push(`${s.id}:${s.state}`));
    expect(rt.count()).toBe(3);
    rt.emit(Events.JobProgress, { id: 'b', state: 'writing' });
    rt.emit(Events.JobProgress, { id: 'a', state: 'writing' });
    rt.emit(Events.JobDone, { id: 'a', state: 'done' });
    expect(seen).toEqual(['a:writing', 'a:done']);
    off();
    off();
    expect(rt.count()).toBe(0);
    expect(rt.cancels).toHaveBeenCalledTimes(3);
  });

  it('follows player position and state events until unsubscribed', () => {
    const rt = bind({});
    const cb = vi.fn();
    const off = wailsBackend().player.subscribe(cb);
    rt.emit(Events.PlayerPosition, { position: 1 });
    rt.emit(Events.PlayerState, { state: 'playing' });
    off();
    rt.emit(Events.PlayerPosition, { position: 2 });
    expect(cb.mock.calls).toEqual([[{ position: 1 }], [{ state: 'playing' }]]);
    expect(rt.count()).toBe(0);
  });

  it('forwards server status and model pull events', () => {
    const rt = bind({});
    const b = wailsBackend();
    const server = vi.fn();
    const pull = vi.fn();
    const dropped = vi.fn();
    const offs = [b.server!.subscribe(server), b.settings!.onPull!(pull), b.generator.onSourcesDropped(dropped)];
    rt.emit(Events.SourcesDropped, { sources: [{ token: 't' }], problems: [] });
    expect(dropped).toHaveBeenCalledWith({ sources: [{ token: 't' }], problems: [] });
    rt.emit(Events.ServerStatus, { running: true });
    rt.emit(Events.ModelPull, { model: 'llama3.2', done: false });
    offs.forEach((off) => off());
    expect(server).toHaveBeenCalledWith({ running: true });
    expect(pull).toHaveBeenCalledWith({ model: 'llama3.2', done: false });
    expect(rt.count()).toBe(0);
  });
});

describe('the studio on the desktop', () => {
  it('reads the ETag from the script and passes it back on save; rejections keep their code', async () => {
    const doc = { podcastId: 'p1', version: 3, etag: '"e3"', title: 'T', summary: '', language: 'en', template: '', speakers: [], chapters: [] };
    const Script = vi.fn().mockResolvedValue(doc);
    const SaveScript = vi.fn().mockRejectedValue(JSON.stringify({ code: 'precondition_failed', message: 'the script changed since it was read' }));
    const RestoreVersion = vi.fn().mockResolvedValue({ id: 'p1', version: 2 });
    bind({ Studio: { Script, SaveScript, RestoreVersion } });
    const studio = wailsBackend().studio!;
    const got = await studio.script('p1');
    expect(got).toEqual({ doc, etag: '"e3"' });
    const err = await studio.save('p1', got.etag, got.doc).catch((e) => e);
    expect(SaveScript).toHaveBeenCalledWith('p1', '"e3"', doc);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('precondition_failed');
    await expect(studio.restore('p1', 2)).resolves.toEqual({ id: 'p1', version: 2 });
    expect(RestoreVersion).toHaveBeenCalledWith('p1', 2);
  });
});

describe('the window on the desktop', () => {
  it('reports unsaved edits, closes, and hears the close question until unsubscribed', async () => {
    const SetUnsavedEdits = vi.fn().mockResolvedValue(undefined);
    const Close = vi.fn().mockResolvedValue(undefined);
    const rt = bind({ Window: { SetUnsavedEdits, Close } });
    const win = wailsBackend().window!;
    await win.setUnsavedEdits(true);
    expect(SetUnsavedEdits).toHaveBeenCalledWith(true);
    await win.close();
    expect(Close).toHaveBeenCalledTimes(1);
    const asked = vi.fn();
    const off = win.onCloseRequested(asked);
    rt.emit(Events.WindowClose, null);
    off();
    rt.emit(Events.WindowClose, null);
    expect(asked).toHaveBeenCalledTimes(1);
    expect(rt.count()).toBe(0);
  });
});
