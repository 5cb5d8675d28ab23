// The script editor of one podcast: the saved script and the edits made to
// it, the problems found as the user types and those the server reported
// (pinned to their line), saving with the tag read (a stale tag is offered
// a reload or a save over it, the edits kept on screen), the re-voice job
// that a save starts, and the versions kept.

import { errorMessage, jobRunning, toAppError, type AppError, type Backend, type JobStatus, type ScriptDoc, type StudioPort, type Voice } from '../api';
import type { JobsStore } from '../stores/jobs.svelte';
import type { PlayerStore } from '../stores/player.svelte';
import { checkScript, type Check } from './check';
import { isDirty, revoiceEstimate } from './diff';
import { pathNow, pin, type PinnedProblem } from './fieldPath';
import { fromDoc, toDoc, type EditState } from './model';

/**
 * The error codes (and HTTP statuses) of a save the server turned down for
 * a reason other than the script: the tag is no longer current (412), or
 * the podcast is being re-voiced (409). The desktop has codes only.
 */
export const staleCode = 'precondition_failed';
export const busyCode = 'job_running';

export function isStale(e: AppError): boolean {
  return e.status === 412 || e.code === staleCode;
}

export function isBusy(e: AppError): boolean {
  return e.status === 409 || e.code === busyCode;
}

/** What the last re-voice did, once it is done. */
export interface RevoiceResult {
  version: number;
  synthesised: number;
  reused: number;
}

export class ScriptEditor {
  /** The script as last read from the server. */
  base = $state<ScriptDoc | null>(null);
  /** The script being edited; null until it is read. */
  edit = $state<EditState | null>(null);
  loading = $state(false);
  /** A failure that concerns no field. */
  error = $state('');
  /** The server's problems with the script last sent, pinned to their lines. */
  serverProblems = $state<PinnedProblem[]>([]);
  /** The script changed on the server since it was read (a save got 412). */
  stale = $state(false);
  /** A re-voice of this podcast is running already (a save got 409). */
  busy = $state(false);
  saving = $state(false);
  /** The re-voice job of the last save. */
  jobId = $state('');
  result = $state<RevoiceResult | null>(null);
  /** Voices the episode's speech engine offers (desktop); empty where they cannot be listed. */
  voices = $state<Voice[]>([]);
  /** The backend's studio (the editor is made only where there is one). */
  readonly studio: StudioPort;
  private etag = '';
  private offFinished: () => void;

  readonly checks: Check[] = $derived(this.edit ? checkScript(this.edit) : []);
  readonly dirty: boolean = $derived(this.base && this.edit ? isDirty(this.base, this.edit) : false);
  readonly estimate = $derived(this.base && this.edit ? revoiceEstimate(this.base, this.edit) : { revoice: 0, reuse: 0 });
  /** Every problem by its field path now, the server's first. */
  readonly problems: Map<string, Check[]> = $derived(this.index());

  constructor(
    private readonly api: Backend,
    private readonly jobs: JobsStore,
    private readonly player: PlayerStore,
    readonly id: string,
  ) {
    if (!api.studio) throw new Error('ScriptEditor: this backend has no script studio');
    this.studio = api.studio;
    this.offFinished = jobs.onFinished((s) => void this.finished(s));
  }

  get job(): JobStatus | undefined {
    return this.jobId ? this.jobs.byId[this.jobId] : undefined;
  }

  /** True while the last save's re-voice runs: the script cannot be edited meanwhile. */
  get revoicing(): boolean {
    const j = this.job;
    return j !== undefined && jobRunning(j.state);
  }

  /** Problems at one field path. */
  at(field: string): Check[] {
    return this.problems.get(field) ?? [];
  }

  /** Problems that keep the script from being sent (hints do not). */
  get blocking(): Check[] {
    return this.checks.filter((c) => !c.hint);
  }

  /** The server's problems that name no field still on screen. */
  get general(): string[] {
    const s = this.edit;
    return s ? this.serverProblems.filter((p) => pathNow(s, p) === '').map((p) => (p.anchor.kind === 'script' && p.prop ? `${p.prop}: ${p.message}` : p.message)) : [];
  }

