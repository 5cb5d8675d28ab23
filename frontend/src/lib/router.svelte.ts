// Hash-based routes (#/library, #/new, #/podcast/<id>, …), so that the LAN
// server only ever serves "/" and the desktop needs no history handling.

export type Route =
  | { name: 'library' }
  | { name: 'new' }
  | { name: 'job'; id: string }
  | { name: 'podcast'; id: string }
  | { name: 'script'; id: string }
  | { name: 'templates' }
  | { name: 'template'; id: string; from: string }
  | { name: 'settings' }
  | { name: 'sharing' }
  | { name: 'account' }
  | { name: 'notFound'; path: string };

/** The route a hash names ("" and "#/" are the library). */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(search);
  switch (parts[0] ?? 'library') {
    case 'library':
      if (parts.length <= 1) return { name: 'library' };
      break;
    case 'new':
      return { name: 'new' };
    case 'jobs':
      if (parts[1]) return { name: 'job', id: parts[1] };
      break;
    case 'podcast':
      if (parts[1] && parts.length === 2) return { name: 'podcast', id: parts[1] };
      if (parts[1] && parts[2] === 'script' && parts.length === 3) return { name: 'script', id: parts[1] };
      break;
    case 'templates':
      if (!parts[1]) return { name: 'templates' };
      return { name: 'template', id: parts[1], from: q.get('from') ?? '' };
    case 'settings':
      return { name: 'settings' };
    case 'sharing':
      return { name: 'sharing' };
    case 'account':
      return { name: 'account' };
  }
  return { name: 'notFound', path: raw };
}

/** The hash of a route. */
export function href(r: Route): string {
  switch (r.name) {
    case 'job':
      return `#/jobs/${encodeURIComponent(r.id)}`;
    case 'podcast':
      return `#/podcast/${encodeURIComponent(r.id)}`;
    case 'script':
      return `#/podcast/${encodeURIComponent(r.id)}/script`;
    case 'template':
      return `#/templates/${encodeURIComponent(r.id)}${r.from ? `?from=${encodeURIComponent(r.from)}` : ''}`;
    case 'notFound':
      return '#/library';
    default:
      return `#/${r.name}`;
  }
}

/** The current route, following the location's hash. */
export class Router {
  route = $state<Route>({ name: 'library' });

  constructor(private readonly win: Window = window) {
    this.route = parseRoute(win.location.hash);
  }

  private guards = new Set<(proceed: () => void) => boolean>();

  /**
   * Asks mayLeave before the route changes (a screen with unsaved edits);
   * when it answers false the route and the address stay, and it may call
   * proceed later (once the person chose to leave) to go on without asking
   * again. Returns the unsubscribe.
   */
  guard(mayLeave: (proceed: () => void) => boolean): () => void {
    this.guards.add(mayLeave);
    return () => this.guards.delete(mayLeave);
  }

  private allowed(next: Route): boolean {
    if (href(next) === href(this.route)) return true;
    const proceed = () => this.move(next);
    return [...this.guards].every((mayLeave) => mayLeave(proceed));
  }

  private move(r: Route): void {
    this.win.location.hash = href(r);
    this.route = r;
  }

  /** Follows hashchange; returns the unsubscribe. */
  listen(): () => void {
    const update = () => {
      const next = parseRoute(this.win.location.hash);
      if (!this.allowed(next)) {
        // The address changed already: put it back without a new history entry.
        this.win.history.replaceState(this.win.history.state, '', href(this.route));
        return;
      }
      this.route = next;
    };
    this.win.addEventListener('hashchange', update);
    return () => this.win.removeEventListener('hashchange', update);
  }

  /** Goes to r unless a guard keeps the route; returns whether it went. */
  go(r: Route): boolean {
    if (!this.allowed(r)) return false;
    this.move(r);
    return true;
  }
}
