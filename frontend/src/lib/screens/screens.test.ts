import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, type GenerateRequest } from '../api';
import { mockBackend, playerStatus, sampleJob, sampleSummary, sampleTemplate } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import AuthScreen from './AuthScreen.svelte';
import Library from './Library.svelte';
import NewPodcast from './NewPodcast.svelte';
import Player from './Player.svelte';
import Progress from './Progress.svelte';
import Settings from './Settings.svelte';
import Sharing from './Sharing.svelte';
import Sidebar from './Sidebar.svelte';
import TemplateEdit from './TemplateEdit.svelte';
import Templates from './Templates.svelte';

afterEach(() => vi.restoreAllMocks());

describe('AuthScreen', () => {
  it('checks the first account at its fields before asking the backend', async () => {
    const { m } = renderWithStores(AuthScreen, { mode: 'first-run' });
    await fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'a' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Use 3 to 32 letters, digits, dots, hyphens or underscores.').id).toBe('username-error');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(m.api.auth.createFirstUser).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'root' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'password1' } });
    await fireEvent.input(screen.getByLabelText('Repeat the password'), { target: { value: 'password1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(m.api.auth.createFirstUser).toHaveBeenCalledWith('root', 'password1');
  });

  it('shows a failed login as a readable alert', async () => {
    const m = mockBackend('web');
    m.api.auth.login.mockRejectedValue(new AppError({ code: 'invalid_credentials', message: 'wrong username or password' }));
    renderWithStores(AuthScreen, { mode: 'login' }, m);
    await fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong username or password');
    expect(screen.getByText(/podcastfy user add/)).toBeTruthy();
  });
});

describe('Sidebar', () => {
  it('offers settings to the administrator, and sharing on the desktop only', () => {
    renderWithStores(Sidebar, { route: { name: 'library' } }, mockBackend(), (s) => (s.session.user = { id: 'u1', username: 'alice', email: null, isAdmin: true, createdAt: '2026-11-25T10:00:00Z' }));
    expect(screen.getByRole('link', { name: 'Settings' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'LAN sharing' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Library' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows what is playing, with play/pause, away from the player', async () => {
    const { stores, m } = renderWithStores(Sidebar, { route: { name: 'library' } });
    expect(screen.queryByRole('link', { name: 'Rivers' })).toBeNull();
    await stores.player.open('p1');
    m.emitPlayer(playerStatus({ state: 'playing', position: 3 }));
    const link = await screen.findByRole('link', { name: 'Rivers' });
    expect(link.getAttribute('href')).toBe('#/podcast/p1');
    await fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(m.api.player.toggle).toHaveBeenCalled();
  });

  it('offers settings in a browser to administrators only, sharing never', () => {
    const { unmount } = renderWithStores(Sidebar, { route: { name: 'library' } }, mockBackend('web'), (s) => (s.session.user = { id: 'u1', username: 'alice', email: null, isAdmin: true, createdAt: '2026-11-25T10:00:00Z' }));
    expect(screen.getByRole('link', { name: 'Settings' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'LAN sharing' })).toBeNull();
    unmount();
    renderWithStores(Sidebar, { route: { name: 'library' } }, mockBackend('web'), (s) => (s.session.user = { ...{ id: 'u1', username: 'alice', email: null, isAdmin: true, createdAt: '2026-11-25T10:00:00Z' }, isAdmin: false }));
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
  });
});

describe('Library', () => {
  const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => sampleSummary({ id: `p${from + i}`, title: `Part ${from + i}` }));

  it('lists podcasts with duration and running jobs with badges', async () => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValue({ items: [sampleSummary()], total: 1 });
    const { stores } = renderWithStores(Library, {}, m);
    stores.jobs.byId = { job1: sampleJob({ title: 'Deltas', progress: 0.42 }) };
    const item = await screen.findByRole('link', { name: /Rivers/ });
    expect(item.getAttribute('href')).toBe('#/podcast/p1');
    expect(item.textContent).toContain('1 min');
    expect(screen.getByTestId('count').textContent).toBe('1 podcast');
    const running = await screen.findByRole('link', { name: /Deltas/ });
    expect(running.textContent).toMatch(/Voicing\s42%/);
  });

  it.each([
    { query: '', total: 10000, want: '10,000 podcasts' },
    { query: 'river', total: 104, want: '104 matching' },
    { query: 'river', total: 1, want: '1 matching' },
  ])('counts every podcast, not only those loaded: $want', async ({ query, total, want }) => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValue({ items: rows(50), total, nextCursor: 'c' });
    const { stores } = renderWithStores(Library, {}, m, (s) => (s.library.query = query));
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe(want));
    expect(stores.library.items).toHaveLength(50);
  });

  it('draws only the rows in view', async () => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValue({ items: rows(500), total: 10000, nextCursor: 'c' });
    renderWithStores(Library, {}, m);
    await screen.findByRole('link', { name: /Part 0/ });
    const drawn = screen.getAllByRole('listitem');
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn[0].getAttribute('aria-setsize')).toBe('10000');
  });

  it('searches and sorts through the store, one page each', async () => {
    vi.useFakeTimers();
    const { m } = renderWithStores(Library, {});
    await vi.waitFor(() => expect(m.api.library.list).toHaveBeenCalledTimes(1));
    await fireEvent.input(screen.getByLabelText('Search podcasts'), { target: { value: 'delta' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(m.api.library.list).toHaveBeenLastCalledWith({ q: 'delta', sort: 'newest', limit: 50, cursor: '' });
    await fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'title' } });
    expect(m.api.library.list).toHaveBeenLastCalledWith({ q: 'delta', sort: 'title', limit: 50, cursor: '' });
    expect(m.api.library.list).toHaveBeenCalledTimes(3);
    vi.useRealTimers();
  });

  it('shows more by appending the next page', async () => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValueOnce({ items: rows(2), total: 3, nextCursor: 'c' }).mockResolvedValueOnce({ items: rows(1, 2), total: 3 });
    renderWithStores(Library, {}, m);
    await fireEvent.click(await screen.findByRole('button', { name: 'Show more' }));
    await screen.findByRole('link', { name: /Part 2/ });
    expect(m.api.library.list).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'c' }));
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('comes back to the same rows without asking again, and lists again once a podcast is made', async () => {
    const m = mockBackend();
    m.api.library.list.mockResolvedValueOnce({ items: rows(2), total: 3, nextCursor: 'c' }).mockResolvedValueOnce({ items: rows(1, 2), total: 3 });
    const first = renderWithStores(Library, {}, m);
    await fireEvent.click(await screen.findByRole('button', { name: 'Show more' }));
    await screen.findByRole('link', { name: /Part 2/ });
    first.unmount();
    renderWithStores(Library, {}, m, undefined, first.stores);
    expect(screen.getAllByRole('link', { name: /Part/ }).map((a) => a.textContent?.match(/Part \d/)?.[0])).toEqual(['Part 0', 'Part 1', 'Part 2']);
    expect(screen.getByTestId('count').textContent).toBe('3 podcasts');
    expect(m.api.library.list).toHaveBeenCalledTimes(2);

    m.api.library.list.mockResolvedValueOnce({ items: rows(4), total: 4 });
    first.stores.library.invalidate();
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('4 podcasts'));
    expect(m.api.library.list).toHaveBeenCalledTimes(3);
  });

  it('shows a load error where the list would be', async () => {
    const m = mockBackend();
    m.api.library.list.mockRejectedValue(new Error('the library folder cannot be read'));
    renderWithStores(Library, {}, m);
    expect((await screen.findByRole('alert')).textContent).toContain('The library folder cannot be read');
  });
});

