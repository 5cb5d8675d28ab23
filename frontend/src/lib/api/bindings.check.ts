// Type-level tests, compiled by `npm run check` (never run): the frontend's
// shapes agree with the Go types in frontend/wailsjs/go/models.ts, also
// those that reach the frontend only as event payloads, and the check
// itself catches drift (each @ts-expect-error fails the build when the
// mismatch it expects goes unnoticed).

import type { admin, auth, config, core, desktop, library, llm, player, providers, store, template, tts } from '../../../wailsjs/go/models';
import { read, send, type Reads, type Writes } from './bindings';
import type {
  Chapter,
  ChapterMark,
  Cue,
  FieldProblem,
  JobStatus,
  LibraryPage,
  ListQuery,
  ContextInfo,
  LiveLines,
  ModelInfo,
  PickedSource,
  PlayerStatus,
  Podcast,
  PodcastDetail,
  ProviderHealth,
  PublicUser,
  Plan,
  ServerStatus,
  Session,
  Settings,
  SourceRef,
  Speaker,
  Summary,
  Template,
  UserRemoved,
  Voice,
  VoicePreset,
} from './types';
import type { RewriteProposal, RewriteRequest, ScriptDoc, VersionList } from './studio';

export type Agreements = [
  Reads<PublicUser, auth.PublicUser>,
  Reads<Session, auth.Session>,
  Reads<JobStatus, core.Status>,
  Reads<PlayerStatus, player.Status>,
  Reads<ServerStatus, desktop.ServerStatus>,
  Reads<ProviderHealth, admin.Health>,
  Reads<Plan, core.Plan>,
  Reads<UserRemoved, core.UserRemoved>,
  Reads<PickedSource, desktop.PickedSource>,
  Reads<FieldProblem, desktop.FieldProblem>,
  Reads<Cue, desktop.Cue>,
  Reads<LiveLines, core.LiveLines>,
  Reads<Chapter, desktop.Chapter>,
  Reads<ChapterMark, store.ChapterMark>,
  Reads<Podcast, store.Podcast>,
  Reads<PodcastDetail, desktop.PodcastDetail>,
  Reads<Summary, library.Summary>,
  Reads<LibraryPage, library.Page>,
  Reads<ModelInfo, llm.ModelInfo>,
  Reads<ContextInfo, llm.ContextInfo>,
  Reads<VoicePreset, providers.Preset>,
  Reads<Voice, tts.Voice>,
  Reads<Speaker, template.Speaker>,
  Reads<Template, template.Template>,
  Reads<Settings, config.Settings>,
  Writes<Settings, config.Settings>,
  Writes<Template, template.Template>,
  Writes<SourceRef, desktop.SourceRef>,
  Writes<ListQuery, library.Query>,
  Reads<ScriptDoc, core.ScriptDoc>,
  Writes<ScriptDoc, core.ScriptDoc>,
  Reads<VersionList, core.Versions>,
  Reads<RewriteProposal, core.Proposal>,
  Writes<RewriteRequest, core.RewriteRequest>,
];
export const agreements: Agreements = [
  true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
];

// Drift the check must see.
type Renamed = Omit<Podcast, 'generatedDate'> & { createdAt: string };
type Retyped = Omit<JobStatus, 'progress'> & { progress: string };
type DeepRetyped = Omit<Settings, 'server'> & { server: Omit<Settings['server'], 'port'> & { port: string } };
type NotAList = Omit<Template, 'structure'> & { structure: string };
type Unsent = Omit<Settings, 'writer'>;

// @ts-expect-error a field Go does not have
export const renamed: Reads<Renamed, store.Podcast> = true;
// @ts-expect-error a field of another type
export const retyped: Reads<Retyped, core.Status> = true;
// @ts-expect-error a nested field of another type
export const deep: Reads<DeepRetyped, config.Settings> = true;
// @ts-expect-error a list read as text
export const notAList: Reads<NotAList, template.Template> = true;
// @ts-expect-error a Go field the frontend would not send
export const unsent: Writes<Unsent, config.Settings> = true;

// The same through the helpers the desktop adapter calls.
export function helpers(status: core.Status, settings: Settings & Unsent) {
  // @ts-expect-error an answer read as a type it does not have
  read<Retyped>()(status);
  // @ts-expect-error a value that lacks a Go field
  send<config.Settings>()(settings as Unsent);
  return [read<JobStatus>()(status), send<config.Settings>()(settings)];
}
