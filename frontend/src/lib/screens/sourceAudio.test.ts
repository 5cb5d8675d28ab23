import { screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { mockBackend, sampleDetail, sampleSummary } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import Library from './Library.svelte';
import Player from './Player.svelte';

// A podcast made from a recording says so (fromRecording); the HTTP API
// also links the original (sourceAudioUrl), the desktop has no link.
function fromRecording(kind: 'desktop' | 'web') {
  const m = mockBackend(kind);
  const d = sampleDetail();
  d.fromRecording = true;
  if (kind === 'web') d.podcast.sourceAudioUrl = '/podcasts/p1/source?sig=abc';
  m.api.library.get.mockResolvedValue(d);
  m.api.library.list.mockResolvedValue({ items: [sampleSummary({ fromRecording: true })], total: 1 });
  return m;
}

describe('a podcast transcribed from a recording', () => {
  it('links the original in a browser', async () => {
    renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() }, fromRecording('web'));
    const note = await screen.findByTestId('source-audio');
    expect(note.textContent).toContain('Transcribed from a recording');
    const link = screen.getByRole('link', { name: 'Play the original' });
    expect(link.getAttribute('href')).toBe('/podcasts/p1/source?sig=abc');
  });

  it('says so on the desktop without a link the window could not open', async () => {
    renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() }, fromRecording('desktop'));
    const note = await screen.findByTestId('source-audio');
    expect(note.textContent).toContain('Transcribed from a recording');
    expect(note.textContent).toContain('exporting the files includes the original');
    expect(screen.queryByRole('link', { name: 'Play the original' })).toBeNull();
  });

  it('says nothing for a podcast made from text', async () => {
    renderWithStores(Player, { id: 'p1', onDeleted: vi.fn() }, mockBackend('web'));
    await screen.findByRole('heading', { name: 'Rivers' });
    expect(screen.queryByTestId('source-audio')).toBeNull();
  });

  it('is marked in the library', async () => {
    renderWithStores(Library, {}, fromRecording('web'));
    const item = await screen.findByRole('link', { name: /Rivers/ });
    expect(item.textContent).toContain('Transcribed from a recording');
  });
});
