import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../api';
import { createStores } from '../stores';
import { mockBackend, sampleDetail, sampleJob, sampleScript } from '../testing/mockBackend';
import { ScriptEditor } from './editor.svelte';
import { insertLine, moveLine } from './model';
import { Rewriter } from './rewrite.svelte';

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

async function opened(kind: 'desktop' | 'web' = 'web') {
  const m = mockBackend(kind);
  const stores = createStores(m.backend);
  const editor = new ScriptEditor(m.backend, stores.jobs, stores.player, 'p1');
  cleanup.push(() => editor.dispose());
  await editor.load();
  return { m, stores, editor };
}

describe('ScriptEditor', () => {
  it('reads the script and is clean until edited', async () => {
    const { m, editor } = await opened();
    expect(m.api.studio.script).toHaveBeenCalledWith('p1');
    expect(editor.base?.version).toBe(1);
    expect(editor.dirty).toBe(false);
    editor.edit!.chapters[0].lines[0].text = 'Welcome back.';
    expect(editor.dirty).toBe(true);
    expect(editor.estimate).toEqual({ revoice: 1, reuse: 3 });
  });

  it('saves with the tag it read, follows the re-voice and reads the new version when it is done', async () => {
    const { m, stores, editor } = await opened();
    await stores.player.open('p1');
    editor.edit!.chapters[1].lines[0].text = 'Deltas feed millions.';
    expect(await editor.save()).toBe(true);
    const [id, etag, doc] = m.api.studio.save.mock.calls[0];
    expect([id, etag]).toEqual(['p1', '"v1"']);
    expect(doc.chapters[1].lines[0]).toEqual({ speaker: 'Alex', text: 'Deltas feed millions.' });
    expect(doc).not.toHaveProperty('chapters.0.key');
    expect(editor.revoicing).toBe(true);

    m.emitJob(sampleJob({ id: 'job2', state: 'synthesising', segmentsSynthesised: 1, segmentsReused: 2 }));
    expect(editor.job?.segmentsReused).toBe(2);

    const v2 = sampleScript({ version: 2 });
    v2.chapters[1].lines[0].text = 'Deltas feed millions.';
    m.api.studio.script.mockResolvedValue({ doc: v2, etag: '"v2"' });
    m.emitJob(sampleJob({ id: 'job2', state: 'done', progress: 1, podcastId: 'p1', segmentsSynthesised: 1, segmentsReused: 3 }));
    await vi.waitFor(() => expect(editor.result).toEqual({ version: 2, synthesised: 1, reused: 3 }));
    expect(editor.revoicing).toBe(false);
    expect(editor.dirty).toBe(false);

    // The player opens the new version afresh, not the one it held.
    const loads = m.api.library.get.mock.calls.length;
    await editor.playNew();
    expect(m.api.library.get.mock.calls.length).toBe(loads + 1);
    expect(m.api.player.play).toHaveBeenCalled();

    // The next save quotes the new tag.
    editor.edit!.chapters[0].lines[0].text = 'Hello.';
    await editor.save();
    expect(m.api.studio.save.mock.calls[1][1]).toBe('"v2"');
  });

  it('keeps the edits when the re-voice fails', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[0].lines[0].text = 'Hello.';
    await editor.save();
    m.emitJob(sampleJob({ id: 'job2', state: 'failed', error: 'espeak-ng crashed' }));
    await vi.waitFor(() => expect(editor.error).toBe('espeak-ng crashed'));
    expect(editor.edit!.chapters[0].lines[0].text).toBe('Hello.');
    expect(editor.dirty).toBe(true);
    expect(m.api.studio.script).toHaveBeenCalledTimes(1);
  });

  it('does not send a script with a line the server would refuse', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[0].lines[0].text = '';
    expect(await editor.save()).toBe(false);
    expect(editor.error).toBe('Fix the marked problem first.');
    expect(m.api.studio.save).not.toHaveBeenCalled();
    // A speakable-text hint does not keep it back: the server decides.
    editor.edit!.chapters[0].lines[0].text = 'Welcome [music].';
    expect(editor.at('chapters[0].lines[0].text')[0].hint).toBe(true);
    expect(await editor.save()).toBe(true);
  });

  it('shows the server’s field error at its line, and keeps it there when lines move', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[1].lines[1].text = 'Goodbye, friends.';
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'invalid_script', field: 'chapters[1].lines[1].text', message: 'reads badly' }, 400));
    expect(await editor.save()).toBe(false);
    expect(editor.at('chapters[1].lines[1].text').map((p) => p.message)).toEqual(['reads badly']);
    const key = editor.edit!.chapters[1].lines[1].key;
    moveLine(editor.edit!, 1, 1, -1);
    expect(editor.at('chapters[1].lines[1].text')).toEqual([]);
    expect(editor.at('chapters[1].lines[0].text').map((p) => p.message)).toEqual(['reads badly']);
    // Changing the line clears it: the next save will say.
    editor.touched({ kind: 'line', key });
    expect(editor.at('chapters[1].lines[0].text')).toEqual([]);
  });

  it('shows a field the screen does not show as a general problem', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[0].lines[0].text = 'Hi.';
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'invalid_script', field: 'language', message: 'is not supported' }, 400));
    await editor.save();
    expect(editor.general).toEqual(['language: is not supported']);
  });

  it('keeps the edits on a stale tag, and saves them over the newer script when asked', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[0].lines[0].text = 'Mine.';
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'precondition_failed', message: 'the script changed' }, 412));
    expect(await editor.save()).toBe(false);
    expect(editor.stale).toBe(true);
    expect(editor.edit!.chapters[0].lines[0].text).toBe('Mine.');
    m.api.studio.script.mockResolvedValue({ doc: sampleScript({ version: 2 }), etag: '"v2"' });
    expect(await editor.saveOverLatest()).toBe(true);
    expect(editor.stale).toBe(false);
    const [, etag, doc] = m.api.studio.save.mock.calls[1];
    expect(etag).toBe('"v2"');
    expect(doc.version).toBe(2);
    expect(doc.chapters[0].lines[0].text).toBe('Mine.');
  });

  it('reads a stale tag from the desktop, which has no HTTP status', async () => {
    const { m, editor } = await opened('desktop');
    editor.edit!.chapters[0].lines[0].text = 'Mine.';
    m.api.studio.save.mockRejectedValueOnce(JSON.stringify({ code: 'precondition_failed', message: 'the script changed since it was read' }));
    await editor.save();
    expect(editor.stale).toBe(true);
  });

  it('says so while a re-voice is running', async () => {
    const { m, editor } = await opened();
    editor.edit!.chapters[0].lines[0].text = 'Mine.';
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'job_running', message: 'busy' }, 409));
    await editor.save();
    expect(editor.busy).toBe(true);
    expect(editor.dirty).toBe(true);
  });

  it('lists the episode’s voices on the desktop', async () => {
    const m = mockBackend('desktop');
    m.api.voices!.list.mockResolvedValue([{ id: 'en-us+m3', name: 'US male' }]);
    const stores = createStores(m.backend);
    const editor = new ScriptEditor(m.backend, stores.jobs, stores.player, 'p1');
    cleanup.push(() => editor.dispose());
    await editor.load();
    await vi.waitFor(() => expect(editor.voices).toHaveLength(1));
    expect(m.api.voices!.list).toHaveBeenCalledWith(sampleDetail().podcast.tts, 'en');
  });
});

