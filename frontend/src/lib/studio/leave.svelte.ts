// Leaving the script studio with unsaved edits: the question asked in the
// app (save, discard, or keep editing) before the route changes or the
// desktop window closes, and what each answer does. A browser tab being
// closed or reloaded is beforeunload's: a browser lets a page ask nothing
// else there.

import type { WindowPort } from '../api';

export type LeaveChoice = 'save' | 'discard' | 'stay';

/** Why the person is leaving: another screen of the app, or closing the desktop window. */
export type LeaveReason = 'navigate' | 'close';

/** What the guard reads of the editor. */
export interface EditsState {
  readonly dirty: boolean;
  /** A re-voice is running: the edits it voices are saved already. */
  readonly revoicing: boolean;
}

export class LeaveGuard {
  /** The question on screen; null when none is asked. */
  asking = $state<LeaveReason | null>(null);
  /** A save chosen in the question is running. */
  saving = $state(false);
  private then: (() => void) | null = null;

  constructor(
    private readonly editor: EditsState,
    /** Saves the edits; false when nothing was saved (the problems are shown in the editor). */
    private readonly save: () => Promise<boolean>,
    private readonly win: WindowPort | null,
  ) {}

  /** True while leaving would lose edits. */
  get unsaved(): boolean {
    return this.editor.dirty && !this.editor.revoicing;
  }

  /** The router's check: true to leave now; else asks, and leaves through proceed once the person chose to. */
  mayLeave = (proceed: () => void): boolean => {
    if (!this.unsaved) return true;
    this.ask('navigate', proceed);
    return false;
  };

  /** The desktop window was asked to close while it was told of unsaved edits. */
  closeRequested = (): void => {
    const win = this.win;
    if (!win) return;
    // Answer at once: the window closes on a second request to a page that
    // never answered (a hung page must not hold it open).
    void win.setUnsavedEdits(this.unsaved);
    if (!this.unsaved) {
      void win.close();
      return;
    }
    this.ask('close', () => void win.close());
  };

  /** Acts on the person's answer to the question on screen. */
  async choose(choice: LeaveChoice): Promise<void> {
    const then = this.then;
    if (this.asking === null || then === null || this.saving) return;
    if (choice === 'save') {
      this.saving = true;
      let saved = false;
      try {
        saved = await this.save();
      } finally {
        this.saving = false;
      }
      if (!saved) {
        // Stay, with the editor showing why it could not save.
        this.done();
        return;
      }
    }
    this.done();
    if (choice !== 'stay') then();
  }

  /** Tells the desktop window whether closing now would lose edits (call it whenever that may change). */
  report(): void {
    void this.win?.setUnsavedEdits(this.unsaved);
  }

  /** The studio is closing: nothing of it is left unsaved for the window to guard. */
  dispose(): void {
    void this.win?.setUnsavedEdits(false);
  }

  private ask(reason: LeaveReason, then: () => void): void {
    this.asking = reason;
    this.then = then;
  }

  private done(): void {
    this.asking = null;
    this.then = null;
  }
}
