import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, secretMask, type ProviderHealth, type Settings as SettingsT } from '../api';
import { mockBackend, sampleSettings, sampleTemplate } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import NewPodcast from './NewPodcast.svelte';
import Settings from './Settings.svelte';

afterEach(() => vi.restoreAllMocks());

// The settings screen is the largest to render; on a loaded machine its
// first render alone can take seconds.
vi.setConfig({ testTimeout: 20_000 });

const espeakInUse: ProviderHealth[] = [
  { name: 'ollama', label: 'Ollama', kind: 'llm', url: 'http://127.0.0.1:11434', state: 'optional', message: 'Could not reach http://127.0.0.1:11434: nothing is listening there. Until it works, the offline writer writes the scripts.' },
  { name: 'espeak', label: 'espeak-ng (built in)', kind: 'tts', url: 'espeak-ng', state: 'ok', message: 'Ready: podcasts are voiced by espeak-ng (built in).' },
  { name: 'openai', label: 'OpenAI-compatible voice server', kind: 'tts', url: 'http://127.0.0.1:8880/v1', state: 'unused', message: 'Not used: the voices come from espeak-ng (built in).' },
  { name: 'whisper-asr', label: 'Whisper ASR Webservice', kind: 'asr', url: 'http://127.0.0.1:9000', state: 'down', message: 'Could not reach http://127.0.0.1:9000: nothing is listening there.' },
];

const admin = { id: 'u1', username: 'alice', email: null, isAdmin: true, createdAt: '2026-11-25T10:00:00Z' };

