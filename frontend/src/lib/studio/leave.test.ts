import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../api';
import { createStores } from '../stores';
import { mockBackend } from '../testing/mockBackend';
import { ScriptEditor } from './editor.svelte';
import { LeaveGuard } from './leave.svelte';

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

// A loaded editor over a mock backend, and the guard the studio screen makes over it.
async function opened(kind: 'desktop' | 'web' = 'desktop') {
  const m = mockBackend(kind);
  const stores = createStores(m.backend);
  const editor = new ScriptEditor(m.backend, stores.jobs, stores.player, 'p1');
  cleanup.push(() => editor.dispose());
  await editor.load();
  const guard = new LeaveGuard(editor, () => editor.save(), m.backend.window);
  const edit = () => (editor.edit!.chapters[0].lines[0].text = 'Welcome back.');
  return { m, editor, guard, edit };
}

describe('LeaveGuard', () => {
  it('lets the person leave at once when nothing is unsaved', async () => {
    const { guard } = await opened();
    const proceed = vi.fn();
    expect(guard.mayLeave(proceed)).toBe(true);
    expect(guard.asking).toBeNull();
    expect(proceed).not.toHaveBeenCalled();
  });

  it.each([
    { choice: 'stay' as const, leaves: false, saves: false },
    { choice: 'discard' as const, leaves: true, saves: false },
    { choice: 'save' as const, leaves: true, saves: true },
  ])('asks before leaving with unsaved edits; "$choice" leaves: $leaves', async ({ choice, leaves, saves }) => {
    const { m, guard, edit } = await opened('web');
    edit();
    const proceed = vi.fn();
    expect(guard.mayLeave(proceed)).toBe(false);
    expect(guard.asking).toBe('navigate');
    await guard.choose(choice);
    expect(guard.asking).toBeNull();
    expect(proceed).toHaveBeenCalledTimes(leaves ? 1 : 0);
    expect(m.api.studio.save).toHaveBeenCalledTimes(saves ? 1 : 0);
  });

  it('stays, with the editor saying why, when the save is refused', async () => {
    const { m, editor, guard, edit } = await opened('web');
    edit();
    m.api.studio.save.mockRejectedValueOnce(new AppError({ code: 'precondition_failed', message: 'changed' }, 412));
    const proceed = vi.fn();
    guard.mayLeave(proceed);
    await guard.choose('save');
    expect(proceed).not.toHaveBeenCalled();
    expect(editor.stale).toBe(true);
    expect(guard.asking).toBeNull();
    expect(guard.unsaved).toBe(true);
  });

  it('does not ask while the re-voice of the saved edits runs', async () => {
    const { guard, editor, edit } = await opened();
    edit();
    expect(await editor.save()).toBe(true);
    // The re-voice runs with the edits sent; the screen still shows them.
    expect(editor.dirty).toBe(true);
    expect(editor.revoicing).toBe(true);
    expect(guard.unsaved).toBe(false);
    expect(guard.mayLeave(vi.fn())).toBe(true);
  });

  it('tells the desktop window about unsaved edits, and nothing once the studio closes', async () => {
    const { m, guard, edit } = await opened();
    guard.report();
    expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(false);
    edit();
    guard.report();
    expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(true);
    guard.dispose();
    expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(false);
  });

  it.each([
    { choice: 'stay' as const, closes: false, saves: false },
    { choice: 'discard' as const, closes: true, saves: false },
    { choice: 'save' as const, closes: true, saves: true },
  ])('answers a close of the window at once and closes it on "$choice": $closes', async ({ choice, closes, saves }) => {
    const { m, guard, edit } = await opened();
    edit();
    guard.closeRequested();
    // The answer that keeps the window from closing on a second request.
    expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(true);
    expect(guard.asking).toBe('close');
    expect(m.api.window!.close).not.toHaveBeenCalled();
    await guard.choose(choice);
    expect(m.api.window!.close).toHaveBeenCalledTimes(closes ? 1 : 0);
    expect(m.api.studio.save).toHaveBeenCalledTimes(saves ? 1 : 0);
  });

  it('closes the window without asking when the edits were saved meanwhile', async () => {
    const { m, guard } = await opened();
    guard.closeRequested();
    expect(guard.asking).toBeNull();
    expect(m.api.window!.setUnsavedEdits).toHaveBeenLastCalledWith(false);
    expect(m.api.window!.close).toHaveBeenCalledTimes(1);
  });
});
