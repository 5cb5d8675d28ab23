// The frontend's only door to the backend. Inside the desktop window it
// calls the Go facades that Wails binds (wails.ts); in a browser on the LAN
// it calls the HTTP API of `podcastfy serve` (http.ts). Components and
// stores use the Backend interface and never call Wails or fetch directly.

import type { Backend } from './backend';
import { httpBackend } from './http';
import { wailsBackend } from './wails';

export type * from './backend';
export type * from './types';
export type * from './studio';
export { jobRunning, secretMask, ttsProviders } from './types';
export { AppError, errorMessage, fieldProblem, toAppError, type AppErrorData } from './errors';
export { Events, type EventName } from './events';

/** Reports whether the page runs inside the desktop window with Go bindings. */
export function onDesktop(): boolean {
  return window.go !== undefined && (window.go.desktop !== undefined || window.go.main !== undefined);
}

/** The Backend for where the page runs, chosen by the presence of window.go. */
export function createBackend(): Backend {
  return onDesktop() ? wailsBackend() : httpBackend();
}
