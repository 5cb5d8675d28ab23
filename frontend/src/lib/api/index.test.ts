import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, onDesktop } from './index';

afterEach(() => {
  delete window.go;
});

describe('createBackend', () => {
  it('uses the Go bindings inside the desktop window', () => {
    window.go = { desktop: {} };
    expect(onDesktop()).toBe(true);
    const b = createBackend();
    expect(b.kind).toBe('desktop');
    expect(b.settings).not.toBeNull();
    expect(b.server).not.toBeNull();
    expect(b.feed).toBeNull(); // on the sharing screen
  });

  it('uses the HTTP API in a browser and leaves out desktop-only parts', () => {
    expect(onDesktop()).toBe(false);
    const b = createBackend();
    expect(b.kind).toBe('web');
    // Settings and accounts are there for administrators; no model downloads.
    expect(b.settings?.pullModel).toBeNull();
    expect(b.accounts).not.toBeNull();
    expect(b.server).toBeNull();
    expect(b.voices).not.toBeNull();
    expect(b.feed).not.toBeNull();
    expect(b.auth.changePassword).toBeDefined();
    expect(b.library.export).toBeNull();
  });
});
