// Rendering a component with the stores of a mock backend in context.

import { render } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { createStores, storesKey, type Stores } from '../stores';
import { mockBackend } from './mockBackend';

/**
 * Renders component with the stores of m; prepare may set them up first,
 * and stores passes those of an earlier render (a screen visited again).
 */
export function renderWithStores<P extends Record<string, unknown>>(
  component: Component<P>,
  props: P,
  m = mockBackend(),
  prepare?: (s: Stores) => void,
  stores: Stores = createStores(m.backend),
) {
  prepare?.(stores);
  const result = render(component as Component<Record<string, unknown>>, { props, context: new Map([[storesKey, stores]]) });
  return { result, unmount: result.unmount, stores, m };
}