  /** Reads the script (again), dropping the edits. */
  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const { doc, etag } = await this.studio.script(this.id);
      this.base = doc;
      this.etag = etag;
      this.edit = fromDoc(doc);
      this.serverProblems = [];
      this.stale = false;
      this.busy = false;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
    void this.loadVoices();
  }

  /** Forgets the server's problems with a line, a chapter or a speaker once the user changes it. */
  touched(anchor: { kind: 'line' | 'chapter'; key: number } | { kind: 'speaker'; index: number }): void {
    const same = (p: PinnedProblem) =>
      p.anchor.kind === anchor.kind && ('key' in anchor ? 'key' in p.anchor && p.anchor.key === anchor.key : 'index' in p.anchor && p.anchor.index === anchor.index);
    if (this.serverProblems.some(same)) this.serverProblems = this.serverProblems.filter((p) => !same(p));
  }

  /** Saves the edits and starts the re-voice; false when nothing was started. */
  async save(): Promise<boolean> {
    if (!this.base || !this.edit || this.saving) return false;
    if (this.blocking.length > 0) {
      this.error = `Fix the ${this.blocking.length === 1 ? 'marked problem' : `${this.blocking.length} marked problems`} first.`;
      return false;
    }
    this.saving = true;
    this.error = '';
    this.stale = false;
    this.busy = false;
    this.result = null;
    this.serverProblems = [];
    const sent = $state.snapshot(this.edit) as EditState;
    try {
      const job = await this.studio.save(this.id, this.etag, toDoc(this.base, sent));
      this.jobId = job.id;
      this.jobs.follow(job);
      return true;
    } catch (err) {
      const e = toAppError(err);
      if (isStale(e)) this.stale = true;
      else if (isBusy(e)) this.busy = true;
      else if (e.field) this.serverProblems = [pin(sent, e.field, e.message)];
      else this.error = errorMessage(e);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** After a stale save: keeps the edits, takes the newer tag, and saves them over the newer script. */
  async saveOverLatest(): Promise<boolean> {
    try {
      const latest = await this.studio.script(this.id);
      this.etag = latest.etag;
      // The newer version's fields, with the chapters the edits began from,
      // so that every line's origin still points where it came from.
      this.base = { ...latest.doc, speakers: this.base?.speakers ?? latest.doc.speakers, chapters: this.base?.chapters ?? latest.doc.chapters };
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    }
    return this.save();
  }

  private async finished(s: JobStatus): Promise<void> {
    if (s.id !== this.jobId) return;
    if (s.state !== 'done') {
      this.error = s.error || (s.state === 'cancelled' ? 'The re-voice was cancelled: the podcast still plays its earlier version. Your edits are still here.' : 'The re-voice stopped: the podcast still plays its earlier version. Your edits are still here.');
      return;
    }
    await this.load();
    this.result = { version: this.base?.version ?? 0, synthesised: s.segmentsSynthesised ?? 0, reused: s.segmentsReused ?? 0 };
  }

  /** Opens the new version in the player and plays it. */
  async playNew(): Promise<void> {
    await this.player.reopen(this.id);
    await this.player.play();
  }

  /** The version just made or restored is what the player must show next. */
  async afterRestore(): Promise<void> {
    await this.load();
    await this.player.reopen(this.id);
  }

  private async loadVoices(): Promise<void> {
    const voices = this.api.voices;
    if (!voices) return;
    try {
      const d = this.player.detail?.podcast.id === this.id ? this.player.detail : await this.api.library.get(this.id);
      // Voices that speak the episode's language; the current one is kept on screen even when it is not among them.
      this.voices = await voices.list(d.podcast.tts, this.base?.language || undefined);
    } catch {
      // Without the list the voice stays a text field; saving still checks it.
      this.voices = [];
    }
  }

  private index(): Map<string, Check[]> {
    const m = new Map<string, Check[]>();
    const add = (field: string, c: Check) => m.set(field, [...(m.get(field) ?? []), c]);
    if (this.edit) {
      for (const p of this.serverProblems) {
        const f = pathNow(this.edit, p);
        if (f) add(f, { field: f, message: p.message });
      }
    }
    for (const c of this.checks) add(c.field, c);
    return m;
  }

  dispose(): void {
    this.offFinished();
  }
}
