// A stubbed fetch for the browser adapter's tests: it answers as a handler
// says (as the LAN API would, backend/api/openapi.yaml) and records every
// request.
import { vi } from 'vitest';

/** One request the adapter made. */
export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A JSON answer. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** Stubs fetch with handler and returns the requests as they are made. */
export function serve(handler: (c: Call) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const c = {
        method: init.method ?? 'GET',
        url,
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(c);
      return handler(c);
    }),
  );
  return calls;
}
