// The library store: the user's podcasts as searched and sorted.

import { errorMessage, type Backend, type PodcastSummary, type SortOrder } from '../api';

const pageSize = 50;

export class LibraryStore {
  items = $state<PodcastSummary[]>([]);
  query = $state('');
  sort = $state<SortOrder>('newest');
  nextCursor = $state('');
  loading = $state(false);
  loaded = $state(false);
  error = $state('');
  private generation = 0;

  constructor(private readonly api: Backend) {}

  /** Loads the first page for the current query and sort. */
  async load(): Promise<void> {
    const gen = ++this.generation;
    this.loading = true;
    this.error = '';
    try {
      const page = await this.api.library.list({ q: this.query, sort: this.sort, limit: pageSize, cursor: '' });
      if (gen !== this.generation) return;
      this.items = page.items ?? [];
      this.nextCursor = page.nextCursor ?? '';
      this.loaded = true;
    } catch (err) {
      if (gen === this.generation) this.error = errorMessage(err);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await this.api.library.list({ q: this.query, sort: this.sort, limit: pageSize, cursor: this.nextCursor });
      if (gen !== this.generation) return;
      this.items = [...this.items, ...(page.items ?? [])];
      this.nextCursor = page.nextCursor ?? '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  /** Renames a podcast; returns the error message, or "" when it worked. */
  async rename(id: string, title: string): Promise<string> {
    try {
      const p = await this.api.library.rename(id, title.trim());
      this.items = this.items.map((x) => (x.id === id ? { ...x, title: p.title } : x));
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Deletes a podcast; returns the error message, or "" when it worked. */
  async remove(id: string): Promise<string> {
    try {
      await this.api.library.delete(id);
      this.items = this.items.filter((x) => x.id !== id);
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }
}
