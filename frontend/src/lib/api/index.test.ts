import { afterEach, describe, expect, it, vi } from 'vitest';
import { onDesktop, version } from './index';

afterEach(() => {
  delete window.go;
  vi.unstubAllGlobals();
});

describe('version', () => {
  it('calls the bound Go method inside the desktop window', async () => {
    const bound = vi.fn().mockResolvedValue('v1.2.3-4-gabcdef');
    window.go = { main: { App: { Version: bound } } };
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);

    expect(onDesktop()).toBe(true);
    await expect(version()).resolves.toBe('v1.2.3-4-gabcdef');
    expect(bound).toHaveBeenCalledOnce();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('passes on the error of the bound Go method', async () => {
    window.go = { main: { App: { Version: () => Promise.reject(new Error('boom')) } } };
    await expect(version()).rejects.toThrow('boom');
  });

  it.each([
    {
      name: 'reads the LAN API in a browser',
      response: new Response('{"version":"v0.1.0"}', { status: 200 }),
      want: 'v0.1.0',
    },
    {
      name: 'names the request and status on an HTTP error',
      response: new Response('nope', { status: 503, statusText: 'Service Unavailable' }),
      error: 'GET /api/version: 503 Service Unavailable',
    },
    {
      name: 'refuses an answer that is not JSON',
      response: new Response('<html>', { status: 200 }),
      error: 'GET /api/version: the answer is not JSON',
    },
    {
      name: 'refuses JSON without a version string',
      response: new Response('{"version":3}', { status: 200 }),
      error: 'the answer has no "version" string',
    },
  ])('$name', async ({ response, want, error }) => {
    const fetchSpy = vi.fn().mockResolvedValue(response);
    vi.stubGlobal('fetch', fetchSpy);

    expect(onDesktop()).toBe(false);
    if (error) {
      await expect(version()).rejects.toThrow(error);
    } else {
      await expect(version()).resolves.toBe(want);
    }
    expect(fetchSpy).toHaveBeenCalledWith('/api/version', expect.anything());
  });
});
