// The settings store (desktop only): config, provider health, Ollama models
// and model downloads with their progress.

import {
  errorMessage,
  fieldProblem,
  type Backend,
  type FieldProblem,
  type ModelInfo,
  type ProviderHealth,
  type PullProgress,
  type Settings,
  type Unsubscribe,
} from '../api';

export class SettingsStore {
  settings = $state<Settings | null>(null);
  health = $state<ProviderHealth[]>([]);
  models = $state<ModelInfo[]>([]);
  pull = $state<PullProgress | null>(null);
  testing = $state(false);
  error = $state('');
  modelsError = $state('');
  healthError = $state('');
  pullError = $state('');
  problems = $state<FieldProblem[]>([]);
  saved = $state(false);
  private off: Unsubscribe | null = null;

  constructor(private readonly api: Backend) {}

  get available(): boolean {
    return this.api.settings !== null;
  }

  async load(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    if (!this.off) {
      this.off = port.onPull((p) => {
        this.pull = p;
        if (p.error) this.pullError = p.error;
        if (p.done && !p.error) void this.loadModels();
      });
    }
    try {
      this.settings = await port.get();
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
    await Promise.all([this.test(), this.loadModels()]);
  }

  async save(s: Settings): Promise<boolean> {
    const port = this.api.settings;
    if (!port) return false;
    this.problems = [];
    this.saved = false;
    this.error = '';
    try {
      this.settings = await port.save(s);
      this.saved = true;
      return true;
    } catch (err) {
      const problem = fieldProblem(err);
      if (problem) this.problems = [problem];
      else this.error = errorMessage(err);
      return false;
    }
  }

  async test(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    this.testing = true;
    try {
      this.health = await port.testProviders();
      this.healthError = '';
    } catch (err) {
      this.healthError = errorMessage(err);
    } finally {
      this.testing = false;
    }
  }

  async loadModels(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    try {
      this.models = await port.listModels();
      this.modelsError = '';
    } catch (err) {
      this.modelsError = errorMessage(err);
    }
  }

  async pullModel(name: string): Promise<void> {
    const port = this.api.settings;
    if (!port || !name.trim()) return;
    this.pullError = '';
    this.pull = { model: name.trim(), status: 'starting', completed: 0, total: 0, done: false };
    try {
      await port.pullModel(name.trim());
    } catch (err) {
      this.pullError = errorMessage(err);
      this.pull = null;
    }
  }

  dispose(): void {
    this.off?.();
    this.off = null;
  }
}
