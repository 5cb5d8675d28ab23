// The settings store (administrators: the desktop's local user, admins in a
// browser): config, the health of the services it names, Ollama models and
// the chosen model's context, the voice presets, model downloads.

import {
  errorMessage,
  fieldProblem,
  type Backend,
  type ContextInfo,
  type FieldProblem,
  type ModelInfo,
  type ProviderHealth,
  type PullProgress,
  type Settings,
  type Unsubscribe,
  type VoicePreset,
} from '../api';

export class SettingsStore {
  settings = $state<Settings | null>(null);
  health = $state<ProviderHealth[]>([]);
  models = $state<ModelInfo[]>([]);
  presets = $state<VoicePreset[]>([]);
  context = $state<ContextInfo | null>(null);
  pull = $state<PullProgress | null>(null);
  testing = $state(false);
  error = $state('');
  modelsError = $state('');
  contextError = $state('');
  healthError = $state('');
  pullError = $state('');
  problems = $state<FieldProblem[]>([]);
  saved = $state(false);
  private off: Unsubscribe | null = null;

  constructor(private readonly api: Backend) {}

  get available(): boolean {
    return this.api.settings !== null;
  }

  /** Whether models can be downloaded here (the desktop). */
  get canPull(): boolean {
    return this.api.settings?.pullModel != null;
  }

  async load(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    if (!this.off && port.onPull) {
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
    await Promise.all([this.test(), this.loadModels(), this.loadPresets(), this.loadContext()]);
  }

  /**
   * Saves the settings; on success the status, models and context are
   * asked again, so the screen shows the services of what was saved.
   */
  async save(s: Settings): Promise<boolean> {
    const port = this.api.settings;
    if (!port) return false;
    this.problems = [];
    this.saved = false;
    this.error = '';
    try {
      this.settings = await port.save(s);
      this.saved = true;
    } catch (err) {
      const problem = fieldProblem(err);
      if (problem) this.problems = [problem];
      else this.error = errorMessage(err);
      return false;
    }
    await Promise.all([this.test(), this.loadModels(), this.loadContext()]);
    return true;
  }

  /** The problems of one settings key. */
  at(field: string): string[] {
    return this.problems.filter((p) => p.field === field).map((p) => p.message);
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
      this.models = [];
      this.modelsError = errorMessage(err);
    }
  }

  async loadPresets(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    try {
      this.presets = await port.presets();
    } catch {
      this.presets = [];
    }
  }

  async loadContext(): Promise<void> {
    const port = this.api.settings;
    if (!port) return;
    try {
      this.context = await port.modelContext();
      this.contextError = '';
    } catch (err) {
      this.context = null;
      this.contextError = errorMessage(err);
    }
  }

  async pullModel(name: string): Promise<void> {
    const port = this.api.settings;
    if (!port?.pullModel || !name.trim()) return;
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
