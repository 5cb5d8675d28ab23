import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../api';
import { mockBackend, sampleDetail, sampleSettings, sampleJob, sampleSummary, sampleTemplate, playerStatus } from '../testing/mockBackend';
import { createStores, disposeStores } from './index';
import { indexAt } from './player.svelte';

describe('SessionStore', () => {
  it('shows the first-run screen while no account exists', async () => {
    const m = mockBackend('web');
    m.api.auth.firstRunNeeded.mockResolvedValue(true);
    const { session } = createStores(m.backend);
    await session.init();
    expect(session).toMatchObject({ ready: true, firstRun: true, user: null });
    expect(m.api.auth.me).not.toHaveBeenCalled();
    expect(await session.createFirstUser(' root ', 'password1')).toBe(true);
    expect(m.api.auth.createFirstUser).toHaveBeenCalledWith('root', 'password1');
    expect(session.firstRun).toBe(false);
    expect(session.user?.username).toBe('alice');
  });

  it('is logged out when me fails, and shows a failed login readably', async () => {
    const m = mockBackend('web');
    m.api.auth.me.mockRejectedValue(new Error('not logged in'));
    m.api.auth.login.mockRejectedValue(new AppError({ code: 'invalid_credentials', message: 'wrong username or password' }));
    const { session } = createStores(m.backend);
    await session.init();
    expect(session.user).toBeNull();
    expect(await session.login('alice', 'x')).toBe(false);
    expect(session.error).toBe('Wrong username or password');
    expect(session.busy).toBe(false);
  });

  it('goes back to login with the reason when the backend ends the session', async () => {
    const m = mockBackend('web');
    const { session } = createStores(m.backend);
    await session.init();
    expect(session.user).not.toBeNull();
    m.endSession('The token has expired; log in again');
    expect(session.user).toBeNull();
    expect(session.error).toBe('The token has expired; log in again');
    session.dispose();
    expect(m.listeners()).toBe(0);
  });

  it('logs out', async () => {
    const m = mockBackend('web');
    const { session } = createStores(m.backend);
    await session.init();
    expect(session.user).not.toBeNull();
    await session.logout();
    expect(session.user).toBeNull();
  });
});

