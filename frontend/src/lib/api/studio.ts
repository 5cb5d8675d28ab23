// The shapes of the script studio (issue 15): the editable script of a
// podcast, its versions and a rewrite proposal, as GET /podcasts/{id}/script,
// GET /podcasts/{id}/versions and POST /podcasts/{id}/script/rewrite send
// them and the desktop's Studio facade returns them.

/** A speaker of the episode with the voice and speed every one of its lines uses. */
export interface ScriptSpeaker {
  name: string;
  voice: string;
  speed: number;
}

/** One spoken turn. */
export interface ScriptLine {
  speaker: string;
  text: string;
}

/** A titled run of lines; its first line is where the chapter starts. */
export interface ScriptChapter {
  title: string;
  lines: ScriptLine[];
}

/** The editable script of one version of a podcast. */
export interface ScriptDoc {
  podcastId: string;
  version: number;
  /** The version's tag, also sent as the ETag header; a save ignores it (If-Match carries it). */
  etag?: string;
  title: string;
  summary: string;
  language: string;
  template: string;
  speakers: ScriptSpeaker[];
  chapters: ScriptChapter[];
}

/** A script as read, with the tag a save must quote (HTTP ETag / If-Match). */
export interface EditableScript {
  doc: ScriptDoc;
  etag: string;
}

/** One kept version of a podcast. */
export interface VersionInfo {
  version: number;
  createdAt: string;
  duration: number;
  lines: number;
  words: number;
  current: boolean;
}

/** The kept versions, and which one the podcast plays now. */
export interface VersionList {
  current: number;
  versions: VersionInfo[];
}

/** What to rewrite: a chapter (0-based), or one line of it, and how. */
export interface RewriteRequest {
  chapter: number;
  line?: number;
  instruction: string;
}

/** The writer's proposed lines for the part asked for; nothing is saved until the user accepts. */
export interface RewriteProposal {
  lines: ScriptLine[];
}
