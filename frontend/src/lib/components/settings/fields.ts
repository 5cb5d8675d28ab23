// Helpers shared by the settings sections: one id per settings key, so a
// problem the backend reports at "ollama.options.top_p" lands under its
// input, and the documented defaults shown beside the inputs.

/** The input id of a settings key: "ollama.options.top_p" → "s-ollama-options-top_p". */
export function fieldId(key: string): string {
  return 's-' + key.replace(/[.[\]]+/g, '-').replace(/-$/, '');
}

/** The defaults of ollama.options (config.Defaults), shown as hints. */
export const ollamaDefaults = { num_ctx: 8192, temperature: 0.7, top_p: 0.9, keep_alive: '10m' } as const;

/** Every key the sections show an input for; other problems go in one alert. */
export const shownKeys = new Set([
  'ollama.url',
  'ollama.model',
  'ollama.options.num_ctx',
  'ollama.options.temperature',
  'ollama.options.top_p',
  'ollama.options.keep_alive',
  'writer',
  'tts.provider',
  'tts.preset',
  'tts.presetUrl',
  'tts.openai.url',
  'tts.openai.model',
  'tts.openai.apiKey',
  'tts.kyutai.url',
  'tts.kyutai.apiKey',
  'tts.piper.url',
  'whisper.provider',
  'whisper.url',
  'whisper.model',
  'whisper.apiKey',
  'generation.template',
  'generation.minutes',
  'generation.language',
]);
