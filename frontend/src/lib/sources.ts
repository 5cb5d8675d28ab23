// The sources of a new podcast as the new-podcast screen holds them, and
// how they become a GenerateRequest's sources (picked files by token, web
// pages) and files (browser uploads). No path ever appears here: the
// desktop hands out tokens, a browser holds File objects.

import type { PickedSource, SourceRef, UploadFile } from './api';

/** At most this many sources per podcast (core.MaxSources). */
export const maxSources = 20;

/** What the open-file dialogs and file inputs offer. */
export const documentExts = ['.txt', '.md', '.markdown', '.html', '.htm', '.pdf'];
export const audioExts = ['.mp3', '.wav', '.m4a', '.ogg', '.flac', '.webm'];

/** One source on the screen: a file picked or dropped on the desktop, a file chosen in a browser, or a web page. */
export type SourceItem =
  | { type: 'picked'; key: string; name: string; kind: 'file' | 'audio'; size: number; token: string }
  | { type: 'upload'; key: string; name: string; kind: 'file' | 'audio'; size: number; file: File }
  | { type: 'url'; key: string; name: string; url: string };

type Of<T extends SourceItem['type']> = Extract<SourceItem, { type: T }>;

export function pickedItem(p: PickedSource): Of<'picked'> {
  return { type: 'picked', key: `t:${p.token}`, name: p.name, kind: p.kind, size: p.size, token: p.token };
}

/** A browser file; a recording is told by its type or name (the server checks the content). */
export function uploadItem(file: File): Of<'upload'> {
  const ext = file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.')).toLowerCase() : '';
  const kind = file.type.startsWith('audio/') || audioExts.includes(ext) ? 'audio' : 'file';
  return { type: 'upload', key: `f:${file.name}:${file.size}:${file.lastModified}`, name: file.name, kind, size: file.size, file };
}

export function urlItem(url: string): Of<'url'> {
  const u = url.trim();
  return { type: 'url', key: `u:${u}`, name: u, url: u };
}

/** Why text is not a web page address podcastfy can read, or "" when it is one. */
export function pageUrlProblem(text: string): string {
  const t = text.trim();
  if (!t) return 'Type the address of a web page.';
  if (t.length > 2048) return 'This address is too long.';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return 'This is not a web address: it should start with https:// or http://.';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Only web pages can be added: use an https:// or http:// address.';
  if (!u.hostname) return 'This address has no host name.';
  return '';
}

/** Adds items not already present, up to maxSources; says what did not fit. */
export function addItems(items: SourceItem[], more: SourceItem[]): { items: SourceItem[]; problem: string } {
  const known = new Set(items.map((i) => i.key));
  const fresh = more.filter((i) => !known.has(i.key) && known.add(i.key));
  const room = Math.max(0, maxSources - items.length);
  const problem = fresh.length > room ? `At most ${maxSources} files and web pages per podcast: ${fresh.length - room} were not added.` : '';
  return { items: [...items, ...fresh.slice(0, room)], problem };
}

/** The request's sources and uploads for the screen's items. */
export function requestSources(items: SourceItem[]): { sources: SourceRef[]; files: UploadFile[] } {
  const sources: SourceRef[] = [];
  const files: UploadFile[] = [];
  for (const i of items) {
    if (i.type === 'picked') sources.push({ token: i.token });
    else if (i.type === 'url') sources.push({ url: i.url });
    else files.push({ file: i.file, kind: i.kind });
  }
  return { sources, files };
}