describe('LibraryStore', () => {
  const row = (id: string) => sampleSummary({ id, title: id });

  it('asks for one page with the query and sort, and appends the next in place', async () => {
    const m = mockBackend();
    m.api.library.list
      .mockResolvedValueOnce({ items: [row('p1'), row('p2')], total: 3, nextCursor: 'c' })
      .mockResolvedValueOnce({ items: [row('p3')], total: 3 });
    const { library } = createStores(m.backend);
    library.query = ' river ';
    library.sort = 'title';
    await library.load();
    expect(m.api.library.list).toHaveBeenCalledWith({ q: 'river', sort: 'title', limit: 50, cursor: '' });
    expect(library.total).toBe(3);
    const rows = library.items;
    await library.loadMore();
    expect(m.api.library.list).toHaveBeenLastCalledWith({ q: 'river', sort: 'title', limit: 50, cursor: 'c' });
    // The same list, grown: the rows loaded before were not copied.
    expect(library.items).toBe(rows);
    expect(library.items.map((x) => x.id)).toEqual(['p1', 'p2', 'p3']);
    expect(library.nextCursor).toBe('');
    await library.loadMore();
    expect(m.api.library.list).toHaveBeenCalledTimes(2);
  });

  it('keeps the newest answer when searches overlap', async () => {
    const m = mockBackend();
    let first!: (v: unknown) => void;
    m.api.library.list.mockImplementationOnce(() => new Promise((r) => (first = r))).mockResolvedValueOnce({ items: [row('new')], total: 1 });
    const { library } = createStores(m.backend);
    const a = library.load();
    await library.load();
    first({ items: [row('old')], total: 1 });
    await a;
    expect(library.items.map((x) => x.id)).toEqual(['new']);
  });

  it('drops a page that arrives after the list was asked for again', async () => {
    const m = mockBackend();
    let late!: (v: unknown) => void;
    m.api.library.list
      .mockResolvedValueOnce({ items: [row('a')], total: 2, nextCursor: 'c' })
      .mockImplementationOnce(() => new Promise((r) => (late = r)))
      .mockResolvedValueOnce({ items: [row('z')], total: 1 });
    const { library } = createStores(m.backend);
    await library.load();
    const more = library.loadMore();
    library.sort = 'oldest';
    await library.load();
    late({ items: [row('b')], total: 2 });
    await more;
    expect(library.items.map((x) => x.id)).toEqual(['z']);
    expect(library.total).toBe(1);
  });

  it('reports errors, renames and deletes', async () => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValue({ items: [row('p1')], total: 1 });
    const { library } = createStores(m.backend);
    await library.load();
    m.api.library.rename.mockResolvedValue({ ...sampleDetail().podcast, title: 'Deltas' });
    expect(await library.rename('p1', ' Deltas ')).toBe('');
    expect(m.api.library.rename).toHaveBeenCalledWith('p1', 'Deltas');
    expect(library.items[0].title).toBe('Deltas');
    m.api.library.delete.mockRejectedValueOnce(new Error('the podcast is being played'));
    expect(await library.remove('p1')).toBe('The podcast is being played');
    expect(await library.remove('p1')).toBe('');
    expect(library.items).toEqual([]);
    expect(library.total).toBe(0);
    m.api.library.list.mockRejectedValue(new Error('store unreadable'));
    await library.load();
    expect(library.error).toBe('Store unreadable');
  });

  it('stays current until a podcast is made', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob()]);
    const { library, jobs } = createStores(m.backend);
    expect(library.current).toBe(false);
    await library.load();
    await jobs.refresh();
    expect(library.current).toBe(true);
    m.emitJob(sampleJob({ state: 'failed', error: 'espeak-ng is missing' }));
    expect(library.current).toBe(true);
    await jobs.refresh();
    m.api.generator.jobs.mockResolvedValue([sampleJob({ id: 'job2' })]);
    await jobs.refresh();
    m.emitJob(sampleJob({ id: 'job2', state: 'done', progress: 1, podcastId: 'p9' }));
    expect(library.current).toBe(false);
    await library.load();
    expect(library.current).toBe(true);
  });
});

describe('JobsStore', () => {
  it('follows running jobs until they finish, then unsubscribes', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob(), sampleJob({ id: 'old', state: 'done' })]);
    const { jobs } = createStores(m.backend);
    const finished = vi.fn();
    jobs.onFinished(finished);
    await jobs.refresh();
    expect(m.api.generator.watch).toHaveBeenCalledTimes(1);
    expect(jobs.running.map((j) => j.id)).toEqual(['job1']);
    m.emitJob(sampleJob({ progress: 0.8 }));
    expect(jobs.byId.job1.progress).toBe(0.8);
    m.emitJob(sampleJob({ state: 'done', progress: 1, podcastId: 'job1' }));
    expect(jobs.running).toEqual([]);
    expect(finished).toHaveBeenCalledWith(expect.objectContaining({ id: 'job1', state: 'done' }));
    expect(m.unsubscribed.jobs).toBe(1);
    expect(m.listeners()).toBe(0);
  });

  it('starts a job and watches it once; cancel reports errors', async () => {
    const m = mockBackend();
    const { jobs } = createStores(m.backend);
    const s = await jobs.start({ text: 't', title: '', templateId: '', minutes: 1, language: 'en', focus: '', voices: {}, writer: 'extractive', tts: 'espeak' });
    jobs.watch(s.id);
    expect(m.api.generator.watch).toHaveBeenCalledTimes(1);
    expect(await jobs.cancel(s.id)).toBe('');
    expect(jobs.byId[s.id].state).toBe('cancelled');
    m.api.generator.cancel.mockRejectedValue(new Error('job has already finished'));
    expect(await jobs.cancel(s.id)).toBe('Job has already finished');
  });

  it('opens a job by id and says when there is none', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob()]);
    const { jobs } = createStores(m.backend);
    await jobs.open('job1');
    expect(m.api.generator.watch).toHaveBeenCalledWith('job1', expect.any(Function));
    await expect(jobs.open('nope')).rejects.toThrow('no such job');
    jobs.dispose();
    expect(m.listeners()).toBe(0);
  });
});

