// The jobs store: generation jobs and their live progress. Every running
// job is watched once; dispose stops every watch.

import { errorMessage, jobRunning, type Backend, type GenerateRequest, type JobStatus, type Unsubscribe } from '../api';

export class JobsStore {
  byId = $state<Record<string, JobStatus>>({});
  error = $state('');
  private watches = new Map<string, Unsubscribe>();
  private finishedListeners = new Set<(s: JobStatus) => void>();

  constructor(private readonly api: Backend) {}

  /** The jobs still at work, newest first. */
  get running(): JobStatus[] {
    return Object.values(this.byId)
      .filter((j) => jobRunning(j.state))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Loads the job list and follows the running ones. */
  async refresh(): Promise<void> {
    try {
      const list = await this.api.generator.jobs();
      const next: Record<string, JobStatus> = {};
      for (const j of list) next[j.id] = j;
      this.byId = next;
      this.error = '';
      for (const j of list) if (jobRunning(j.state)) this.watch(j.id);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Starts a generation job and follows it. */
  async start(req: GenerateRequest): Promise<JobStatus> {
    const s = await this.api.generator.start(req);
    this.update(s);
    this.watch(s.id);
    return s;
  }

  /** Follows a job started elsewhere (a re-voice after a script edit). */
  follow(s: JobStatus): void {
    this.update(s);
    if (jobRunning(s.state)) this.watch(s.id);
  }

  /** Loads one job (for a progress page opened directly) and follows it. */
  async open(id: string): Promise<void> {
    if (!this.byId[id]) {
      const list = await this.api.generator.jobs();
      for (const j of list) if (!this.byId[j.id]) this.byId[j.id] = j;
      if (!this.byId[id]) throw new Error('There is no such job: it may have been made by another session.');
    }
    if (jobRunning(this.byId[id].state)) this.watch(id);
  }

  async cancel(id: string): Promise<string> {
    try {
      this.update(await this.api.generator.cancel(id));
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Goes on with an interrupted or failed job; returns the error message or "". */
  async resume(id: string): Promise<string> {
    const resume = this.api.generator.resume;
    if (!resume) return 'Resuming is only possible in the desktop app.';
    try {
      this.update(await resume(id));
      this.watch(id);
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Calls back when any followed job finishes. */
  onFinished(cb: (s: JobStatus) => void): Unsubscribe {
    this.finishedListeners.add(cb);
    return () => this.finishedListeners.delete(cb);
  }

  watch(id: string): void {
    if (this.watches.has(id)) return;
    this.watches.set(
      id,
      this.api.generator.watch(id, (s) => this.update(s)),
    );
  }

  private update(s: JobStatus): void {
    const before = this.byId[s.id];
    this.byId[s.id] = s;
    if (!jobRunning(s.state)) {
      this.watches.get(s.id)?.();
      this.watches.delete(s.id);
      if (!before || jobRunning(before.state)) this.finishedListeners.forEach((cb) => cb(s));
    }
  }

  dispose(): void {
    this.watches.forEach((off) => off());
    this.watches.clear();
    this.finishedListeners.clear();
  }
}
