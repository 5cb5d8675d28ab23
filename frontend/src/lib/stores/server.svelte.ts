// The LAN server store (desktop only): whether the app shares its library
// on the network, at which addresses, with a QR code and the feed URL.

import { errorMessage, fieldProblem, type Backend, type ServerStatus, type Unsubscribe } from '../api';

export class ServerStore {
  status = $state<ServerStatus | null>(null);
  busy = $state(false);
  error = $state('');
  /**
   * Why sharing needs a password first, when it does: the desktop account
   * has none until the person at it chooses one to log in from a phone.
   */
  passwordNeeded = $state('');
  private off: Unsubscribe | null = null;

  constructor(private readonly api: Backend) {}

  get available(): boolean {
    return this.api.server !== null;
  }

  async load(): Promise<void> {
    const port = this.api.server;
    if (!port) return;
    if (!this.off) this.off = port.subscribe((s) => (this.status = s));
    try {
      this.status = await port.status();
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async setRunning(on: boolean): Promise<void> {
    const port = this.api.server;
    if (!port) return;
    this.busy = true;
    this.error = '';
    try {
      this.status = on ? await port.start() : await port.stop();
      this.passwordNeeded = '';
      if (this.status.error) this.error = this.status.error;
    } catch (err) {
      const p = fieldProblem(err);
      if (on && p?.field === 'password') this.passwordNeeded = p.message;
      else this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    this.off?.();
    this.off = null;
  }
}
