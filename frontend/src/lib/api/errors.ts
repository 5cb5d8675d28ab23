// Turning backend failures into messages people can read, and field
// problems that forms show next to the field they concern.

import type { FieldProblem } from './types';

/** A failure the backend reported, with its message for people. */
export class BackendError extends Error {
  /** The HTTP status (0 on the desktop). */
  readonly status: number;
  /** The API's stable code ("invalid_credentials", …) or "". */
  readonly code: string;
  /** Problems at fields, when the backend named them. */
  readonly problems: FieldProblem[];

  constructor(message: string, opts: { status?: number; code?: string; problems?: FieldProblem[] } = {}) {
    super(message);
    this.name = 'BackendError';
    this.status = opts.status ?? 0;
    this.code = opts.code ?? '';
    this.problems = opts.problems ?? [];
  }
}

const stackLine = /^\s*(at\s|goroutine\s\d|\S+\.go:\d+|panic:|\[recovered\])/;

/** A readable message for any thrown value: no stack traces, never empty. */
export function errorMessage(err: unknown): string {
  let text: string;
  if (err instanceof Error) {
    text = err.message;
  } else if (typeof err === 'string') {
    text = err;
  } else {
    text = '';
  }
  const problems = fieldProblems(err);
  if (problems.length > 0) {
    return problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');
  }
  const lines = text.split('\n').filter((l) => !stackLine.test(l) && l.trim() !== '');
  const msg = lines.join(' ').trim();
  if (msg === '') {
    return 'Something went wrong and the backend gave no reason. Try again.';
  }
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

/**
 * The field problems inside an error: a BackendError's own, the desktop's
 * ValidationError JSON ({"problems":[{field,message}]}) in the message, or
 * the HTTP API's `key "field": message` lines.
 */
export function fieldProblems(err: unknown): FieldProblem[] {
  if (err instanceof BackendError && err.problems.length > 0) {
    return err.problems;
  }
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const start = text.indexOf('{');
  if (start >= 0) {
    try {
      const body: unknown = JSON.parse(text.slice(start));
      if (typeof body === 'object' && body !== null && Array.isArray((body as { problems?: unknown }).problems)) {
        return ((body as { problems: unknown[] }).problems).flatMap((p) => {
          if (typeof p !== 'object' || p === null) return [];
          const { field, message } = p as { field?: unknown; message?: unknown };
          return typeof message === 'string' ? [{ field: typeof field === 'string' ? field : '', message }] : [];
        });
      }
    } catch {
      // Not JSON: look for the HTTP API's form below.
    }
  }
  const out: FieldProblem[] = [];
  for (const m of text.matchAll(/key "([^"]+)": ([^\n]+)/g)) {
    out.push({ field: m[1], message: m[2].trim() });
  }
  return out;
}
