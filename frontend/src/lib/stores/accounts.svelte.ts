// The accounts store (administrators): the other accounts, the people who
// log in from a phone or another computer, with create, password reset and
// delete. Problems with a name or password land at their field.

import { errorMessage, fieldProblem, type Backend, type FieldProblem, type PodcastsOnDelete, type PublicUser } from '../api';

export class AccountsStore {
  users = $state<PublicUser[]>([]);
  error = $state('');
  problems = $state<FieldProblem[]>([]);
  /** What the last action did, for a status line. */
  done = $state('');
  busy = $state(false);

  constructor(private readonly api: Backend) {}

  get available(): boolean {
    return this.api.accounts !== null;
  }

  async load(): Promise<void> {
    const port = this.api.accounts;
    if (!port) return;
    try {
      this.users = await port.list();
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Creates an account; true when made. */
  async create(username: string, password: string, isAdmin: boolean): Promise<boolean> {
    return this.act(async (port) => {
      await port.create(username, password, isAdmin);
      return `${username} can now log in from other devices.`;
    });
  }

  async resetPassword(user: PublicUser, password: string): Promise<boolean> {
    return this.act(async (port) => {
      await port.resetPassword(user.id, password);
      return `${user.username} has a new password; their devices must log in again.`;
    });
  }

  /** Deletes an account; podcasts says whether its podcasts go too or become the caller's. The server's answer says what went. */
  async remove(user: PublicUser, podcasts: PodcastsOnDelete): Promise<boolean> {
    return this.act(async (port) => (await port.delete(user.id, podcasts)).message);
  }

  at(field: string): string[] {
    return this.problems.filter((p) => p.field === field).map((p) => p.message);
  }

  // fn does the action and says what it did, for the status line.
  private async act(fn: (port: NonNullable<Backend['accounts']>) => Promise<string>): Promise<boolean> {
    const port = this.api.accounts;
    if (!port) return false;
    this.busy = true;
    this.error = '';
    this.problems = [];
    this.done = '';
    try {
      const said = await fn(port);
      this.done = said;
      await this.load();
      return true;
    } catch (err) {
      const p = fieldProblem(err);
      if (p) this.problems = [p];
      else this.error = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
