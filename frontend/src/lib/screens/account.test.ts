import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../api';
import { mockBackend } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import Account from './Account.svelte';
import Sidebar from './Sidebar.svelte';

afterEach(() => vi.restoreAllMocks());

describe('Account (browser)', () => {
  it('shows the feed address with its QR code and replaces it after a warning', async () => {
    const m = mockBackend('web');
    renderWithStores(Account, {}, m);
    const url = (await screen.findByLabelText('Feed address')) as HTMLInputElement;
    expect(url.value).toBe('http://192.168.1.5:8765/feed.xml?key=k1');
    expect(screen.getByAltText('QR code of the feed address').getAttribute('src')).toBe('data:image/png;base64,AAAA');
    await fireEvent.click(screen.getByRole('button', { name: 'New feed address…' }));
    expect(m.api.feed!.rotate).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Replace the address' }));
    await waitFor(() => expect(url.value).toBe('http://192.168.1.5:8765/feed.xml?key=k2'));
    expect(screen.getByAltText('QR code of the feed address').getAttribute('src')).toBe('data:image/png;base64,BBBB');
    expect(screen.getByText(/the old one no longer works/)).toBeTruthy();
  });

  it('shows a wrong current password at its field', async () => {
    const m = mockBackend('web');
    m.api.auth.changePassword.mockRejectedValueOnce(new AppError({ code: 'forbidden', field: 'currentPassword', message: 'the current password is wrong' }, 403));
    renderWithStores(Account, {}, m);
    await fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'guess' } });
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'new-pass-12' } });
    await fireEvent.input(screen.getByLabelText('Repeat the new password'), { target: { value: 'new-pass-12' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(document.getElementById('pw-old-error')?.textContent).toBe('The current password is wrong'));
    expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists the voices of a language and plays one', async () => {
    const m = mockBackend('web');
    m.api.voices.list.mockResolvedValue([
      { id: 'de', name: 'German', language: 'de', gender: 'male' },
      { id: 'de+f2', name: 'German (f2)', language: 'de', gender: 'female' },
    ]);
    renderWithStores(Account, {}, m);
    await fireEvent.input(screen.getByLabelText('Language'), { target: { value: 'de' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(m.api.voices.list).toHaveBeenLastCalledWith('', 'de'));
    const list = await screen.findByRole('list', { name: 'Voices' });
    expect(within(list).getByText('German (f2)')).toBeTruthy();
    expect(within(list).getByText('de · female')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Hear German (f2)' }));
    expect(m.api.voices.preview).toHaveBeenCalledWith('', 'de+f2', '');
  });

  it('says why the voices cannot be listed', async () => {
    const m = mockBackend('web');
    m.api.voices.list.mockRejectedValue(new AppError({ code: 'unavailable', message: 'the piper voices cannot be listed: connection refused' }, 503));
    renderWithStores(Account, {}, m);
    expect((await screen.findByRole('alert')).textContent).toContain('The piper voices cannot be listed');
  });
});

describe('Sidebar in a browser', () => {
  it('links the account page and offers Log out', async () => {
    const m = mockBackend('web');
    renderWithStores(Sidebar, { route: { name: 'account' } }, m);
    expect(screen.getByRole('link', { name: 'Account' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('button', { name: 'Log out' })).toBeTruthy();
  });
});
