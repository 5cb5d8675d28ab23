import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Cue } from '../api';
import { mockBackend, playerStatus, sampleDetail, sampleJob } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import Progress from '../screens/Progress.svelte';

// Rendering and many status changes: more than the default 5 s on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

const cue = (index: number): Cue => ({ index, speaker: index % 2 ? 'Sam' : 'Alex', text: `Live line ${index + 1}.`, start: 0.1 + 3 * index, end: 2.6 + 3 * index });

// A backend whose player plays live audio and whose jobs give their lines.
function liveBackend() {
  const m = mockBackend();
  const voiced: Cue[] = [cue(0)];
  const live = {
    listenLive: vi.fn().mockResolvedValue(playerStatus({ state: 'idle', podcastId: '', jobId: 'job1', duration: 0 })),
    continueInto: vi.fn().mockResolvedValue(playerStatus({ state: 'playing', podcastId: 'p1', position: 4 })),
    liveLines: vi.fn(async (_id: string, from: number) => ({ lines: voiced.slice(from), count: voiced.length, ended: false })),
  };
  Object.assign(m.api.player, { listenLive: live.listenLive, continueInto: live.continueInto });
  Object.assign(m.api.generator, { liveLines: live.liveLines });
  m.api.player.play.mockResolvedValue(playerStatus({ state: 'playing', podcastId: '', jobId: 'job1', position: 0 }));
  return { m, live, voiced };
}

describe('Listen now on the progress page', () => {
  it('waits for the first audio, plays the live audio with its lines, and goes on into the podcast', async () => {
    const { m, live, voiced } = liveBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob({ segment: 0 })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    const button = await screen.findByRole('button', { name: 'Listen now' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('You can listen once the first line is voiced.')).toBeTruthy();

    m.emitJob(sampleJob({ segment: 1, firstAudioSeconds: 1.2 }));
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(button);
    expect(live.listenLive).toHaveBeenCalledWith(expect.objectContaining({ id: 'job1' }));
    expect(m.api.player.play).toHaveBeenCalled();
    const transcript = await screen.findByRole('list', { name: 'Transcript so far' });
    await waitFor(() => expect(within(transcript).getAllByRole('listitem')).toHaveLength(1));

    // More lines voiced: fetched from the count held.
    voiced.push(cue(1), cue(2));
    m.emitJob(sampleJob({ segment: 3, firstAudioSeconds: 1.2 }));
    await waitFor(() => expect(within(transcript).getAllByRole('listitem')).toHaveLength(3));
    expect(live.liveLines).toHaveBeenLastCalledWith('job1', 1);

    // The line being heard is marked as the position moves.
    m.emitPlayer(playerStatus({ state: 'playing', podcastId: '', jobId: 'job1', position: 3.5 }));
    await waitFor(() => expect(within(transcript).getByText('Live line 2.').closest('li')?.getAttribute('aria-current')).toBe('true'));
    // A status of another podcast does not move it.
    m.emitPlayer(playerStatus({ state: 'playing', podcastId: 'other', position: 7 }));
    expect(within(transcript).getByText('Live line 2.').closest('li')?.getAttribute('aria-current')).toBe('true');

    // Done: playback goes on in the podcast, with its whole transcript.
    const detail = sampleDetail();
    m.api.library.get.mockResolvedValue(detail);
    m.emitJob(sampleJob({ state: 'done', progress: 1, podcastId: 'p1', stage: 'Ready', segment: 12 }));
    await screen.findByRole('heading', { name: 'Now playing the finished podcast' });
    expect(live.continueInto).toHaveBeenCalledWith(detail);
    const full = screen.getByRole('list', { name: 'Transcript so far' });
    await waitFor(() => expect(within(full).getAllByRole('listitem')).toHaveLength(detail.cues.length));
    expect(screen.getByRole('link', { name: 'Open the player' })).toBeTruthy();
  });

  it('says why listening failed and offers it again', async () => {
    const { m, live } = liveBackend();
    live.listenLive.mockRejectedValueOnce(new Error('the job has no audio yet'));
    m.api.generator.jobs.mockResolvedValue([sampleJob({ firstAudioSeconds: 1 })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    await fireEvent.click(await screen.findByRole('button', { name: 'Listen now' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The job has no audio yet');
    expect(screen.getByRole('button', { name: 'Listen now' })).toBeTruthy();
  });

  it('is not offered where the backend has no live audio', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob({ firstAudioSeconds: 1 })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    await screen.findByText('Synthesising line 3 of 12');
    expect(screen.queryByRole('button', { name: 'Listen now' })).toBeNull();
  });
});
