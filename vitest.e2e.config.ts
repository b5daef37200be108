import { defineConfig } from 'vitest/config';

/** Browser tests: a real server on a fresh embedded database, driven through Debian's Chromium. */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    reporters: ['default', './test/reporter.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
