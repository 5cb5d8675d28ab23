import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { mockBackend } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import NewPodcast from './NewPodcast.svelte';

describe('NewPodcast sources in a browser', () => {
  it('uploads a chosen recording and a page without any text', async () => {
    const m = mockBackend('web');
    const onStarted = vi.fn();
    renderWithStores(NewPodcast, { onStarted }, m);
    await screen.findByText('Alex');
    const talk = new File(['ID3'], 'talk.mp3', { type: 'audio/mpeg' });
    const audioInput = document.querySelectorAll<HTMLInputElement>('input[type=file]')[1];
    await fireEvent.change(audioInput, { target: { files: [talk] } });
    await fireEvent.input(screen.getByLabelText(/Web page/), { target: { value: 'https://example.org/rivers' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith('job1'));
    expect(m.api.generator.start).toHaveBeenCalledWith(
      expect.objectContaining({ text: '', sources: [{ url: 'https://example.org/rivers' }], files: [{ file: talk, kind: 'audio' }] }),
    );
  });

  it('stops at an address that is not a web page', async () => {
    const m = mockBackend('web');
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m);
    await screen.findByText('Alex');
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: 'Rivers shape the land they cross, over many years.' } });
    await fireEvent.input(screen.getByLabelText(/Web page/), { target: { value: 'ftp://example.org/x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    expect(screen.getByText(/Only web pages can be added/)).toBeTruthy();
    expect(m.api.generator.start).not.toHaveBeenCalled();
  });

  it('sends text alone as before', async () => {
    const m = mockBackend('web');
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m);
    await screen.findByText('Alex');
    await fireEvent.input(screen.getByLabelText('Text'), { target: { value: 'Rivers shape the land they cross, over many years.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Make the podcast' }));
    await waitFor(() => expect(m.api.generator.start).toHaveBeenCalled());
    const req = m.api.generator.start.mock.calls[0][0];
    expect(req.sources).toBeUndefined();
    expect(req.files).toBeUndefined();
  });
});
