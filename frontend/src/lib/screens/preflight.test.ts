import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { GenerateRequest, Plan } from '../api';
import { mockBackend, sampleJob } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import NewPodcast from './NewPodcast.svelte';
import Progress from './Progress.svelte';

const text = 'Rivers shape the land they cross, over many years.';

// A backend whose plan answers like the server's checks: piper is down, a
// short text cannot fill 10 minutes, Sam's chosen voice speaks English; an
// empty form is planned with no problem at the text.
function planning(req: GenerateRequest): Plan {
  const p: Plan = { writer: 'extractive', tts: req.tts || 'espeak', minutes: req.minutes, problems: [] };
  if (req.tts === 'piper') p.problems.push({ field: 'tts', code: 'unavailable', severity: 'error', message: 'the piper voices are not available' });
  if (req.minutes === 10) {
    p.minutesFillable = 1.5;
    p.problems.push({ field: 'minutes', code: 'short_source', severity: 'warning', message: 'The source has enough text for about 2 minutes.' });
  }
  if (req.language === 'de' && req.voices.Sam) {
    p.problems.push({ field: 'voices.Sam', code: 'voice_language', severity: 'warning', message: 'the voice de+f3 of Sam speaks en' });
  }
  return p;
}

describe('NewPodcast checks before starting', () => {
  it('shows the problems at their fields as the person types, and keeps the button off on errors', async () => {
    const m = mockBackend();
    m.api.generator.plan.mockImplementation(async (req: GenerateRequest) => planning(req));
    renderWithStores(NewPodcast, { onStarted: vi.fn(), planDelayMs: 0 }, m);
    await screen.findByText('Alex');
    const button = screen.getByRole('button', { name: 'Make the podcast' }) as HTMLButtonElement;
    // Nothing typed yet: the plan says what will run and what stands in its way.
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toContain('Will run: extractive writing, espeak speaking.'));
    expect(document.getElementById('text-error')).toBeNull();
    expect(button.disabled).toBe(false);
    await fireEvent.change(screen.getByLabelText('Voices'), { target: { value: 'piper' } });
    await waitFor(() => expect(document.getElementById('tts-error')?.textContent).toBe('The piper voices are not available'));
    expect(screen.getByTestId('plan').textContent).toContain('piper speaking');
    expect(m.api.generator.plan).toHaveBeenLastCalledWith(expect.objectContaining({ text: '', tts: 'piper' }));
    await fireEvent.change(screen.getByLabelText('Voices'), { target: { value: '' } });
    await waitFor(() => expect(document.getElementById('tts-error')).toBeNull());

    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: text } });
    await fireEvent.change(screen.getByLabelText('Voices'), { target: { value: 'piper' } });
    await waitFor(() => expect(document.getElementById('tts-error')?.textContent).toBe('The piper voices are not available'));
    expect(screen.getByLabelText('Voices').getAttribute('aria-invalid')).toBe('true');
    expect(button.disabled).toBe(true);
    expect(screen.getByText('Fix what is marked above to make the podcast.')).toBeTruthy();
    expect(m.api.generator.plan).toHaveBeenLastCalledWith(expect.objectContaining({ text, tts: 'piper' }));

    await fireEvent.change(screen.getByLabelText('Voices'), { target: { value: '' } });
    await fireEvent.input(screen.getByLabelText('Length (minutes)'), { target: { value: '10' } });
    await waitFor(() => expect(document.getElementById('minutes-note')?.textContent).toContain('enough text for about 2 minutes'));
    expect(document.getElementById('tts-error')).toBeNull();
    expect(button.disabled).toBe(false);
    expect(screen.getByTestId('plan').textContent).toContain('The sources fill about 2 min without an LLM.');

    await fireEvent.input(screen.getByLabelText('Language'), { target: { value: 'de' } });
    await fireEvent.input(screen.getByLabelText('Voice of Sam'), { target: { value: 'de+f3' } });
    await waitFor(() => expect(document.getElementById('voice-Sam-note')?.textContent).toContain('Sam speaks en'));
    expect(screen.getByLabelText('Voice of Sam').getAttribute('aria-describedby')).toContain('voice-Sam-note');
  }, 30_000);

  it('says once that the voice server is down: at Voices, not again under the speakers', async () => {
    const m = mockBackend();
    m.api.generator.plan.mockImplementation(async (req: GenerateRequest) => planning(req));
    m.api.voices.list.mockImplementation(async (provider: string) => {
      if (provider === 'piper') throw new Error('the piper voices cannot be listed: connection refused');
      return [];
    });
    renderWithStores(NewPodcast, { onStarted: vi.fn(), planDelayMs: 0 }, m);
    await screen.findByText('Alex');
    await fireEvent.change(screen.getByLabelText('Voices'), { target: { value: 'piper' } });
    await waitFor(() => expect(document.getElementById('tts-error')?.textContent).toBe('The piper voices are not available'));
    await waitFor(() => expect(m.api.voices.list).toHaveBeenLastCalledWith('piper'));
    expect(screen.queryByText(/cannot be listed/)).toBeNull();
  });

  it('answers only the latest request: a slow plan for an older form is dropped', async () => {
    const m = mockBackend();
    let release: (p: Plan) => void = () => {};
    m.api.generator.plan
      .mockImplementationOnce(() => new Promise<Plan>((r) => (release = r)))
      .mockImplementation(async (req: GenerateRequest) => planning(req));
    renderWithStores(NewPodcast, { onStarted: vi.fn(), planDelayMs: 0 }, m);
    await screen.findByText('Alex');
    await waitFor(() => expect(m.api.generator.plan).toHaveBeenCalledTimes(1));
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: text } });
    await waitFor(() => expect(m.api.generator.plan).toHaveBeenCalledTimes(2));
    release({ writer: 'ollama', tts: 'espeak', minutes: 5, problems: [{ field: 'tts', code: 'unavailable', severity: 'error', message: 'stale' }] });
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toContain('extractive'));
    expect(screen.queryByText('Stale')).toBeNull();
  });
});

