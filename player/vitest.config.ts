import { defineConfig } from 'vitest/config';

// Tests run in node: the pure modules of the app, and the server against stub upstreams.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
