// The session store: who is logged in, and whether the first account must
// still be made. On the desktop the person at it is logged in without a
// password (auth.local).

import { errorMessage, type Backend, type PublicUser, type Unsubscribe } from '../api';

export class SessionStore {
  user = $state<PublicUser | null>(null);
  /** True while no account exists yet (the first-run screen shows; never on the desktop). */
  firstRun = $state(false);
  /** True once init has learnt whether someone is logged in. */
  ready = $state(false);
  busy = $state(false);
  error = $state('');

  private off: Unsubscribe | null = null;

  constructor(private readonly api: Backend) {}

  async init(): Promise<void> {
    this.error = '';
    this.off ??= this.api.auth.onSessionEnded((reason) => {
      if (!this.user) return;
      this.user = null;
      this.error = reason;
    });
    try {
      if (this.api.auth.local) {
        // The desktop: the person at it is the local user, no login.
        this.user = (await this.api.auth.local()).user;
        return;
      }
      this.firstRun = await this.api.auth.firstRunNeeded();
      if (!this.firstRun) {
        this.user = await this.api.auth.me().catch(() => null);
      }
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.ready = true;
    }
  }

  async login(username: string, password: string): Promise<boolean> {
    return this.run(async () => {
      this.user = (await this.api.auth.login(username.trim(), password)).user;
    });
  }

  async createFirstUser(username: string, password: string): Promise<boolean> {
    return this.run(async () => {
      this.user = (await this.api.auth.createFirstUser(username.trim(), password)).user;
      this.firstRun = false;
    });
  }

  async logout(): Promise<void> {
    await this.run(() => this.api.auth.logout());
    this.user = null;
  }

  private async run(fn: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      await fn();
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    this.off?.();
    this.off = null;
  }
}
