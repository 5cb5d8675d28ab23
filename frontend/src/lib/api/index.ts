// The frontend's only door to the backend. On the desktop it calls the Go
// methods that Wails binds (window.go.main.App, typed by the generated
// frontend/wailsjs); in a browser on the LAN it calls the HTTP API.
// Components import from here and never from wailsjs or fetch directly.

import { Version as desktopVersion } from '../../../wailsjs/go/main/App';

export { Events, type EventName } from './events';

declare global {
  interface Window {
    /** The Go bindings Wails injects into the desktop webview; absent in a browser. */
    go?: { main?: { App?: unknown } };
  }
}

/** Reports whether the page runs inside the desktop window with Go bindings. */
export function onDesktop(): boolean {
  return window.go?.main?.App !== undefined;
}

/** The backend's version: git describe of the build, or "dev". */
export async function version(): Promise<string> {
  if (onDesktop()) {
    return desktopVersion();
  }
  const body = await getJSON('/api/version');
  if (typeof body !== 'object' || body === null || !('version' in body) || typeof body.version !== 'string') {
    throw new Error('GET /api/version: the answer has no "version" string');
  }
  return body.version;
}

// getJSON fetches a path of the LAN API and decodes the answer, turning an
// HTTP failure into an error that names the request and the status.
async function getJSON(path: string): Promise<unknown> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    throw new Error(`GET ${path}: ${res.status} ${res.statusText}`.trimEnd());
  }
  try {
    return await res.json();
  } catch {
    throw new Error(`GET ${path}: the answer is not JSON`);
  }
}
