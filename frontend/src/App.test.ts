import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { Router } from './lib/router.svelte';
import { mockBackend } from './lib/testing/mockBackend';

afterEach(() => {
  window.location.hash = '';
});

describe('App', () => {
  it('shows the first-run screen in a browser while no account exists', async () => {
    const m = mockBackend('web');
    m.api.auth.firstRunNeeded.mockResolvedValue(true);
    render(App, { backend: m.backend, router: new Router() });
    expect(await screen.findByRole('heading', { name: 'Welcome' })).toBeTruthy();
  });

  it('opens the desktop to the library, without first run, login or log out', async () => {
    const m = mockBackend('desktop');
    m.api.auth.firstRunNeeded.mockResolvedValue(true);
    m.api.auth.me.mockRejectedValue(new Error('not logged in'));
    render(App, { backend: m.backend, router: new Router() });
    expect(await screen.findByRole('heading', { name: 'Library' })).toBeTruthy();
    expect(m.api.auth.local).toHaveBeenCalledOnce();
    expect(m.api.auth.firstRunNeeded).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Log out' })).toBeNull();
  });

  it('shows the login screen when nobody is logged in', async () => {
    const m = mockBackend('web');
    m.api.auth.me.mockRejectedValue(new Error('not logged in'));
    render(App, { backend: m.backend, router: new Router() });
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
  });

  it('routes by the hash and refuses desktop-only pages in a browser', async () => {
    window.location.hash = '#/templates';
    const m = mockBackend('web');
    const { unmount } = render(App, { backend: m.backend, router: new Router() });
    expect(await screen.findByRole('heading', { name: 'Templates' })).toBeTruthy();
    window.location.hash = '#/sharing';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByText('This page is only in the desktop app.')).toBeTruthy();
    unmount();
    expect(m.listeners()).toBe(0);
  });

  it('keeps the settings page for administrators in a browser', async () => {
    window.location.hash = '#/settings';
    const m = mockBackend('web');
    m.api.auth.me.mockResolvedValue({ id: 'u2', username: 'bob', email: null, isAdmin: false, createdAt: '2026-11-25T10:00:00Z' });
    const { unmount } = render(App, { backend: m.backend, router: new Router() });
    expect(await screen.findByText('Settings are for administrators.')).toBeTruthy();
    expect(m.api.settings!.get).not.toHaveBeenCalled();
    unmount();
  });
});
