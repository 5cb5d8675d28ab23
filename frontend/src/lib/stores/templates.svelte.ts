// The templates store: built-in and user templates, and saving with the
// problems the backend finds, by field.

import { errorMessage, fieldProblem, type Backend, type FieldProblem, type Template } from '../api';
import { validateTemplate } from '../validate';

/** The result of saving: the saved template, or why not. */
export interface SaveResult {
  saved: Template | null;
  problems: FieldProblem[];
  error: string;
}

export class TemplatesStore {
  items = $state<Template[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state('');

  constructor(private readonly api: Backend) {}

  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.items = await this.api.templates.list();
      this.loaded = true;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  byId(id: string): Template | undefined {
    return this.items.find((t) => t.id === id);
  }

  /** Problems found locally and, on the desktop, by the backend. */
  async validate(t: Template): Promise<FieldProblem[]> {
    const local = validateTemplate(t);
    if (local.length > 0) return local;
    try {
      return await this.api.templates.validate(t);
    } catch (err) {
      return [{ field: '', message: errorMessage(err) }];
    }
  }

  async save(t: Template, isNew: boolean): Promise<SaveResult> {
    const local = validateTemplate(t);
    if (local.length > 0) return { saved: null, problems: local, error: '' };
    try {
      const saved = await this.api.templates.save(t, isNew);
      const rest = this.items.filter((x) => x.id !== saved.id);
      this.items = [...rest, saved].sort((a, b) => a.name.localeCompare(b.name));
      return { saved, problems: [], error: '' };
    } catch (err) {
      const problem = fieldProblem(err);
      return problem ? { saved: null, problems: [problem], error: '' } : { saved: null, problems: [], error: errorMessage(err) };
    }
  }

  async remove(id: string): Promise<string> {
    try {
      await this.api.templates.delete(id);
      this.items = this.items.filter((t) => t.id !== id);
      return '';
    } catch (err) {
      return errorMessage(err);
    }
  }
}
