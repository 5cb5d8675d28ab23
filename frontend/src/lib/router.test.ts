import { afterEach, describe, expect, it } from 'vitest';
import { href, parseRoute, Router, type Route } from './router.svelte';

describe('parseRoute', () => {
  it.each<{ hash: string; want: Route }>([
    { hash: '', want: { name: 'library' } },
    { hash: '#/', want: { name: 'library' } },
    { hash: '#/library', want: { name: 'library' } },
    { hash: '#/new', want: { name: 'new' } },
    { hash: '#/jobs/j%201', want: { name: 'job', id: 'j 1' } },
    { hash: '#/podcast/abc', want: { name: 'podcast', id: 'abc' } },
    { hash: '#/podcast/abc/script', want: { name: 'script', id: 'abc' } },
    { hash: '#/podcast/abc/nope', want: { name: 'notFound', path: '/podcast/abc/nope' } },
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
      { name: 'script', id: 'a b' },
      { name: 'template', id: 'new', from: 'deep-dive' },
      { name: 'new' },
    ] as Route[]) {
      expect(parseRoute(href(r))).toEqual(r);
    }
  });
});

describe('Router guards', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  const hashChanged = () => new Promise((r) => window.addEventListener('hashchange', r, { once: true }));

  it('stays where it is when a guard says no, and goes when it says yes', async () => {
    window.location.hash = '#/podcast/p1/script';
    const router = new Router();
    const stop = router.listen();
    let mayLeave = false;
    let asked = 0;
    const unguard = router.guard(() => {
      asked++;
      return mayLeave;
    });

    expect(router.go({ name: 'library' })).toBe(false);
    expect(router.route).toEqual({ name: 'script', id: 'p1' });

    // A link clicked (the address changes first): put back.
    const changed = hashChanged();
    window.location.hash = '#/templates';
    await changed;
    expect(router.route).toEqual({ name: 'script', id: 'p1' });
    expect(window.location.hash).toBe('#/podcast/p1/script');
    expect(asked).toBe(2);

    mayLeave = true;
    expect(router.go({ name: 'library' })).toBe(true);
    expect(router.route).toEqual({ name: 'library' });

    unguard();
    mayLeave = false;
    expect(router.go({ name: 'new' })).toBe(true);
    stop();
  });

  it('goes on later, without asking again, when the guard proceeds (the person chose to leave)', async () => {
    window.location.hash = '#/podcast/p1/script';
    const router = new Router();
    const stop = router.listen();
    const pending: (() => void)[] = [];
    const unguard = router.guard((proceed) => (pending.push(proceed), false));

    // A link clicked: the address is put back while the person is asked.
    const changed = hashChanged();
    window.location.hash = '#/templates';
    await changed;
    expect(router.route).toEqual({ name: 'script', id: 'p1' });
    expect(pending).toHaveLength(1);

    const left = hashChanged();
    pending[0]();
    expect(router.route).toEqual({ name: 'templates' });
    await left;
    expect(window.location.hash).toBe('#/templates');
    // The hashchange of the move itself asked nobody.
    expect(pending).toHaveLength(1);
    unguard();
    stop();
  });
});
