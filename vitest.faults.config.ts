import { defineConfig } from 'vitest/config';

/**
 * The fault and load suite (`npm run test:faults`): kill -9, REST storms, gateway drops,
 * corrupt files, nasty inputs. Files run one at a time so load tests don't fight each other.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // The FAULTS summary lines are the point of this suite: show them.
    silent: false,
  },
});