describe('NewPodcast', () => {
  it("fills speakers from the template, warns about the offline writer, and starts the job", async () => {
    const m = mockBackend();
    m.api.generator.plan.mockImplementation(async (req: GenerateRequest) => ({
      writer: req.writer === 'extractive' ? 'extractive' : 'ollama',
      tts: req.tts || 'espeak',
      minutes: req.minutes,
      problems:
        req.writer === 'extractive' ? [{ field: 'writer', code: 'offline_writer', severity: 'warning', message: 'The offline writer will be used.' }] : [],
    }));
    const onStarted = vi.fn();
    renderWithStores(NewPodcast, { onStarted, planDelayMs: 0 }, m);
    expect(await screen.findByText('Alex')).toBeTruthy();
    expect((screen.getByLabelText('Voice of Sam') as HTMLInputElement).value).toBe('en-gb+f3');
    await fireEvent.change(screen.getByLabelText('Script writer'), { target: { value: 'extractive' } });
    await waitFor(() => expect(screen.getByText('The offline writer will be used.')).toBeTruthy());
    expect(screen.getByTestId('plan').textContent).toContain('extractive');

    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    expect(screen.getByText(/Paste at least a few sentences/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: 'Rivers shape the land they cross, over many years.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith('job1'));
    expect(m.api.generator.start).toHaveBeenCalledWith(
      // The template's own voices are the backend's to fit to the language.
      expect.objectContaining({ templateId: 'deep-dive', minutes: 5, writer: 'extractive', voices: {} }),
    );
  });

  it('takes the text of a file dropped in a browser and refuses other files at the field', async () => {
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, mockBackend('web'));
    const text = screen.getByLabelText('Text') as HTMLTextAreaElement;
    const drop = (file: File) => fireEvent.drop(text, { dataTransfer: { files: [file] } });
    await drop(new File(['Deltas are fertile. Rivers carry silt.'], 'deltas.md', { type: '' }));
    await waitFor(() => expect(text.value).toBe('Deltas are fertile. Rivers carry silt.'));
    expect((screen.getByLabelText(/Title/) as HTMLInputElement).value).toBe('deltas');
    await drop(new File([new Uint8Array([1, 2])], 'talk.pdf', { type: 'application/pdf' }));
    expect((await screen.findByText(/talk.pdf is not a text file/)).id).toBe('text-error');
    expect(text.getAttribute('aria-invalid')).toBe('true');
  });

  it('makes a podcast from files picked or dropped on the desktop, without text', async () => {
    const m = mockBackend();
    m.api.generator.pickFiles!.mockResolvedValue([{ token: 't1', name: 'notes.pdf', kind: 'file', size: 2048 }]);
    const onStarted = vi.fn();
    const { unmount, stores } = renderWithStores(NewPodcast, { onStarted }, m);
    await fireEvent.click(await screen.findByRole('button', { name: /Add documents/ }));
    expect(m.api.generator.pickFiles).toHaveBeenCalledWith('documents');
    m.dropFiles({ sources: [{ token: 't2', name: 'talk.mp3', kind: 'audio', size: 4e6 }], problems: ['photo.png is not a document or a recording'] });
    const added = await screen.findByRole('list', { name: 'Added files' });
    await waitFor(() => expect(within(added).getAllByRole('listitem')).toHaveLength(2));
    expect(screen.getByRole('alert').textContent).toContain('photo.png is not a document');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove notes.pdf' }));
    await fireEvent.input(screen.getByLabelText(/Web page/), { target: { value: 'https://example.org/rivers' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
    expect(m.api.generator.start).toHaveBeenCalledWith(
      expect.objectContaining({ text: '', sources: [{ token: 't2' }, { url: 'https://example.org/rivers' }] }),
    );
    unmount();
    stores.jobs.dispose();
    expect(m.listeners()).toBe(0);
  });

  // The messages name no field on purpose: the place comes from the error's field only.
  it.each([
    { key: 'minutes', msg: 'from 0.5 to 120, please', field: 'minutes', label: 'Length (minutes)' },
    { key: 'voices.Sam', msg: 'no such voice here', field: 'voice-Sam', label: 'Voice of Sam' },
    { key: 'writer', msg: 'use auto, ollama or extractive', field: 'writer', label: 'Script writer' },
    { key: 'template', msg: 'not one of yours', field: 'template', label: 'Template' },
  ])('shows a refusal at the field it concerns: $field', async ({ key, msg, field, label }) => {
    const m = mockBackend();
    m.api.generator.start.mockRejectedValue(new AppError({ code: 'invalid_request', field: key, message: msg }));
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m);
    await screen.findByText('Alex');
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: 'Rivers shape the land they cross, over many years.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(document.getElementById(`${field}-error`)?.textContent).toContain(msg.slice(1)));
    expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('see the message at the field above');
  });

  it('previews a voice on the desktop and shows a start error', async () => {
    const m = mockBackend();
    m.api.generator.start.mockRejectedValue(new Error('espeak-ng is not installed: install it'));
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m);
    await fireEvent.click(await screen.findByRole('button', { name: 'Preview the voice of Alex' }));
    expect(m.api.voices!.preview).toHaveBeenCalledWith('espeak', 'en-us+m3', expect.stringContaining('Alex'));
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: 'Rivers shape the land they cross, over many years.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Espeak-ng is not installed');
  });
});

describe('Progress', () => {
  it('shows the stage, segment i/N and ETA, and cancels', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob()]);
    renderWithStores(Progress, { id: 'job1' }, m);
    expect(await screen.findByText('Synthesising line 3 of 12')).toBeTruthy();
    expect(screen.getByTestId('segments').textContent).toBe('Segment 3 of 12');
    expect(screen.getByText('about 30 s left')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).toBe('40');
    m.emitJob(sampleJob({ segment: 4, progress: 0.5 }));
    await waitFor(() => expect(screen.getByTestId('segments').textContent).toBe('Segment 4 of 12'));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(m.api.generator.cancel).toHaveBeenCalledWith('job1');
    expect(await screen.findByText('This podcast was cancelled.')).toBeTruthy();
  });

  it('links to the player when done and shows a failure', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob()]);
    renderWithStores(Progress, { id: 'job1' }, m);
    await screen.findByText('Synthesising line 3 of 12');
    m.emitJob(sampleJob({ state: 'done', progress: 1, podcastId: 'job1', stage: 'Ready' }));
    expect((await screen.findByRole('link', { name: 'Open the player' })).getAttribute('href')).toBe('#/podcast/job1');
  });

  it('resumes an interrupted job on the desktop', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob({ state: 'interrupted', stage: 'Stopped when the app closed' })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    await fireEvent.click(await screen.findByRole('button', { name: 'Resume' }));
    expect(m.api.generator.resume).toHaveBeenCalledWith('job1');
    expect(await screen.findByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(m.api.generator.watch).toHaveBeenCalledWith('job1', expect.any(Function));
  });

  it('offers no resume in a browser', async () => {
    const m = mockBackend('web');
    m.api.generator.jobs.mockResolvedValue([sampleJob({ state: 'failed', error: 'espeak-ng crashed' })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    expect((await screen.findByRole('alert')).textContent).toContain('espeak-ng crashed');
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it('says when the job does not exist', async () => {
    renderWithStores(Progress, { id: 'nope' });
    expect((await screen.findByRole('alert')).textContent).toContain('There is no such job');
  });
});

describe('Player', () => {
  it('highlights the line being played and seeks when a line is clicked', async () => {
    const { m } = renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() });
    await screen.findByRole('heading', { name: 'Rivers' });
    const transcript = screen.getByRole('region', { name: 'Transcript' });
    const lines = within(transcript).getAllByRole('button');
    expect(lines.map((l) => l.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Alex Welcome.', 'Sam Rivers shape the land.', 'Alex Deltas are fertile.', 'Sam Goodbye.']);
    m.emitPlayer(playerStatus({ state: 'playing', position: 6 }));
    await waitFor(() => expect(lines[1].getAttribute('aria-current')).toBe('true'));
    expect(lines[0].getAttribute('aria-current')).toBeNull();
    await fireEvent.click(lines[2]);
    expect(m.api.player.seek).toHaveBeenCalledWith(20);
    await waitFor(() => expect(lines[2].classList.contains('active')).toBe(true));
    const chapters = screen.getByRole('region', { name: 'Chapters' });
    await fireEvent.click(within(chapters).getByRole('button', { name: /Introduction/ }));
    expect(m.api.player.seek).toHaveBeenLastCalledWith(0);
  });

  it('plays and pauses with space and seeks with the arrows, but not while typing', async () => {
    const { m } = renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() });
    await screen.findByRole('heading', { name: 'Rivers' });
    await fireEvent.keyDown(window, { key: ' ' });
    expect(m.api.player.toggle).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(m.api.player.seek).toHaveBeenLastCalledWith(5);
    await fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await fireEvent.keyDown(screen.getByLabelText('New title'), { key: ' ' });
    expect(m.api.player.toggle).toHaveBeenCalledTimes(1);
  });

  it('has transport, speed and volume controls and says when there is no audio output', async () => {
    const { m } = renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() });
    await screen.findByRole('heading', { name: 'Rivers' });
    await fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(m.api.player.toggle).toHaveBeenCalled();
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeTruthy();
    await fireEvent.change(screen.getByLabelText('Speed'), { target: { value: '1.5' } });
    expect(m.api.player.setSpeed).toHaveBeenCalledWith(1.5);
    await fireEvent.input(screen.getByRole('slider', { name: 'Volume' }), { target: { value: '0.5' } });
    expect(m.api.player.setVolume).toHaveBeenCalledWith(0.5);
    m.api.player.toggle.mockRejectedValue(new Error('no audio output device found: open sound device: ALSA error'));
    await fireEvent.click(screen.getByRole('button', { name: /^(Play|Pause)$/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('No audio output device found');
    m.emitPlayer(playerStatus({ state: 'no-output', error: 'no audio output device found' }));
    expect((await screen.findByRole('status')).textContent).toContain('No audio output: connect speakers or headphones');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('exports on the desktop and deletes after confirming', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const onDeleted = vi.fn();
    const { m } = renderWithStores(Player, { id: 'p1', onDeleted });
    await screen.findByRole('heading', { name: 'Rivers' });
    await fireEvent.click(screen.getByRole('button', { name: 'Export the files' }));
    expect(await screen.findByText('Exported to /home/alice/Rivers')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(m.api.library.delete).toHaveBeenCalledWith('p1');
  });
});

describe('Templates', () => {
  it('lists templates, with edit only for user ones and copy for all', async () => {
    const m = mockBackend();
    m.api.templates.list.mockResolvedValue([sampleTemplate(), sampleTemplate({ id: 'mine', name: 'Mine', builtIn: false })]);
    renderWithStores(Templates, {}, m);
    const cards = await screen.findAllByRole('listitem');
    expect(within(cards[0]).queryByRole('link', { name: /Edit/ })).toBeNull();
    expect(within(cards[0]).getByRole('link', { name: /New from copy/ }).getAttribute('href')).toBe('#/templates/new?from=deep-dive');
    expect(within(cards[1]).getByRole('link', { name: /Edit/ }).getAttribute('href')).toBe('#/templates/mine');
  });

  it('edits a copy with validation messages at the field and saves it', async () => {
    const onSaved = vi.fn();
    const { m } = renderWithStores(TemplateEdit, { id: 'new', from: 'deep-dive', onSaved });
    const id = (await screen.findByLabelText('Id')) as HTMLInputElement;
    expect(id.value).toBe('deep-dive-copy');
    const name = screen.getAllByLabelText('Name')[0] as HTMLInputElement;
    expect(name.value).toBe('Deep dive (copy)');
    await fireEvent.input(id, { target: { value: 'Not OK' } });
    await fireEvent.input(screen.getByLabelText('Language'), { target: { value: 'english!' } });
    await waitFor(() => expect(document.getElementById('t-id-error')?.textContent).toContain('lower-case letters'));
    expect(id.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('t-lang-error')?.textContent).toContain('is not a language code');
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    expect(m.api.templates.save).not.toHaveBeenCalled();
    await fireEvent.input(id, { target: { value: 'my-show' } });
    await fireEvent.input(screen.getByLabelText('Language'), { target: { value: 'en' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('my-show'));
    expect(m.api.templates.save).toHaveBeenCalledWith(expect.objectContaining({ id: 'my-show', builtIn: false }), true);
  });

  it("puts the backend's problems at the speaker field", async () => {
    const m = mockBackend();
    m.api.templates.get.mockResolvedValue(sampleTemplate({ id: 'mine', builtIn: false }));
    m.api.templates.save.mockRejectedValue('{"code":"invalid_template","field":"speakers[1].name","message":"sounds like another speaker"}');
    renderWithStores(TemplateEdit, { id: 'mine', from: '', onSaved: vi.fn() }, m);
    await screen.findByDisplayValue('mine');
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(document.getElementById('sp-1-name-error')?.textContent).toBe('Sounds like another speaker'));
  });
});

describe('Settings: account', () => {
  it('changes the password after checking the new one at its fields', async () => {
    const m = mockBackend();
    m.api.auth.changePassword!.mockRejectedValueOnce(new AppError({ code: 'invalid_credentials', message: 'wrong password' }));
    renderWithStores(Settings, {}, m);
    await fireEvent.input(await screen.findByLabelText('Current password'), { target: { value: 'old-pass-1' } });
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(document.getElementById('pw-new-error')?.textContent).toBe('Use at least 8 characters.');
    expect(m.api.auth.changePassword).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'new-pass-12' } });
    await fireEvent.input(screen.getByLabelText('Repeat the new password'), { target: { value: 'new-pass-12' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong password');
    await fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/^Password changed\. You stay logged in here/)).toBeTruthy();
    expect(m.api.auth.changePassword).toHaveBeenLastCalledWith('old-pass-1', 'new-pass-12');
  });
});

describe('Sharing', () => {
  it('toggles the LAN server and shows the address, QR code and feed', async () => {
    const m = mockBackend();
    const off = { running: false, addr: '', urls: null, qrCode: '', feedUrl: '', tls: false, fingerprint: '', error: '' };
    const on = { ...off, running: true, addr: '0.0.0.0:8765', urls: ['http://192.168.1.20:8765'], qrCode: 'data:image/png;base64,AAAA', feedUrl: 'http://192.168.1.20:8765/feed.xml?key=k' };
    m.api.server!.status.mockResolvedValue(off);
    m.api.server!.start.mockResolvedValue(on);
    renderWithStores(Sharing, {}, m);
    const toggle = await screen.findByRole('switch', { name: 'Share on the local network' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    await fireEvent.click(toggle);
    await fireEvent.click(await screen.findByRole('link', { name: 'http://192.168.1.20:8765' }));
    expect(m.api.openURL).toHaveBeenCalledWith('http://192.168.1.20:8765');
    expect(screen.getByRole('img', { name: /QR code/ }).getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(screen.getByText('http://192.168.1.20:8765/feed.xml?key=k')).toBeTruthy();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Copy the feed URL' }));
    expect(writeText).toHaveBeenCalledWith('http://192.168.1.20:8765/feed.xml?key=k');
    expect(await screen.findByRole('button', { name: 'Copy the feed URL' })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy the feed URL' }).textContent).toBe('Copied'));
    writeText.mockRejectedValue(new Error('denied'));
    await fireEvent.click(screen.getByRole('button', { name: 'Copy http://192.168.1.20:8765' }));
    expect((await screen.findByRole('alert')).textContent).toContain('copy it by hand');
    m.api.server!.stop.mockRejectedValue(new Error('the server could not stop'));
    await fireEvent.click(toggle);
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent).join()).toContain('The server could not stop'));
  });

  it('asks the desktop user for a first password before sharing, then shares', async () => {
    const m = mockBackend();
    const off = { running: false, addr: '', urls: null, qrCode: '', feedUrl: '', tls: false, fingerprint: '', error: '' };
    const on = { ...off, running: true, addr: '0.0.0.0:8765', urls: ['http://192.168.1.20:8765'] };
    const why = 'Choose a password first: you will use it to log in from your phone or another computer.';
    m.api.server!.status.mockResolvedValue(off);
    m.api.server!.start.mockRejectedValueOnce(new AppError({ code: 'invalid_request', field: 'password', message: why })).mockResolvedValue(on);
    renderWithStores(Sharing, {}, m);
    await fireEvent.click(await screen.findByRole('switch', { name: 'Share on the local network' }));
    expect(await screen.findByText(why)).toBeTruthy();
    expect(screen.queryByLabelText('Current password')).toBeNull();
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'short' } });
    await fireEvent.input(screen.getByLabelText('Repeat the new password'), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Set the password and share' }));
    expect(await screen.findByText('Use at least 8 characters.')).toBeTruthy();
    expect(m.api.auth.changePassword).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'long enough' } });
    await fireEvent.input(screen.getByLabelText('Repeat the new password'), { target: { value: 'long enough' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Set the password and share' }));
    await waitFor(() => expect(m.api.auth.changePassword).toHaveBeenCalledWith('', 'long enough'));
    expect(await screen.findByRole('link', { name: 'http://192.168.1.20:8765' })).toBeTruthy();
    expect(m.api.server!.start).toHaveBeenCalledTimes(2);
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
