import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Tests run in node: the pure modules of the app, components rendered to HTML as the server
// would, and the server against stub upstreams.
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
