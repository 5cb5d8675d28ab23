// The new-podcast form as it was when each job was started from it, kept
// for "Edit and retry": a job that fails returns to the form with
// everything as typed, the files and pages included (a browser's File
// objects and the desktop's tokens stay valid while the window is open).

import type { GenerateRequest } from '../api';
import type { SourceItem } from '../sources';

/** The new-podcast form's inputs: the request, with its sources as the form lists them. */
export type Draft = Omit<GenerateRequest, 'sources' | 'files'> & { sources: SourceItem[] };

export class DraftsStore {
  private byJob = new Map<string, Draft>();
  private pending: Draft | null = null;

  /** Keeps the form a job was started from. */
  keep(jobId: string, d: Draft): void {
    this.byJob.set(jobId, { ...d, voices: { ...d.voices }, sources: [...d.sources] });
  }

  /** Whether the job was started from this window's form. */
  has(jobId: string): boolean {
    return this.byJob.has(jobId);
  }

  /** Makes the job's form the one the next new-podcast screen opens with. */
  edit(jobId: string): void {
    this.pending = this.byJob.get(jobId) ?? null;
  }

  /** The form to open with, once; null for a fresh one. */
  take(): Draft | null {
    const d = this.pending;
    this.pending = null;
    return d && { ...d, voices: { ...d.voices }, sources: [...d.sources] };
  }
}