describe('Settings: services', () => {
  it('shows unused services grey and failures in the backend\'s plain words', async () => {
    const m = mockBackend();
    m.api.settings!.testProviders.mockResolvedValue(espeakInUse);
    renderWithStores(Settings, {}, m);
    const section = await screen.findByRole('region', { name: 'Services' });
    await within(section).findByText('Ollama');
    const list = within(section).getByRole('list');
    expect(within(list).getByRole('img', { name: 'Not used' })).toBeTruthy();
    expect(within(list).getByRole('img', { name: 'Not working, not needed now' })).toBeTruthy();
    expect(within(list).getByRole('img', { name: 'Working' })).toBeTruthy();
    expect(within(list).getByRole('img', { name: 'Not working' })).toBeTruthy();
    expect(within(list).getByText('Not used: the voices come from espeak-ng (built in).')).toBeTruthy();
    expect(within(list).getByText(/nothing is listening there\. Until it works/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(m.api.settings!.testProviders).toHaveBeenCalledTimes(2);
  });

  it('shows the model, its context length, and the Ollama options with their defaults', async () => {
    const m = mockBackend();
    m.api.settings!.listModels.mockResolvedValue([
      { name: 'llama3.2:latest', size: 2e9, family: 'llama', parameterSize: '3B', quantization: 'Q4_K_M', modifiedAt: '' },
      { name: 'qwen2.5:7b', size: 4e9, family: 'qwen2', parameterSize: '7B', quantization: 'Q4_K_M', modifiedAt: '' },
    ]);
    renderWithStores(Settings, {}, m);
    await waitFor(() => expect(screen.getByTestId('model-context').textContent).toContain('context length 131,072 tokens'));
    expect(screen.getByTestId('model-context').textContent).toContain('30,000 characters');
    const model = screen.getByLabelText('Ollama model') as HTMLSelectElement;
    await waitFor(() => expect([...model.options].map((o) => o.value)).toEqual(['llama3.2:latest', 'qwen2.5:7b', 'llama3.2']));
    expect((screen.getByLabelText('Context window (num_ctx, tokens)') as HTMLInputElement).value).toBe('8192');
    expect(screen.getByText("Default 0.9.")).toBeTruthy();
    await fireEvent.change(model, { target: { value: 'qwen2.5:7b' } });
    await fireEvent.input(screen.getByLabelText('Top P (0 to 1)'), { target: { value: '0.8' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.api.settings!.save).toHaveBeenCalled());
    const sent = m.api.settings!.save.mock.calls[0][0] as SettingsT;
    expect(sent.ollama.model).toBe('qwen2.5:7b');
    expect(sent.ollama.options.top_p).toBe(0.8);
  });

  it('puts a refusal under the input of its key', async () => {
    const m = mockBackend();
    m.api.settings!.save.mockRejectedValueOnce(new AppError({ code: 'invalid_request', field: 'ollama.options.top_p', message: '1.5 is out of range (0 to 1)' }));
    renderWithStores(Settings, {}, m);
    await fireEvent.input(await screen.findByLabelText('Top P (0 to 1)'), { target: { value: '1.5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const msg = await screen.findByText('1.5 is out of range (0 to 1)');
    expect(msg.id).toBe('s-ollama-options-top_p-error');
    expect(screen.getByLabelText('Top P (0 to 1)').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Settings: voices', () => {
  it('says which preset is best without a GPU, fills its address, and checks again after saving', async () => {
    const m = mockBackend();
    m.api.settings!.testProviders.mockResolvedValueOnce(espeakInUse);
    m.api.settings!.save.mockImplementation(async (s: SettingsT) => ({ ...s, tts: { ...s.tts, provider: 'openai' } }));
    renderWithStores(Settings, {}, m);
    expect((await screen.findByTestId('cpu-best')).textContent).toContain('Pocket TTS (Kyutai)');
    const server = screen.getByLabelText('Voice server') as HTMLSelectElement;
    expect([...server.options].map((o) => o.textContent)).toContain('Pocket TTS (Kyutai) (best without a GPU)');
    await fireEvent.change(server, { target: { value: 'pocket-tts' } });
    const url = screen.getByLabelText('Pocket TTS (Kyutai) URL') as HTMLInputElement;
    expect(url.value).toBe('http://127.0.0.1:8000/v1');
    expect(screen.getByText(/uvx pocket-tts serve/)).toBeTruthy();
    expect(screen.getByText('Save to list the voices of the new server.')).toBeTruthy();

    m.api.settings!.testProviders.mockResolvedValueOnce([
      { name: 'openai', label: 'Pocket TTS (Kyutai)', kind: 'tts', url: 'http://127.0.0.1:8000/v1', state: 'ok', message: 'Ready: podcasts are voiced by Pocket TTS (Kyutai).' },
      { name: 'espeak', label: 'espeak-ng (built in)', kind: 'tts', url: 'espeak-ng', state: 'unused', message: 'Not used: the voices come from Pocket TTS (Kyutai).' },
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Ready: podcasts are voiced by Pocket TTS (Kyutai).')).toBeTruthy();
    const sent = m.api.settings!.save.mock.calls[0][0] as SettingsT;
    expect(sent.tts).toMatchObject({ preset: 'pocket-tts', presetUrl: 'http://127.0.0.1:8000/v1', provider: 'openai' });
    expect(m.api.settings!.testProviders).toHaveBeenCalledTimes(2);
    // The preset's own voices are offered for each speaker of the default template.
    await waitFor(() => expect(screen.getByLabelText('Alex').tagName).toBe('SELECT'));
    const alex = screen.getByLabelText('Alex') as HTMLSelectElement;
    expect([...alex.options].map((o) => o.value)).toEqual(['', 'alba', 'marius']);
    await fireEvent.change(alex, { target: { value: 'marius' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.api.settings!.save).toHaveBeenCalledTimes(2));
    expect((m.api.settings!.save.mock.calls[1][0] as SettingsT).tts.voices).toEqual({ Alex: 'marius' });
  });

  it('keeps keys masked: sent back as received unless a new one is typed', async () => {
    const m = mockBackend();
    const s = sampleSettings();
    s.tts.provider = 'openai';
    s.tts.openai.apiKey = secretMask;
    m.api.settings!.get.mockResolvedValue(s);
    renderWithStores(Settings, {}, m);
    const key = (await screen.findByLabelText('API key')) as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(key.value).toBe(secretMask);
    expect(screen.getByText(/A key is saved: leave it as is to keep it/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.api.settings!.save).toHaveBeenCalledTimes(1));
    expect((m.api.settings!.save.mock.calls[0][0] as SettingsT).tts.openai.apiKey).toBe(secretMask);
    await screen.findByText(/Settings saved/);
    await fireEvent.input(key, { target: { value: 'sk-new' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(m.api.settings!.save).toHaveBeenCalledTimes(2));
    expect((m.api.settings!.save.mock.calls[1][0] as SettingsT).tts.openai.apiKey).toBe('sk-new');
  });
});

describe('Settings: accounts', () => {
  it('lists, creates, resets and deletes the other accounts, never asking the desktop user for a password', async () => {
    const m = mockBackend();
    const bob = { id: 'u2', username: 'bob', email: null, isAdmin: false, createdAt: '2026-11-25T10:00:00Z' };
    m.api.accounts!.list.mockResolvedValue([admin, bob]);
    renderWithStores(Settings, {}, m, (s) => (s.session.user = admin));
    const section = await screen.findByRole('region', { name: 'Accounts' });
    await within(section).findByText('bob');
    // The desktop user's own row offers neither a reset nor a delete.
    expect(within(section).queryByRole('button', { name: 'Delete alice' })).toBeNull();

    await fireEvent.click(within(section).getByRole('button', { name: 'Give bob a new password' }));
    m.api.accounts!.resetPassword.mockRejectedValueOnce(new AppError({ code: 'invalid_request', field: 'password', message: 'use at least 8 characters' }));
    await fireEvent.input(within(section).getByLabelText('New password for bob'), { target: { value: 'short' } });
    await fireEvent.click(within(section).getByRole('button', { name: 'Set password' }));
    expect((await within(section).findByText('Use at least 8 characters')).id).toBe('reset-password-error');
    await fireEvent.input(within(section).getByLabelText('New password for bob'), { target: { value: 'bob-new-pass-1' } });
    await fireEvent.click(within(section).getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(m.api.accounts!.resetPassword).toHaveBeenLastCalledWith('u2', 'bob-new-pass-1'));
    expect(await within(section).findByText(/bob has a new password/)).toBeTruthy();

    await fireEvent.input(within(section).getByLabelText('Username'), { target: { value: 'carol' } });
    await fireEvent.input(within(section).getByLabelText('Password'), { target: { value: 'carol-pass-1' } });
    await fireEvent.click(within(section).getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(m.api.accounts!.create).toHaveBeenCalledWith('carol', 'carol-pass-1', false));

    // Deleting asks what happens to the podcasts, with no default, and
    // says what the backend did.
    await fireEvent.click(within(section).getByRole('button', { name: 'Delete bob' }));
    expect(m.api.accounts!.delete).not.toHaveBeenCalled();
    let confirm = within(section).getByRole('group', { name: 'Delete bob?' });
    expect(within(confirm).getByRole('button', { name: 'Delete bob and their podcasts' })).toBeTruthy();
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(within(section).queryByRole('group', { name: 'Delete bob?' })).toBeNull();
    await fireEvent.click(within(section).getByRole('button', { name: 'Delete bob' }));
    confirm = within(section).getByRole('group', { name: 'Delete bob?' });
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Delete bob, keep their podcasts' }));
    await waitFor(() => expect(m.api.accounts!.delete).toHaveBeenCalledWith('u2', 'keep'));
    expect(await within(section).findByText(/now belong to alice/)).toBeTruthy();
    expect(m.api.auth.changePassword).not.toHaveBeenCalled();
  });
});

describe('Settings in a browser', () => {
  it('has no model download', async () => {
    renderWithStores(Settings, {}, mockBackend('web'));
    await screen.findByLabelText('Ollama URL');
    expect(screen.queryByRole('button', { name: 'Pull model' })).toBeNull();
  });
});

describe('NewPodcast and the settings', () => {
  it('starts with the default length and language of the settings; a picked template applies its own', async () => {
    const m = mockBackend();
    const s = sampleSettings();
    s.generation.minutes = 12;
    s.generation.language = 'fr';
    m.api.settings!.get.mockResolvedValue(s);
    m.api.templates.list.mockResolvedValue([
      sampleTemplate({ minutes: 5, language: 'en' }),
      sampleTemplate({ id: 'brief', name: 'Brief', minutes: 2.5, language: 'de' }),
    ]);
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m, (st) => (st.session.user = admin));
    await waitFor(() => expect((screen.getByLabelText('Length (minutes)') as HTMLInputElement).value).toBe('12'));
    expect((screen.getByLabelText('Language') as HTMLInputElement).value).toBe('fr');
    await fireEvent.change(screen.getByLabelText('Template'), { target: { value: 'brief' } });
    expect((screen.getByLabelText('Length (minutes)') as HTMLInputElement).value).toBe('2.5');
    expect((screen.getByLabelText('Language') as HTMLInputElement).value).toBe('de');
  });

  it('in a browser, a user who is not an administrator starts from the template, without asking for the settings', async () => {
    const m = mockBackend('web');
    m.api.templates.list.mockResolvedValue([sampleTemplate({ minutes: 4, language: 'it' })]);
    renderWithStores(NewPodcast, { onStarted: vi.fn() }, m, (st) => (st.session.user = { ...admin, id: 'u3', username: 'nils', isAdmin: false }));
    await waitFor(() => expect((screen.getByLabelText('Length (minutes)') as HTMLInputElement).value).toBe('4'));
    expect((screen.getByLabelText('Language') as HTMLInputElement).value).toBe('it');
    expect(m.api.settings!.get).not.toHaveBeenCalled();
  });
});
