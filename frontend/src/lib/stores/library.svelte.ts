// The library store: the user's podcasts as the backend searched and sorted
// them, one page at a time. It outlives the library screen, so that coming
// back from a podcast finds the same rows, count and place without asking
// the backend again.

import { errorMessage, type Backend, type SortOrder, type Summary } from '../api';

/** Rows asked for per page. */
export const pageSize = 50;

/** Where the library screen was left: the window's scroll offset and the row height its list measured. */
export interface Place {
  scrollY: number;
  rowHeight: number;
}

export class LibraryStore {
  /** The pages loaded so far, in order; a page is appended in place. */
  items = $state<Summary[]>([]);
  /** How many podcasts match in all. */
  total = $state(0);
  query = $state('');
  sort = $state<SortOrder>('newest');
  nextCursor = $state('');
  loading = $state(false);
  loaded = $state(false);
  error = $state('');
  /** The rows no longer match the library (a podcast was made): the screen lists again. */
  stale = $state(false);
  /** Where the screen was left, kept while the rows are unchanged. */
  place: Place | null = null;
  private generation = 0;

  constructor(private readonly api: Backend) {}

  /** True when the screen must load: nothing loaded yet, or the rows are out of date. */
  get current(): boolean {
    return this.loaded && !this.stale;
  }

  /** Marks the rows out of date. */
  invalidate(): void {
    this.stale = true;
  }

  /** Loads the first page for the current query and sort, replacing the rows. */
  async load(): Promise<void> {
    const gen = ++this.generation;
    this.loading = true;
    this.error = '';
    this.stale = false;
    this.place = null;
    try {
      const page = await this.api.library.list({ q: this.query.trim(), sort: this.sort, limit: pageSize, cursor: '' });
      if (gen !== this.generation) return;
      this.items = page.items ?? [];
      this.total = page.total;
      this.nextCursor = page.nextCursor ?? '';
      this.loaded = true;
    } catch (err) {
      if (gen === this.generation) this.error = errorMessage(err);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  /** Appends the next page. */
  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await this.api.library.list({ q: this.query.trim(), sort: this.sort, limit: pageSize, cursor: this.nextCursor });
      if (gen !== this.generation) return;
      // In place: the rows loaded so far are neither copied nor drawn again.
      this.items.push(...(page.items ?? []));
      this.total = page.total;
      this.nextCursor = page.nextCursor ?? '';
    } catch (err) {
      if (gen === this.generation) this.error = errorMessage(err);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  /** Renames a podcast; returns the error message, or "" when it worked. */
  async rename(id: string, title: string): Promise<string> {
    try {
      const p = await this.api.library.rename(id, title.trim());
      const row = this.items.find((x) => x.id === id);
      if (row) row.title = p.title;
      // Another title may belong elsewhere in a title sort.
      if (this.sort === 'title') this.invalidate();
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Deletes a podcast; returns the error message, or "" when it worked. */
  async remove(id: string): Promise<string> {
    try {
      await this.api.library.delete(id);
      const i = this.items.findIndex((x) => x.id === id);
      if (i >= 0) {
        this.items.splice(i, 1);
        this.total = Math.max(0, this.total - 1);
        // The saved layout has one row too many.
        this.place = null;
      }
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }
}
