// The script studio over the LAN API: GET/PUT /podcasts/{id}/script (with
// ETag and If-Match), the versions and the rewrite proposal.

import type { StudioPort } from './backend';
import type { Exchange } from './http';
import type { EditableScript, RewriteProposal, ScriptDoc, VersionList } from './studio';
import type { JobStatus, Podcast } from './types';

/** The request function of the HTTP backend (http.ts). */
export type Request = <T>(method: string, path: string, body?: unknown, auth?: boolean, extra?: Exchange) => Promise<T>;

export function httpStudio(request: Request): StudioPort {
  const at = (id: string) => `/podcasts/${encodeURIComponent(id)}`;
  return {
    async script(id): Promise<EditableScript> {
      let etag = '';
      const doc = await request<ScriptDoc>('GET', `${at(id)}/script`, undefined, true, { seen: (h) => (etag = h.get('ETag') ?? '') });
      return { doc, etag };
    },
    async save(id, etag, doc) {
      return (await request<{ job: JobStatus }>('PUT', `${at(id)}/script`, doc, true, { headers: { 'If-Match': etag } })).job;
    },
    versions: (id) => request<VersionList>('GET', `${at(id)}/versions`),
    restore: (id, v) => request<Podcast>('POST', `${at(id)}/versions/${v}/restore`),
    rewrite: (id, req) => request<RewriteProposal>('POST', `${at(id)}/script/rewrite`, req),
  };
}
