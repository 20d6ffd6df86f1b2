import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/*
 * One platform for the whole suite (test/global-setup.ts), so the files run one after another,
 * in this order: the failover test kills an edge, and the shutdown test stops the platform.
 */
const order = ['viewer', 'content-team', 'failover', 'shutdown'];
const rank = (file: TestSpecification) => {
  const index = order.findIndex((name) => file.moduleId.endsWith(`/${name}.e2e.test.ts`));
  return index === -1 ? order.length - 2 : index;
};

class PlatformOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: PlatformOrder },
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
