import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Welcome from './Welcome.svelte';

describe('Welcome', () => {
  it.each([
    { name: 'shows the version once known', props: { version: 'v0.3.1' }, text: 'Version v0.3.1' },
    { name: 'says it is waiting while the version is unknown', props: { version: null }, text: 'Connecting to the backend…' },
    {
      name: 'shows why the version could not be read',
      props: { version: null, error: 'GET /api/version: 502 Bad Gateway' },
      text: 'Version unknown: GET /api/version: 502 Bad Gateway',
    },
  ])('$name', ({ props, text }) => {
    render(Welcome, { props });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('podcastfy');
    expect(screen.getByText(text)).toBeTruthy();
  });

  it('explains the four steps from source to podcast', () => {
    render(Welcome, { props: { version: 'dev' } });
    const steps = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(steps).toEqual(['Bring a source', 'A local model writes the script', 'Local voices speak it', 'Listen and share']);
  });

  it('announces a version error as an alert', () => {
    render(Welcome, { props: { version: null, error: 'boom' } });
    expect(screen.getByRole('alert').textContent).toContain('boom');
  });
});
