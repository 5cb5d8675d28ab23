// Listening while a podcast is made: a running job's live audio in the
// player, the lines voiced so far with the one being heard, and, once the
// podcast is made, playback going on in its file (same place, no restart)
// with its whole transcript. The player store then holds that podcast, so
// its screen opens on what is playing.

import { errorMessage, jobRunning, type Backend, type Cue, type JobStatus, type PlayerStatus, type PodcastDetail, type Unsubscribe } from '../api';
import type { JobsStore } from './jobs.svelte';
import { indexAt, type PlayerStore } from './player.svelte';

const idle: PlayerStatus = { state: 'idle', podcastId: '', position: 0, duration: 0, speed: 1, volume: 1 };

export class LiveStore {
  /** The job listened to ("" when none). */
  jobId = $state('');
  /** Its lines voiced so far, in order. */
  lines = $state<Cue[]>([]);
  /** The podcast it made, once playback went on in it. */
  detail = $state<PodcastDetail | null>(null);
  status = $state<PlayerStatus>({ ...idle });
  starting = $state(false);
  error = $state('');
  private off: Unsubscribe | null = null;
  private fetching: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly api: Backend,
    jobs: JobsStore,
    private readonly player: PlayerStore,
  ) {
    jobs.onFinished((s) => void this.finished(s));
  }

  /** Whether this backend can play a job's live audio at all. */
  get available(): boolean {
    return !!this.api.player.listenLive && !!this.api.generator.liveLines;
  }

  /** Listen now is offered on a running job once its first audio is playable. */
  canListen(job: JobStatus): boolean {
    return this.available && jobRunning(job.state) && (job.firstAudioSeconds ?? 0) > 0;
  }

  /** The transcript: the lines so far, then the podcast's own. */
  get cues(): Cue[] {
    return this.detail?.cues ?? this.lines;
  }

  get activeCue(): number {
    return indexAt(this.cues, this.status.position);
  }

  /** Plays the job's live audio from its start and follows its lines. */
  async listen(job: JobStatus): Promise<void> {
    const listenLive = this.api.player.listenLive;
    if (!listenLive) return;
    if (!this.off) {
      this.off = this.api.player.subscribe((s) => {
        if (!this.jobId) return;
        if (s.jobId === this.jobId || (this.detail && s.podcastId === this.detail.podcast.id)) this.status = s;
      });
    }
    this.starting = true;
    this.error = '';
    this.jobId = job.id;
    this.lines = [];
    this.detail = null;
    this.status = { ...idle, jobId: job.id };
    // The player plays this job now, not the podcast its screen had open.
    this.player.release();
    try {
      this.status = await listenLive(job);
      this.status = await this.api.player.play();
      await this.more();
    } catch (err) {
      this.error = errorMessage(err);
      this.jobId = '';
    } finally {
      this.starting = false;
    }
  }

  /** Takes the job's latest status: fetches the lines voiced since the last look. */
  seen(job: JobStatus): void {
    if (job.id === this.jobId && !this.detail && job.segment > this.lines.length) void this.more();
  }

  toggle = () => this.act(() => this.api.player.toggle());

  private async act(fn: () => Promise<PlayerStatus>): Promise<void> {
    this.error = '';
    try {
      this.status = await fn();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Fetches the lines after those held, one request at a time. */
  private more(): Promise<void> {
    const fetchLines = this.api.generator.liveLines;
    if (!fetchLines) return Promise.resolve();
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    const id = this.jobId;
    this.fetching = (async () => {
      do {
        this.again = false;
        const got = await fetchLines(id, this.lines.length);
        if (id !== this.jobId || this.detail) return;
        const fresh = got.lines.filter((l) => l.index >= this.lines.length);
        if (fresh.length > 0) this.lines = [...this.lines, ...fresh];
      } while (this.again);
    })()
      .catch((err) => {
        this.error = errorMessage(err);
      })
      .finally(() => {
        this.fetching = null;
      });
    return this.fetching;
  }

  dispose(): void {
    this.off?.();
    this.off = null;
  }

  /** The job listened to is done: playback goes on in its podcast. */
  private async finished(s: JobStatus): Promise<void> {
    if (s.id !== this.jobId || s.state !== 'done' || !s.podcastId) return;
    try {
      const detail = await this.api.library.get(s.podcastId);
      if (s.id !== this.jobId) return;
      this.detail = detail;
      const go = this.api.player.continueInto ?? this.api.player.load;
      this.status = await go(detail);
      this.player.adopt(detail, this.status);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