describe('Rewriter', () => {
  it('asks for a saved line by its place in the saved script and puts the accepted proposal in', async () => {
    const { m, editor } = await opened();
    const r = new Rewriter(editor);
    insertLine(editor.edit!, 0, 0);
    const ch = editor.edit!.chapters[0];
    const target = ch.lines[2];
    r.open({ chapterKey: ch.key, lineKey: target.key });
    m.api.studio.rewrite.mockResolvedValue({ lines: [{ speaker: 'Sam', text: 'Rivers carve the land.' }] });
    await r.ask('shorter');
    expect(m.api.studio.rewrite).toHaveBeenCalledWith('p1', { chapter: 0, line: 1, instruction: 'shorter' });
    expect(r.proposal).toEqual([{ speaker: 'Sam', text: 'Rivers carve the land.' }]);
    expect(ch.lines[2].text).toBe('Rivers shape the land.');
    r.accept();
    expect(ch.lines[2].text).toBe('Rivers carve the land.');
    expect(r.target).toBeNull();
  });

  it('rewrites a whole chapter', async () => {
    const { m, editor } = await opened();
    const r = new Rewriter(editor);
    const ch = editor.edit!.chapters[1];
    r.open({ chapterKey: ch.key, lineKey: null });
    await r.ask('  simpler ');
    expect(m.api.studio.rewrite).toHaveBeenCalledWith('p1', { chapter: 1, instruction: 'simpler' });
    r.accept();
    expect(ch.lines.map((l) => l.text)).toEqual(['Hello.']);
  });

  it('cannot rewrite a line that was never saved', async () => {
    const { m, editor } = await opened();
    const r = new Rewriter(editor);
    const key = insertLine(editor.edit!, 0, 0);
    r.open({ chapterKey: editor.edit!.chapters[0].key, lineKey: key });
    await r.ask('shorter');
    expect(r.error).toContain('save it');
    expect(m.api.studio.rewrite).not.toHaveBeenCalled();
  });

  it('shows why rewriting is unavailable without Ollama, and nothing changes', async () => {
    const { m, editor } = await opened();
    const r = new Rewriter(editor);
    const ch = editor.edit!.chapters[0];
    r.open({ chapterKey: ch.key, lineKey: ch.lines[0].key });
    m.api.studio.rewrite.mockRejectedValue(new AppError({ code: 'writer_unavailable', message: 'Ollama is not reachable at http://127.0.0.1:11434' }, 503));
    await r.ask('shorter');
    expect(r.unavailable).toBe('Ollama is not reachable at http://127.0.0.1:11434');
    expect(r.proposal).toBeNull();
    expect(editor.dirty).toBe(false);
  });
});
