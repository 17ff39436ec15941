/** E2E: headless Chromium against `npm start`, in Node (not workerd), one file at a time. */
import { defineConfig } from 'vitest/config';
import { reporters } from './vitest.reporters';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    ...reporters('e2e'),
  },
});
