import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { mockBackend } from '../testing/mockBackend';
import { renderWithStores } from '../testing/render';
import type { SourceItem } from '../sources';
import SourcesPicker from './SourcesPicker.svelte';

type Picker = { flush(): SourceItem[] | null };

const chips = () => within(screen.getByRole('list', { name: 'Added files' })).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());

describe('SourcesPicker on the desktop', () => {
  it('adds picked and dropped files as chips, removes them, and stops listening when closed', async () => {
    const m = mockBackend();
    m.api.generator.pickFiles!.mockResolvedValue([{ token: 't1', name: 'notes.pdf', kind: 'file', size: 2048 }]);
    const before = m.listeners();
    const { unmount } = renderWithStores(SourcesPicker, {}, m);
    expect(m.listeners()).toBe(before + 1);
    await fireEvent.click(screen.getByRole('button', { name: /Add documents/ }));
    expect(m.api.generator.pickFiles).toHaveBeenCalledWith('documents');
    await waitFor(() => expect(chips()).toEqual(['notes.pdf 2.0 KB']));
    m.dropFiles({ sources: [{ token: 't2', name: 'talk.mp3', kind: 'audio', size: 4e6 }, { token: 't1', name: 'notes.pdf', kind: 'file', size: 2048 }], problems: ['photo.png is not a document or recording'] });
    await waitFor(() => expect(chips()).toEqual(['notes.pdf 2.0 KB', 'talk.mp3 4.0 MB']));
    expect(screen.getByRole('alert').textContent).toContain('photo.png is not a document');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove notes.pdf' }));
    expect(chips()).toEqual(['talk.mp3 4.0 MB']);
    expect(document.querySelector('input[type=file]')).toBeNull();
    unmount();
    expect(m.listeners()).toBe(before);
  });

  it('asks for a recording and shows a refusal', async () => {
    const m = mockBackend();
    m.api.generator.pickFiles!.mockRejectedValue(new Error('notes.md is not a recording'));
    renderWithStores(SourcesPicker, {}, m);
    await fireEvent.click(screen.getByRole('button', { name: /Add a recording/ }));
    expect(m.api.generator.pickFiles).toHaveBeenCalledWith('audio');
    expect((await screen.findByRole('alert')).textContent).toMatch(/notes\.md is not a recording/i);
  });
});

describe('SourcesPicker in a browser', () => {
  it('takes files from the inputs and from a drop', async () => {
    renderWithStores(SourcesPicker, {}, mockBackend('web'));
    const [docs, audio] = [...document.querySelectorAll<HTMLInputElement>('input[type=file]')];
    expect(docs.accept).toContain('.pdf');
    expect(audio.accept).toContain('audio/*');
    await fireEvent.change(docs, { target: { files: [new File(['# Rivers'], 'rivers.md')] } });
    await fireEvent.change(audio, { target: { files: [new File(['ID3'], 'talk.mp3', { type: 'audio/mpeg' })] } });
    await fireEvent.drop(screen.getByRole('group', { name: 'Files and web pages' }), { dataTransfer: { files: [new File(['<p>x</p>'], 'page.html')] } });
    await waitFor(() => expect(chips()).toEqual(['rivers.md 8 B', 'talk.mp3 3 B', 'page.html 8 B']));
  });
});

describe('SourcesPicker web pages', () => {
  it('checks an address before adding it', async () => {
    renderWithStores(SourcesPicker, {}, mockBackend());
    const field = screen.getByLabelText(/Web page/);
    await fireEvent.input(field, { target: { value: 'file:///etc/passwd' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add page' }));
    expect(screen.getByText(/Only web pages can be added/)).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(field, { target: { value: 'https://example.org/rivers' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(chips()).toEqual(['https://example.org/rivers']);
    expect((field as HTMLInputElement).value).toBe('');
    expect(field.getAttribute('aria-invalid')).toBeNull();
  });

  it('adds a typed address on flush, or refuses it', async () => {
    const { result } = renderWithStores(SourcesPicker, {}, mockBackend());
    const picker = result.component as unknown as Picker;
    const field = screen.getByLabelText(/Web page/);
    expect(picker.flush()).toEqual([]);
    await fireEvent.input(field, { target: { value: 'example.org' } });
    expect(picker.flush()).toBeNull();
    await fireEvent.input(field, { target: { value: 'https://example.org/a' } });
    expect(picker.flush()?.map((i) => i.name)).toEqual(['https://example.org/a']);
  });
});
