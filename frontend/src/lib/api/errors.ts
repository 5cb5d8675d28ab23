// The one error type of the frontend's backend door. The backend reports
// every refusal as three values — a stable code, the input at fault (when
// one is) and a message for people: in an HTTP answer's body as
// {"error":{"code","field","message"}}, and on the desktop as the rejected
// promise of a bound Go method, either as that object or as a string
// holding its JSON. toAppError is the only place that reads them.

import type { FieldProblem } from './types';

/** The three values the backend reports a failure with. */
export interface AppErrorData {
  /** Stable, for programs: "invalid_request", "not_found", "invalid_token", … */
  code: string;
  /** The input at fault, as the request names it ("minutes", "ollama.url", "speakers[1].name"); absent when none is. */
  field?: string;
  /** For people. */
  message: string;
}

/** A failure the backend reported, or one the frontend found on its way there. */
export class AppError extends Error implements AppErrorData {
  readonly code: string;
  readonly field?: string;
  /** The HTTP status (0 on the desktop and for failures found in the frontend). */
  readonly status: number;

  constructor(data: AppErrorData, status = 0) {
    super(data.message);
    this.name = 'AppError';
    this.code = data.code;
    if (data.field) this.field = data.field;
    this.status = status;
  }
}

/** The code of failures that the backend did not describe (a crash, a bug, an old backend). */
export const unknownCode = 'unknown';

// data reads the three values from a plain object, or null when it has none.
function data(v: unknown): AppErrorData | null {
  if (typeof v !== 'object' || v === null) return null;
  const { code, field, message } = v as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return typeof field === 'string' && field !== '' ? { code, field, message } : { code, message };
}

// parsed reads the three values from a string holding their JSON.
function parsed(s: string): AppErrorData | null {
  if (!s.trimStart().startsWith('{')) return null;
  try {
    return data(JSON.parse(s));
  } catch {
    return null;
  }
}

/**
 * The AppError for anything a backend call rejected with: an AppError as it
 * is; the three values as an object or as JSON text (a Wails rejection);
 * anything else (a JavaScript failure) with the code "unknown" and its text.
 */
export function toAppError(reason: unknown, status = 0): AppError {
  if (reason instanceof AppError) return reason;
  const d = data(reason) ?? (typeof reason === 'string' ? parsed(reason) : reason instanceof Error ? parsed(reason.message) : null);
  if (d) return new AppError(d, status);
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
  return new AppError({ code: unknownCode, message: text }, status);
}

/** A readable message for any thrown value, never empty. */
export function errorMessage(err: unknown): string {
  const msg = toAppError(err).message.trim();
  if (msg === '') return 'Something went wrong and the backend gave no reason. Try again.';
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

/** The failure as a problem at its input, or null when it concerns none. */
export function fieldProblem(err: unknown): FieldProblem | null {
  const e = toAppError(err);
  return e.field ? { field: e.field, message: e.message } : null;
}
