import { describe, expect, it, vi } from 'vitest';
import { audioPlayer } from '../api/audio';
import type { Cue, LiveLines } from '../api';
import { mockBackend, sampleDetail, sampleJob } from '../testing/mockBackend';
import { createStores } from '.';

// FakeAudio behaves like an HTMLAudioElement as far as audioPlayer uses it:
// loading, seeking and playing fire the media events a browser fires. The
// live element's position is moved by the test, as playing would; a file's
// element seeks on the next turn, as a browser does.
class FakeAudio extends EventTarget {
  src = '';
  preload = '';
  duration = NaN;
  playbackRate = 1;
  volume = 1;
  preservesPitch = false;
  paused = true;
  ended = false;
  private t = 0;
  constructor(
    private readonly length: number,
    private readonly seeks = false,
  ) {
    super();
  }
  get currentTime() {
    return this.t;
  }
  set currentTime(v: number) {
    if (!this.seeks) {
      this.t = v;
      return;
    }
    queueMicrotask(() => {
      this.t = v;
      this.dispatchEvent(new Event('seeked'));
    });
  }
  load() {
    if (!this.src) return;
    this.duration = this.length;
    this.dispatchEvent(new Event('loadedmetadata'));
  }
  removeAttribute(name: string) {
    if (name === 'src') this.src = '';
  }
  async play() {
    this.paused = false;
    this.dispatchEvent(new Event('playing'));
  }
  pause() {
    this.paused = true;
    this.dispatchEvent(new Event('pause'));
  }
}

const cue = (index: number): Cue => ({ index, speaker: index % 2 ? 'Sam' : 'Alex', text: `Line ${index + 1}.`, start: 0.1 + 3 * index, end: 2.6 + 3 * index });

function setup() {
  // The live stream has no length a browser knows; the podcast has one.
  const live = new FakeAudio(Infinity);
  const made: FakeAudio[] = [];
  const frames: (() => void)[] = [];
  const m = mockBackend('web');
  const player = audioPlayer(
    live as unknown as HTMLAudioElement,
    (cb) => frames.push(cb),
    () => {
      const el = new FakeAudio(60, true);
      made.push(el);
      return el as unknown as HTMLAudioElement;
    },
  );
  const voiced: Cue[] = [];
  const liveLines = vi.fn(async (_id: string, from: number): Promise<LiveLines> => ({ lines: voiced.slice(from), count: voiced.length, ended: false }));
  const backend = { ...m.backend, player, generator: { ...m.backend.generator, liveLines } };
  const stores = createStores(backend);
  return { m, live, made, frames, voiced, liveLines, stores };
}

describe('listening to a running job', () => {
  it('plays the live audio, follows its lines and goes on into the podcast where it was', async () => {
    const { m, live, made, frames, voiced, liveLines, stores } = setup();
    const { jobs, live: listener, player } = stores;
    const job = sampleJob({ id: 'job1', segment: 1, firstAudioSeconds: 1.5, liveAudioUrl: '/jobs/job1/audio?sig=s' });
    m.api.generator.jobs.mockResolvedValue([job]);
    await jobs.refresh();
    expect(listener.canListen(job)).toBe(true);
    expect(listener.canListen({ ...job, firstAudioSeconds: undefined })).toBe(false);

    voiced.push(cue(0));
    await listener.listen(job);
    expect(live.src).toBe('/jobs/job1/audio?sig=s');
    expect(live.paused).toBe(false);
    expect(listener.status).toMatchObject({ state: 'playing', jobId: 'job1', podcastId: '' });
    expect(listener.lines.map((l) => l.index)).toEqual([0]);
    expect(player.status.state).toBe('idle'); // the podcast player is not told about the job's audio

    // More lines are voiced: the job's status says so and they are fetched from where the store is.
    voiced.push(cue(1), cue(2));
    m.emitJob({ ...job, segment: 3 });
    listener.seen(jobs.byId.job1);
    await vi.waitFor(() => expect(listener.lines).toHaveLength(3));
    expect(liveLines).toHaveBeenLastCalledWith('job1', 1);

    // The line being heard follows the position.
    live.currentTime = 3.5;
    vi.spyOn(performance, 'now').mockReturnValue(1e9);
    frames.shift()!();
    expect(listener.activeCue).toBe(1);
    await expect(stores.api.player.seek(10)).rejects.toThrow('still being made');

    // The podcast is made: playback goes on in it from a moment ahead of
    // where the live audio is, once the live audio gets there.
    const detail = sampleDetail();
    m.api.library.get.mockResolvedValue(detail);
    m.emitJob({ ...job, state: 'done', progress: 1, podcastId: 'p1' });
    await vi.waitFor(() => expect(made).toHaveLength(1));
    const next = made[0];
    await vi.waitFor(() => expect(next.currentTime).toBeCloseTo(3.9, 5));
    expect(next.src).toBe(detail.podcast.audioUrl);
    expect(next.paused).toBe(true);
    live.currentTime = 3.7;
    frames.splice(0).forEach((f) => f());
    expect(next.paused).toBe(true); // not there yet
    live.currentTime = 3.91;
    await vi.waitFor(() => {
      frames.splice(0).forEach((f) => f());
      expect(next.paused).toBe(false);
    });
    await vi.waitFor(() => expect(listener.detail).toEqual(detail));
    await vi.waitFor(() => expect(live.paused).toBe(true));
    expect(live.src).toBe('');
    expect(listener.cues).toEqual(detail.cues);
    expect(listener.status).toMatchObject({ state: 'playing', podcastId: 'p1' });
    expect(listener.status.jobId).toBeUndefined();
    // The player's screen opens on the podcast as it plays, without loading it again.
    expect(player.detail).toEqual(detail);
    await player.open('p1');
    expect(m.api.player.load).not.toHaveBeenCalled();
    expect(next.currentTime).toBeCloseTo(3.9, 5);
    vi.restoreAllMocks();
  });

  it('is not offered where the backend has no live audio', () => {
    const m = mockBackend('desktop');
    const stores = createStores(m.backend);
    expect(stores.live.available).toBe(false);
    expect(stores.live.canListen(sampleJob({ firstAudioSeconds: 1 }))).toBe(false);
  });
});