describe('PlayerStore', () => {
  it.each([
    { t: -1, want: -1 },
    { t: 0, want: 0 },
    { t: 4.99, want: 0 },
    { t: 5, want: 1 },
    { t: 39.9, want: 2 },
    { t: 100, want: 3 },
  ])('indexAt($t) = $want', ({ t, want }) => {
    expect(indexAt(sampleDetail().cues, t)).toBe(want);
  });

  it('opens a podcast, follows the position and seeks by line and chapter', async () => {
    const m = mockBackend();
    const { player } = createStores(m.backend);
    await player.open('p1');
    expect(m.api.player.load).toHaveBeenCalledWith(sampleDetail());
    expect(player.cues).toHaveLength(4);
    m.emitPlayer(playerStatus({ state: 'playing', position: 21 }));
    expect(player.activeCue).toBe(2);
    expect(player.activeChapter).toBe(1);
    await player.seekLine(1);
    expect(m.api.player.seek).toHaveBeenLastCalledWith(5);
    expect(player.activeCue).toBe(1);
    await player.seekChapter(1);
    expect(m.api.player.seek).toHaveBeenLastCalledWith(20);
    await player.skip(-100);
    expect(m.api.player.seek).toHaveBeenLastCalledWith(0);
    await player.setSpeed(1.5);
    expect(player.status.speed).toBe(1.5);
    player.dispose();
    expect(m.unsubscribed.player).toBe(1);
  });

  it('ignores positions of another podcast and shows errors', async () => {
    const m = mockBackend();
    const { player } = createStores(m.backend);
    await player.open('p1');
    m.emitPlayer(playerStatus({ podcastId: 'other', position: 30 }));
    expect(player.status.position).toBe(0);
    m.api.player.toggle.mockRejectedValue(new Error('no audio output device found'));
    await player.toggle();
    expect(player.error).toBe('No audio output device found');
    m.api.library.get.mockRejectedValue(new Error('podcast not found'));
    await player.open('gone');
    expect(player.error).toBe('Podcast not found');
  });
});

describe('TemplatesStore', () => {
  it('checks locally before saving and keeps the backend out of it', async () => {
    const m = mockBackend();
    const { templates } = createStores(m.backend);
    const r = await templates.save(sampleTemplate({ id: 'Bad Id', name: '' }), true);
    expect(r.saved).toBeNull();
    expect(r.problems.map((p) => p.field)).toEqual(['id', 'name']);
    expect(m.api.templates.save).not.toHaveBeenCalled();
  });

  it("shows the backend's field problems and saves into the list", async () => {
    const m = mockBackend();
    const { templates } = createStores(m.backend);
    await templates.load();
    m.api.templates.save.mockRejectedValueOnce(new AppError({ code: 'invalid_template', field: 'speakers[0].voices.espeak', message: 'no such voice' }));
    const bad = await templates.save(sampleTemplate({ id: 'mine', name: 'Mine' }), true);
    expect(bad.problems).toEqual([{ field: 'speakers[0].voices.espeak', message: 'no such voice' }]);
    const ok = await templates.save(sampleTemplate({ id: 'mine', name: 'Mine' }), true);
    expect(ok.saved?.id).toBe('mine');
    expect(templates.items.map((t) => t.id)).toEqual(['deep-dive', 'mine']);
    expect(await templates.remove('mine')).toBe('');
    expect(templates.items.map((t) => t.id)).toEqual(['deep-dive']);
  });
});

