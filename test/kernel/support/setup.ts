// Setup file of every kernel test file (vitest.kernel.config.ts): outside the kernel tier the file
// fails here, before any of its tests can skip or pass.
import { requireKernelTier } from './tier.js';

requireKernelTier();
