// Event names shared with the Go backend. The single source of truth is
// backend/events/events.go; events.test.ts fails when the two drift apart.

/** Names of the events the backend emits (Wails events on desktop, SSE on the LAN). */
export const Events = {
  JobProgress: 'job:progress',
  JobDone: 'job:done',
  JobFailed: 'job:failed',
  JobAudio: 'job:audio',
  PlayerPosition: 'player:position',
  PlayerState: 'player:state',
  ServerStatus: 'server:status',
  ModelPull: 'model:pull',
  SourcesDropped: 'sources:dropped',
  WindowClose: 'window:close',
} as const;

/** One of the event names in {@link Events}. */
export type EventName = (typeof Events)[keyof typeof Events];
