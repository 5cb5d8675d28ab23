import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { jobRunning } from '../api';
import { mockBackend, sampleJob } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import Progress from './Progress.svelte';

describe('a job transcribing a recording', () => {
  it('is running', () => {
    expect(jobRunning('transcribing')).toBe(true);
  });

  it('shows a Transcript step, keeps it, and keeps following the job', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([
      sampleJob({ state: 'transcribing', stage: 'Transcribing talk.mp3, 40%', progress: 0.04, segment: 0, segments: 0 }),
    ]);
    const { stores } = renderWithStores(Progress, { id: 'job1' }, m);
    expect(await screen.findByText('Transcribing talk.mp3, 40%')).toBeTruthy();
    const steps = () => within(screen.getByRole('list', { name: 'Stages' })).getAllByRole('listitem');
    expect(steps().map((s) => s.textContent)).toEqual(['Transcript', 'Script', 'Voices', 'Mastering', 'Ready']);
    expect(steps()[0].classList.contains('current')).toBe(true);
    expect(screen.getByText(/Transcribing\s+4%/)).toBeTruthy();
    expect(m.api.generator.watch).toHaveBeenCalledWith('job1', expect.any(Function));
    m.emitJob(sampleJob({ state: 'writing', stage: 'Writing the script', progress: 0.1 }));
    await waitFor(() => expect(steps()[1].classList.contains('current')).toBe(true));
    expect(steps()[0].classList.contains('done')).toBe(true);
    expect(stores.jobs.byId.job1.state).toBe('writing');
  });
});
