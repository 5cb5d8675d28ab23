// The administrators' parts of the browser Backend: settings and the
// health of the services they name (/admin/…), and the other accounts
// (/users). The routes answer "forbidden" to anyone else, so the screens
// show them only to administrators.

import type { AccountsPort, SettingsPort } from './backend';
import type { ContextInfo, ModelInfo, ProviderHealth, PublicUser, Settings, UserRemoved, VoicePreset } from './types';

/** The http.ts request function: JSON in and out, errors as AppError. */
export type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function adminSettings(request: Request): SettingsPort {
  return {
    get: () => request<Settings>('GET', '/admin/settings'),
    save: (s) => request<Settings>('PUT', '/admin/settings', s),
    testProviders: async () => (await request<{ services: ProviderHealth[] }>('GET', '/admin/health')).services,
    listModels: async () => (await request<{ models: ModelInfo[] }>('GET', '/admin/models')).models,
    presets: async () => (await request<{ presets: VoicePreset[] }>('GET', '/admin/voice-presets')).presets,
    modelContext: () => request<ContextInfo>('GET', '/admin/models/context'),
    // Downloading a model is for the machine's own window.
    pullModel: null,
    onPull: null,
  };
}

export function adminAccounts(request: Request): AccountsPort {
  const user = (id: string) => `/users/${encodeURIComponent(id)}`;
  return {
    list: async () => (await request<{ users: PublicUser[] }>('GET', '/users')).users,
    create: (username, password, isAdmin) => request<PublicUser>('POST', '/users', { username, password, isAdmin }),
    resetPassword: (id, password) => request<void>('POST', `${user(id)}/password`, { password }),
    delete: (id, podcasts) => request<UserRemoved>('DELETE', `${user(id)}?podcasts=${encodeURIComponent(podcasts)}`),
  };
}
