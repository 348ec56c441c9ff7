import { defineConfig } from 'vitest/config';

// The kernel tier: tests against a real IPVS kernel, as root. Run it through
// `npm run test:kernel` (scripts/kernel-tier.mjs), which runs it natively when the host kernel has
// ip_vs and otherwise inside the qemu guest of test/vm/; the setup file refuses to run anywhere
// else, so a kernel test can never pass or skip on a machine that does not exercise the kernel.
//
// Files run in parallel: every test makes its own network namespace (test/kernel/support/netns.ts),
// so IPVS tables never collide. Two workers match the guest's two vCPUs; under qemu TCG code runs
// about ten times slower than natively, hence the generous timeouts.
export default defineConfig({
  test: {
    include: ['test/kernel/**/*.test.ts'],
    setupFiles: ['test/kernel/support/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    // Two worker processes for the whole run, each running file after file: starting a worker
    // under TCG takes 20 s on a quiet host, and vitest gives a starting worker 60 s (hard-coded)
    // before it drops the file as failed. Files share no state: each makes its own namespaces and
    // its own teardown, and nothing in the tier mocks modules.
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
