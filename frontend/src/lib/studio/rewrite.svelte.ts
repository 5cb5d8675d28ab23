// Rewriting one line or one chapter with the writer (Ollama): the part
// asked for, the proposal it came back with, and accepting or rejecting it.
// The server rewrites the saved script, so a part is named by where it sits
// in the saved script; a line added here has no such place and cannot be
// rewritten before it is saved. Without Ollama the server answers
// writer_unavailable with its reason, and rewriting is shown as unavailable.

import { errorMessage, toAppError, type ScriptLine } from '../api';
import type { ScriptEditor } from './editor.svelte';
import { replaceLines } from './model';

export const unavailableCode = 'writer_unavailable';

/** A part of the script: a chapter, or a line of it, by key. */
export interface RewriteTarget {
  chapterKey: number;
  lineKey: number | null;
}

export class Rewriter {
  /** The part whose rewrite box is open. */
  target = $state<RewriteTarget | null>(null);
  busy = $state(false);
  error = $state('');
  /** Why rewriting cannot be done here (no Ollama), once the server said so. */
  unavailable = $state('');
  proposal = $state<ScriptLine[] | null>(null);

  constructor(private readonly editor: ScriptEditor) {}

  /** Opens the rewrite box of a part (closing any other). */
  open(t: RewriteTarget): void {
    this.target = t;
    this.proposal = null;
    this.error = '';
  }

  close(): void {
    this.target = null;
    this.proposal = null;
    this.error = '';
  }

  isOpen(chapterKey: number, lineKey: number | null): boolean {
    return this.target?.chapterKey === chapterKey && this.target.lineKey === lineKey;
  }

  /** Where the part sits in the saved script, or why it cannot be rewritten. */
  where(t: RewriteTarget): { chapter: number; line?: number } | string {
    const s = this.editor.edit;
    const ch = s?.chapters.find((c) => c.key === t.chapterKey);
    if (!ch) return 'This part is no longer in the script.';
    if (t.lineKey === null) return ch.origin === null ? 'This chapter is new: save it before asking for a rewrite.' : { chapter: ch.origin };
    const line = ch.lines.find((l) => l.key === t.lineKey);
    if (!line) return 'This line is no longer in the script.';
    return line.origin === null ? 'This line is new: save it before asking for a rewrite.' : { chapter: line.origin.chapter, line: line.origin.line };
  }

  /** Asks the writer for a proposal for the open part. */
  async ask(instruction: string): Promise<void> {
    const t = this.target;
    if (!t || this.busy) return;
    const where = this.where(t);
    if (typeof where === 'string') {
      this.error = where;
      return;
    }
    if (instruction.trim() === '') {
      this.error = 'Say how to rewrite it.';
      return;
    }
    this.busy = true;
    this.error = '';
    this.proposal = null;
    try {
      const p = await this.editor.studio.rewrite(this.editor.id, { ...where, instruction: instruction.trim() });
      if (this.target === t) this.proposal = p.lines;
    } catch (err) {
      const e = toAppError(err);
      if (e.code === unavailableCode || e.status === 503) this.unavailable = errorMessage(e);
      else this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  /** Puts the proposal in place of the part (not saved until the script is). */
  accept(): void {
    const t = this.target;
    const s = this.editor.edit;
    if (!t || !s || !this.proposal) return;
    const ci = s.chapters.findIndex((c) => c.key === t.chapterKey);
    if (ci < 0) return;
    const li = t.lineKey === null ? null : s.chapters[ci].lines.findIndex((l) => l.key === t.lineKey);
    if (li === -1) return;
    replaceLines(s, ci, li, this.proposal);
    this.editor.touched({ kind: t.lineKey === null ? 'chapter' : 'line', key: t.lineKey ?? t.chapterKey });
    this.close();
  }
}
