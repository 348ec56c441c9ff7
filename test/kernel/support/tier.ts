/**
 * Guards of the kernel test tier.
 *
 * scripts/kernel-tier.mjs sets LVSCARE_KERNEL_TIER=1 (and LVSCARE_KERNEL_TIER_WHERE) only after it
 * has made sure the kernel it runs the tests on has IPVS. A kernel test that finds itself anywhere
 * else throws instead of skipping, so the tier can never pass without touching a kernel.
 */

/** Where the kernel tier runs: on the host's own kernel, or in the qemu guest of test/vm/. */
export type KernelTierWhere = 'native' | 'qemu';

/**
 * requireKernelTier throws unless this process was started by scripts/kernel-tier.mjs as root.
 * It returns where the tier runs.
 */
export function requireKernelTier(): KernelTierWhere {
  if (process.env['LVSCARE_KERNEL_TIER'] !== '1') {
    throw new Error(
      'kernel tests run only in the kernel tier: use `npm run test:kernel` (scripts/kernel-tier.mjs), ' +
        'not vitest directly',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error('kernel tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN for network namespaces)');
  }
  return process.env['LVSCARE_KERNEL_TIER_WHERE'] === 'native' ? 'native' : 'qemu';
}
