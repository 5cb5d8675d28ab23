import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './router.svelte';

describe('parseRoute', () => {
  it.each<{ hash: string; want: Route }>([
    { hash: '', want: { name: 'library' } },
    { hash: '#/', want: { name: 'library' } },
    { hash: '#/library', want: { name: 'library' } },
    { hash: '#/new', want: { name: 'new' } },
    { hash: '#/jobs/j%201', want: { name: 'job', id: 'j 1' } },
    { hash: '#/podcast/abc', want: { name: 'podcast', id: 'abc' } },
    { hash: '#/templates', want: { name: 'templates' } },
    { hash: '#/templates/new?from=deep-dive', want: { name: 'template', id: 'new', from: 'deep-dive' } },
    { hash: '#/settings', want: { name: 'settings' } },
    { hash: '#/sharing', want: { name: 'sharing' } },
    { hash: '#/podcast', want: { name: 'notFound', path: '/podcast' } },
    { hash: '#/nope', want: { name: 'notFound', path: '/nope' } },
  ])('$hash', ({ hash, want }) => {
    expect(parseRoute(hash)).toEqual(want);
  });

  it('round-trips through href', () => {
    for (const r of [
      { name: 'job', id: 'a/b' },
      { name: 'podcast', id: 'x' },
      { name: 'template', id: 'new', from: 'deep-dive' },
      { name: 'new' },
    ] as Route[]) {
      expect(parseRoute(href(r))).toEqual(r);
    }
  });
});