describe('SettingsStore', () => {
  it('loads settings, health and models, and follows a pull to the end', async () => {
    const m = mockBackend();
    m.api.settings!.testProviders.mockResolvedValue([{ name: 'espeak', label: 'espeak-ng', kind: 'tts', url: '', state: 'ok', message: '' }]);
    const { settings } = createStores(m.backend);
    await settings.load();
    expect(settings.health).toHaveLength(1);
    expect(settings.presets.map((p) => p.id)).toEqual(['pocket-tts', 'kokoro']);
    expect(settings.context?.modelLength).toBe(131072);
    await settings.pullModel('llama3.2');
    expect(m.api.settings!.pullModel).toHaveBeenCalledWith('llama3.2');
    m.emitPull({ model: 'llama3.2', status: 'downloading', completed: 5, total: 10, done: false });
    expect(settings.pull?.completed).toBe(5);
    m.api.settings!.listModels.mockResolvedValue([{ name: 'llama3.2' }]);
    m.emitPull({ model: 'llama3.2', status: 'success', completed: 10, total: 10, done: true });
    await vi.waitFor(() => expect(settings.models).toHaveLength(1));
    settings.dispose();
    expect(m.unsubscribed.pull).toBe(1);
  });

  it('puts save problems at their keys', async () => {
    const m = mockBackend();
    m.api.settings!.save.mockRejectedValue({ code: 'invalid_settings', field: 'ollama.url', message: 'is not a URL' });
    const { settings } = createStores(m.backend);
    expect(await settings.save({} as never)).toBe(false);
    expect(settings.problems).toEqual([{ field: 'ollama.url', message: 'is not a URL' }]);
    expect(settings.error).toBe('');
  });

  it('asks for everything again after a save, so the status follows the saved settings', async () => {
    const m = mockBackend();
    const { settings } = createStores(m.backend);
    await settings.load();
    expect(m.api.settings!.testProviders).toHaveBeenCalledTimes(1);
    expect(await settings.save(sampleSettings())).toBe(true);
    expect(m.api.settings!.testProviders).toHaveBeenCalledTimes(2);
    expect(m.api.settings!.modelContext).toHaveBeenCalledTimes(2);
    expect(m.api.settings!.listModels).toHaveBeenCalledTimes(2);
    m.api.settings!.save.mockRejectedValueOnce({ code: 'invalid_request', field: 'tts.openai.url', message: 'must start with http://' });
    expect(await settings.save(sampleSettings())).toBe(false);
    expect(settings.at('tts.openai.url')).toEqual(['must start with http://']);
    expect(m.api.settings!.testProviders).toHaveBeenCalledTimes(2);
  });

  it('offers settings but no model download in a browser', async () => {
    const m = mockBackend('web');
    const { settings, server } = createStores(m.backend);
    expect(settings.available).toBe(true);
    expect(settings.canPull).toBe(false);
    expect(server.available).toBe(false);
    await settings.load();
    await settings.pullModel('llama3.2');
    expect(settings.pull).toBeNull();
    expect(settings.settings?.generation.minutes).toBe(5);
  });
});

describe('ServerStore', () => {
  it('starts and stops sharing and follows status events', async () => {
    const m = mockBackend();
    const off = { running: false, addr: '', urls: [], qrCode: '', feedUrl: '', tls: false, fingerprint: '', error: '' };
    m.api.server!.status.mockResolvedValue(off);
    m.api.server!.start.mockResolvedValue({ ...off, running: true, addr: '0.0.0.0:8765' });
    m.api.server!.stop.mockResolvedValue(off);
    const stores = createStores(m.backend);
    const { server } = stores;
    await server.load();
    await server.setRunning(true);
    expect(server.status?.running).toBe(true);
    m.emitServer({ ...off, error: 'address in use' });
    expect(server.status?.error).toBe('address in use');
    m.api.server!.stop.mockRejectedValueOnce(new Error('still draining'));
    await server.setRunning(false);
    expect(server.error).toBe('Still draining');
    disposeStores(stores);
    expect(m.listeners()).toBe(0);
  });
});