describe('Edit and retry', () => {
  it('returns from a failed job to the form with everything as typed', async () => {
    const m = mockBackend('web');
    const started = vi.fn();
    const first = renderWithStores(NewPodcast, { onStarted: started, planDelayMs: 0 }, m);
    await screen.findByText('Alex');
    const file = new File(['%PDF-1.4'], 'paper.pdf', { type: 'application/pdf' });
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: text } });
    await fireEvent.input(screen.getByLabelText(/Title/), { target: { value: 'Rivers' } });
    await fireEvent.input(screen.getByLabelText('Length (minutes)'), { target: { value: '7' } });
    await fireEvent.input(screen.getByLabelText('Language'), { target: { value: 'de' } });
    await fireEvent.input(screen.getByLabelText('Voice of Sam'), { target: { value: 'de+f3' } });
    await fireEvent.change(screen.getByLabelText('Script writer'), { target: { value: 'extractive' } });
    await fireEvent.change(document.querySelectorAll<HTMLInputElement>('input[type=file]')[0], { target: { files: [file] } });
    await fireEvent.input(screen.getByLabelText(/Web page/), { target: { value: 'https://example.org/rivers' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(started).toHaveBeenCalledWith('job1'));
    first.unmount();

    // The job fails; its page offers to go back to the form.
    m.emitJob(sampleJob({ state: 'failed', error: 'the piper voices stopped answering' }));
    const progress = renderWithStores(Progress, { id: 'job1' }, m, undefined, first.stores);
    const retry = await screen.findByRole('link', { name: 'Edit and retry' });
    expect(retry.getAttribute('href')).toBe('#/new');
    await fireEvent.click(retry);
    progress.unmount();

    renderWithStores(NewPodcast, { onStarted: vi.fn(), planDelayMs: 0 }, m, undefined, first.stores);
    await screen.findByText('Alex');
    await waitFor(() => expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe(text));
    expect((screen.getByLabelText(/Title/) as HTMLInputElement).value).toBe('Rivers');
    expect((screen.getByLabelText('Length (minutes)') as HTMLInputElement).value).toBe('7');
    expect((screen.getByLabelText('Language') as HTMLInputElement).value).toBe('de');
    expect((screen.getByLabelText('Voice of Sam') as HTMLInputElement).value).toBe('de+f3');
    expect((screen.getByLabelText('Script writer') as HTMLSelectElement).value).toBe('extractive');
    expect(screen.getByText('paper.pdf')).toBeTruthy();
    expect(screen.getByText('https://example.org/rivers')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(m.api.generator.start).toHaveBeenCalledTimes(2));
    const [again] = m.api.generator.start.mock.calls[1] as [GenerateRequest];
    expect(again).toMatchObject({ text, title: 'Rivers', minutes: 7, language: 'de', writer: 'extractive', voices: { Sam: 'de+f3' } });
    expect(again.files?.[0].file).toBe(file);
    expect(again.sources).toEqual([{ url: 'https://example.org/rivers' }]);
  }, 30_000);

  it('is offered only for a job started from this window', async () => {
    const m = mockBackend();
    m.api.generator.jobs.mockResolvedValue([sampleJob({ state: 'failed', error: 'the voices stopped answering' })]);
    renderWithStores(Progress, { id: 'job1' }, m);
    await screen.findByText(/stopped answering/i);
    expect(screen.queryByRole('link', { name: 'Edit and retry' })).toBeNull();
  });
});
