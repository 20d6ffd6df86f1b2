import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/*
 * One platform for the whole suite (test/global-setup.ts), so the files run one after another,
 * in this order: the interop test unpublishes a demo title nobody after it plays, the analytics
 * test reads the demo demand's misses before the failover test kills an edge, the shutdown test
 * stops the platform, and the token renewal test starts it again on the same data with
 * short-lived tokens.
 */
const order = [
  'viewer',
  'content-team',
  'interop',
  'standard-players',
  'analytics',
  'failover',
  'shutdown',
  'token-renewal',
];
const rank = (file: TestSpecification) => {
  const index = order.findIndex((name) => file.moduleId.endsWith(`/${name}.e2e.test.ts`));
  return index === -1 ? order.indexOf('failover') : index;
};

class PlatformOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    // The soak brings its own platform: vitest.soak.config.ts.
    exclude: [...configDefaults.exclude, 'test/soak.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: PlatformOrder },
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
