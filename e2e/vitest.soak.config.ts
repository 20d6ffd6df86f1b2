import { defineConfig } from 'vitest/config';

/*
 * The soak starts a platform of its own (its own ports, Redis and DATA_DIR), so it runs without
 * the suite's global setup and after the suite, never beside it: both use every core.
 */
export default defineConfig({
  test: {
    include: ['test/soak.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
  },
});
