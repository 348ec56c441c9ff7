import { defineConfig } from 'vitest/config';

// The unit tier: pure code and fakes, no root, no kernel. Runs everywhere.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
