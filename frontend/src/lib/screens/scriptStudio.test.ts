import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../api';
import { mockBackend, sampleJob } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import Player from './Player.svelte';
import ScriptStudio from './ScriptStudio.svelte';

afterEach(() => vi.restoreAllMocks());
// Whole screens render slowly on a busy machine; nothing here waits on time.
vi.setConfig({ testTimeout: 30_000 });

function open(m = mockBackend('web')) {
  type Guard = (proceed: () => void) => boolean;
  const guards: Guard[] = [];
  const onPlay = vi.fn();
  const r = renderWithStores(ScriptStudio, { id: 'p1', guard: (f: Guard) => (guards.push(f), () => guards.splice(guards.indexOf(f), 1)), onPlay }, m);
  return { ...r, guards, onPlay };
}

const text = (n: number) => screen.getByLabelText(`Text of line ${n}`) as HTMLTextAreaElement;

describe('ScriptStudio', () => {
  it('edits a line, shows the server’s problem at that line, then saves and re-voices', async () => {
    const { m, onPlay } = open();
    await waitFor(() => expect(text(3).value).toBe('Deltas are fertile.'));
    const save = screen.getByRole('button', { name: 'Save and re-voice' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await fireEvent.input(text(3), { target: { value: 'Deltas feed millions.' } });
    expect(save.disabled).toBe(false);
    expect(screen.getByText(/about 1 of 4 lines to re-voice/)).toBeTruthy();

    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'invalid_script', field: 'chapters[1].lines[0].text', message: 'contains a word the voice cannot say' }, 400));
    await fireEvent.click(save);
    const err = await screen.findByText('Contains a word the voice cannot say');
    expect(text(3).getAttribute('aria-describedby')).toBe(err.id);
    expect(text(3).getAttribute('aria-invalid')).toBe('true');

    await fireEvent.input(text(3), { target: { value: 'Deltas feed many millions.' } });
    expect(screen.queryByText('Contains a word the voice cannot say')).toBeNull();
    await fireEvent.click(save);
    expect(m.api.studio.save).toHaveBeenLastCalledWith('p1', '"v1"', expect.objectContaining({ version: 1 }));
    // While it re-voices nothing can be edited.
    await waitFor(() => expect(text(3).disabled).toBe(true));
    m.emitJob(sampleJob({ id: 'job2', state: 'synthesising', progress: 0.5, segmentsSynthesised: 1, segmentsReused: 2 }));
    expect(await screen.findByText('1 line re-voiced, 2 reused so far')).toBeTruthy();

    m.api.studio.script.mockResolvedValue({ doc: { ...(await m.api.studio.script.mock.results[0].value).doc, version: 2 }, etag: '"v2"' });
    m.emitJob(sampleJob({ id: 'job2', state: 'done', progress: 1, podcastId: 'p1', segmentsSynthesised: 1, segmentsReused: 3 }));
    expect((await screen.findByTestId('revoice-result')).textContent).toBe('Version 2 is ready: 1 line re-voiced, 3 reused.');
    await fireEvent.click(screen.getByRole('button', { name: 'Play the new version' }));
    await waitFor(() => expect(onPlay).toHaveBeenCalled());
    expect(m.api.player.play).toHaveBeenCalled();
  });

  it('checks as you type: an unknown speaker and an empty line are marked at the line and keep the script back', async () => {
    const { m } = open();
    await waitFor(() => text(1));
    await fireEvent.input(text(1), { target: { value: '  ' } });
    expect(screen.getByText('Is empty: write what is said, or delete the line').id).toBe(text(1).getAttribute('aria-describedby'));
    await fireEvent.input(text(2), { target: { value: 'Hello *waves*.' } });
    expect(screen.getByText(/Contains asterisks/)).toBeTruthy();
    // A hint is not an error.
    expect(text(2).getAttribute('aria-invalid')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Save and re-voice' }));
    expect(m.api.studio.save).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('Fix the marked problem first.');
    expect(document.activeElement).toBe(text(1));
  });

  it('moves, adds and deletes lines from the keyboard and splits and joins chapters', async () => {
    open();
    await waitFor(() => text(1));
    text(1).focus();
    await fireEvent.keyDown(text(1), { key: 'ArrowDown', altKey: true });
    expect(text(1).value).toBe('Rivers shape the land.');
    expect(text(2).value).toBe('Welcome.');
    await waitFor(() => expect(document.activeElement).toBe(text(2)));

    await fireEvent.keyDown(text(2), { key: 'Enter', altKey: true });
    expect(text(3).value).toBe('');
    expect((screen.getByLabelText('Speaker of line 3') as HTMLSelectElement).value).toBe('Sam');
    await waitFor(() => expect(document.activeElement).toBe(text(3)));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete line 3' }));
    expect(text(3).value).toBe('Deltas are fertile.');

    expect(screen.getAllByTestId('script-chapter')).toHaveLength(2);
    await fireEvent.click(screen.getByRole('button', { name: 'Start a new chapter at line 4' }));
    const chapters = screen.getAllByTestId('script-chapter');
    expect(chapters).toHaveLength(3);
    expect((within(chapters[2]).getByLabelText('Chapter 3') as HTMLInputElement).value).toBe('New chapter');
    await fireEvent.click(within(chapters[2]).getByRole('button', { name: 'Join to chapter 2' }));
    expect(screen.getAllByTestId('script-chapter')).toHaveLength(2);
    await fireEvent.click(screen.getByRole('button', { name: 'Start chapter 2 one line earlier' }));
    expect(within(screen.getAllByTestId('script-chapter')[1]).getAllByTestId('script-line')).toHaveLength(3);
  });

  it('asks in the app before leaving with unsaved edits: keep editing, then discard', async () => {
    const { guards } = open();
    await waitFor(() => text(1));
    expect(guards).toHaveLength(1);
    const proceed = vi.fn();
    expect(guards[0](proceed)).toBe(true);
    await fireEvent.input(text(1), { target: { value: 'Hi.' } });
    expect(guards[0](proceed)).toBe(false);
    const dialog = await screen.findByRole('alertdialog', { name: 'Leave without saving?' });
    // The safe answer has the focus; Escape keeps editing.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep editing' }));
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(proceed).not.toHaveBeenCalled();
    expect(text(1).value).toBe('Hi.');

    expect(guards[0](proceed)).toBe(false);
    await fireEvent.click(await screen.findByRole('button', { name: 'Discard edits' }));
    await waitFor(() => expect(proceed).toHaveBeenCalledTimes(1));
    // A tab closed or reloaded asks through the browser.
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('saves and then leaves when the person chooses to', async () => {
    const { m, guards } = open();
    await waitFor(() => text(1));
    await fireEvent.input(text(1), { target: { value: 'Hi.' } });
    const proceed = vi.fn();
    expect(guards[0](proceed)).toBe(false);
    await fireEvent.click(await screen.findByRole('button', { name: 'Save and leave' }));
    await waitFor(() => expect(proceed).toHaveBeenCalledTimes(1));
    expect(m.api.studio.save).toHaveBeenCalledTimes(1);
    // The re-voice holds the edits now: leaving and closing the tab ask nothing.
    expect(guards[0](vi.fn())).toBe(true);
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('keeps the desktop window open over unsaved edits and closes it once they are saved', async () => {
    const { m } = open(mockBackend('desktop'));
    await waitFor(() => text(1));
    await waitFor(() => expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(false));
    await fireEvent.input(text(1), { target: { value: 'Hi.' } });
    await waitFor(() => expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(true));

    m.requestClose();
    await screen.findByRole('alertdialog', { name: 'Close podcastfy with unsaved edits?' });
    await fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect(m.api.window!.close).not.toHaveBeenCalled();

    m.requestClose();
    await fireEvent.click(await screen.findByRole('button', { name: 'Save and close' }));
    await waitFor(() => expect(m.api.window!.close).toHaveBeenCalledTimes(1));
    expect(m.api.studio.save).toHaveBeenCalledTimes(1);
  });

  it('offers to reload or save over a script someone else changed, keeping the edits on screen', async () => {
    const { m } = open();
    await waitFor(() => text(1));
    await fireEvent.input(text(1), { target: { value: 'Mine.' } });
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'precondition_failed', message: 'changed' }, 412));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and re-voice' }));
    await screen.findByText(/Someone changed this script/);
    expect(text(1).value).toBe('Mine.');
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Load theirs' }));
    await waitFor(() => expect(text(1).value).toBe('Welcome.'));
  });

  it('lists versions and restores one', async () => {
    const m = mockBackend('web');
    m.api.studio.versions.mockResolvedValue({
      current: 2,
      versions: [
        { version: 1, createdAt: '2026-11-25T10:00:00Z', duration: 60, lines: 4, words: 40, current: false },
        { version: 2, createdAt: '2026-11-25T11:00:00Z', duration: 61, lines: 4, words: 41, current: true },
      ],
    });
    open(m);
    const restore = await screen.findByRole('button', { name: 'Restore version 1' });
    expect(screen.getAllByTestId('version').map((v) => v.textContent)).toEqual([expect.stringContaining('Version 2'), expect.stringContaining('Version 1')]);
    await fireEvent.click(restore);
    await waitFor(() => expect(m.api.studio.restore).toHaveBeenCalledWith('p1', 1));
    await waitFor(() => expect(m.api.studio.script).toHaveBeenCalledTimes(2));
  });

  it('shows rewriting as unavailable without Ollama, with the server’s reason', async () => {
    const { m } = open();
    await waitFor(() => text(1));
    m.api.studio.rewrite.mockRejectedValue(new AppError({ code: 'writer_unavailable', message: 'Ollama is not reachable at http://127.0.0.1:11434' }, 503));
    await fireEvent.click(screen.getByRole('button', { name: 'Rewrite line 1' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Propose' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Rewrite line 2' }) as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getAllByText(/Ollama is not reachable/).length).toBeGreaterThan(0);
    expect(screen.getAllByText('Rewrite needs Ollama.').length).toBeGreaterThan(0);
  });

  it('shows a rewrite proposal and puts it in when used', async () => {
    const { m } = open();
    await waitFor(() => text(1));
    m.api.studio.rewrite.mockResolvedValue({ lines: [{ speaker: 'Alex', text: 'Hi, and welcome.' }] });
    await fireEvent.click(screen.getByRole('button', { name: 'Rewrite line 1' }));
    await fireEvent.change(screen.getByLabelText('Make line 1'), { target: { value: 'custom' } });
    await fireEvent.input(screen.getByLabelText('Instruction'), { target: { value: 'warmer' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Propose' }));
    await waitFor(() => expect(m.api.studio.rewrite).toHaveBeenCalled());
    expect((await screen.findByTestId('rewrite-proposal')).textContent).toContain('Hi, and welcome.');
    expect(m.api.studio.rewrite).toHaveBeenCalledWith('p1', { chapter: 0, line: 0, instruction: 'warmer' });
    expect(text(1).value).toBe('Welcome.');
    await fireEvent.click(screen.getByRole('button', { name: 'Use this' }));
    expect(text(1).value).toBe('Hi, and welcome.');
  });
});

describe('Player', () => {
  it('links to the script editor where the backend has a studio', async () => {
    renderWithStores(Player, { id: 'p1', onDeleted: () => {} }, mockBackend('web'));
    expect((await screen.findByRole('link', { name: 'Edit script' })).getAttribute('href')).toBe('#/podcast/p1/script');
  });

  it('offers no editor where it has none', async () => {
    const m = mockBackend('desktop');
    (m.api as { studio: unknown }).studio = null;
    renderWithStores(Player, { id: 'p1', onDeleted: () => {} }, m);
    await screen.findByRole('heading', { name: 'Rivers' });
    expect(screen.queryByRole('link', { name: 'Edit script' })).toBeNull();
  });
});
