import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const outDir = 'dist';

// go:embed in desktop.go needs frontend/dist to exist on a fresh clone, so the
// folder holds a committed .gitkeep. Vite empties dist before each build; this
// puts the file back so a build never shows up as a change in git.
// A failed build runs buildEnd but not closeBundle, so both put it back.
function keepGitkeep(): Plugin {
  const put = () => {
    const dir = resolve(import.meta.dirname, outDir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, '.gitkeep'), '');
  };
  return {
    name: 'podcastfy:keep-gitkeep',
    apply: 'build',
    buildEnd: put,
    closeBundle: put,
  };
}

// Wails serves frontend/dist from the embedded files; relative asset URLs let
// the same build be served by the LAN HTTP server under any prefix.
export default defineConfig({
  plugins: [svelte(), svelteTesting(), keepGitkeep()],
  base: './',
  build: { outDir, emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
