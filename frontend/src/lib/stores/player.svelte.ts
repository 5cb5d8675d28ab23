// The player store: the open podcast, its transcript and chapters, and the
// playback status (from the native player on the desktop, or an <audio>
// element in a browser). The active line follows the position.

import {
  errorMessage,
  type Backend,
  type Chapter,
  type Cue,
  type PlayerStatus,
  type PodcastDetail,
  type Unsubscribe,
} from '../api';

const idle: PlayerStatus = { state: 'idle', podcastId: '', position: 0, duration: 0, speed: 1, volume: 1 };

/** The index of the item whose [start, end) holds t, or the last one started; -1 before the first. */
export function indexAt(items: { start: number }[], t: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= t + 1e-3) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export class PlayerStore {
  detail = $state<PodcastDetail | null>(null);
  status = $state<PlayerStatus>({ ...idle });
  loading = $state(false);
  error = $state('');
  private off: Unsubscribe | null = null;

  constructor(private readonly api: Backend) {}

  get cues(): Cue[] {
    return this.detail?.cues ?? [];
  }

  get chapters(): Chapter[] {
    return this.detail?.chapters ?? [];
  }

  get activeCue(): number {
    return indexAt(this.cues, this.status.position);
  }

  get activeChapter(): number {
    return indexAt(this.chapters, this.status.position);
  }

  get duration(): number {
    return this.status.duration || this.detail?.podcast.duration || 0;
  }

  /** Opens a podcast: its transcript and chapters, loaded into the player. */
  async open(id: string): Promise<void> {
    if (!this.off) {
      this.off = this.api.player.subscribe((s) => {
        // A job's live audio is the live store's (live.svelte.ts).
        if (s.jobId) return;
        if (!this.detail || s.podcastId === this.detail.podcast.id || s.podcastId === '') this.status = s;
      });
    }
    if (this.detail?.podcast.id === id) return;
    this.loading = true;
    this.error = '';
    try {
      const detail = await this.api.library.get(id);
      this.detail = detail;
      this.status = { ...idle, podcastId: id, duration: detail.podcast.duration };
      this.status = await this.api.player.load(detail);
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  /**
   * Opens the podcast afresh (a new version was made or restored): its
   * transcript, chapters and audio are read again, not kept from before.
   */
  async reopen(id: string): Promise<void> {
    if (this.detail?.podcast.id === id) {
      await this.stop();
      this.detail = null;
    }
    await this.open(id);
  }

  /** Forgets the open podcast: the player now plays something else (a job's live audio). */
  release(): void {
    this.detail = null;
    this.status = { ...idle };
  }

  /**
   * Holds a podcast the player already plays (listening went on into it
   * from a job's live audio): its screen opens on it without loading it again.
   */
  adopt(detail: PodcastDetail, status: PlayerStatus): void {
    this.detail = detail;
    this.status = status;
  }

  toggle = () => this.act(() => this.api.player.toggle());
  play = () => this.act(() => this.api.player.play());
  pause = () => this.act(() => this.api.player.pause());
  stop = () => this.act(() => this.api.player.stop());

  seek(seconds: number): Promise<void> {
    const t = Math.max(0, Math.min(seconds, this.duration || seconds));
    this.status = { ...this.status, position: t };
    return this.act(() => this.api.player.seek(t));
  }

  /** Moves by delta seconds (the arrow keys). */
  skip(delta: number): Promise<void> {
    return this.seek(this.status.position + delta);
  }

  /** Jumps to the start of transcript line i. */
  seekLine(i: number): Promise<void> {
    const cue = this.cues[i];
    return cue ? this.seek(cue.start) : Promise.resolve();
  }

  seekChapter(i: number): Promise<void> {
    const ch = this.chapters[i];
    return ch ? this.seek(ch.start) : Promise.resolve();
  }

  setSpeed(x: number): Promise<void> {
    return this.act(() => this.api.player.setSpeed(x));
  }

  setVolume(v: number): Promise<void> {
    return this.act(() => this.api.player.setVolume(v));
  }

  private async act(fn: () => Promise<PlayerStatus | void>): Promise<void> {
    this.error = '';
    try {
      const s = await fn();
      if (s && typeof s === 'object' && 'state' in s) this.status = s;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  dispose(): void {
    this.off?.();
    this.off = null;
  }
}
