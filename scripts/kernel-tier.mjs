#!/usr/bin/env node
// kernel-tier.mjs: runs the kernel test tier (vitest.kernel.config.ts) on a kernel with IPVS.
//
//   node scripts/kernel-tier.mjs [VITEST ARGS...]      (npm run test:kernel -- [VITEST ARGS...])
//
// Where it runs, decided once:
//   native  the host kernel has ip_vs (after `modprobe ip_vs`), we are root, and the tools the
//           kernel tests drive are installed: vitest runs right here;
//   qemu    otherwise, when qemu is available: the guest image of test/vm/ is built if missing or
//           stale, the guest boots once and runs the same vitest command on the same checkout
//           (shared over 9p at the same path);
//   none    exit 2 with the exact `apt-get install` line that would make qemu possible.
// LVSCARE_KERNEL_TIER_MODE=native|qemu forces one of the first two (auto is the default).
//
// Contract: it never passes without kernel tests having passed. vitest gets LVSCARE_KERNEL_TIER=1
// (the kernel tests' setup file refuses to run without it) and writes a JSON report next to its
// normal output; the exit code is vitest's, or 1 when that report shows no passed test.
// It is plain Node ESM, not TypeScript: it runs before, and without, a build.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { constants as osConstants, release } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VM = join(ROOT, 'test', 'vm');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const CONFIG = 'vitest.kernel.config.ts';
// Programs the kernel tests run; the qemu guest has all of them (test/vm/build-image.sh).
const NATIVE_TOOLS = ['ip', 'ipvsadm', 'tcpdump', 'keepalived', 'openssl', 'setpriv', 'nsenter', 'unshare'];
// Host variables that mean something to vitest or to the tests and travel into the guest.
const PASS_ENV = /^(CI|NO_COLOR|FORCE_COLOR|NODE_OPTIONS|GITHUB_ACTIONS|LVSCARE_(?!VM_|KERNEL_TIER).*)$/;

const t0 = Date.now();
const say = (line) => console.log(`kernel tier: ${line}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`kernel tier: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

async function main() {
  const args = process.argv.slice(2);
  if (!existsSync(VITEST)) throw new Error(`${relative(ROOT, VITEST)} is missing: run npm ci first`);
  const mode = process.env.LVSCARE_KERNEL_TIER_MODE ?? 'auto';
  if (!['auto', 'native', 'qemu'].includes(mode)) {
    throw new Error(`LVSCARE_KERNEL_TIER_MODE=${mode}: expected auto, native or qemu`);
  }
  const reportDir = join(ROOT, '.vm');
  mkdirSync(reportDir, { recursive: true });
  const report = join(reportDir, `kernel-report-${process.pid}.json`);
  rmSync(report, { force: true });
  const vitestArgs = ['run', '--config', CONFIG, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args];

  const native = mode === 'qemu' ? { ok: false, why: 'LVSCARE_KERNEL_TIER_MODE=qemu' } : nativeCheck();
  let code;
  if (native.ok) {
    say(`native, Linux ${release()}, ip_vs loaded`);
    code = await runNative(vitestArgs);
  } else if (mode === 'native') {
    throw new Error(`cannot run natively: ${native.why}`);
  } else {
    // As root (a fresh CI or developer machine) the missing host packages are installed, so
    // `npm test` works on a fresh machine; LVSCARE_NO_APT=1 turns that off.
    if (missingHostPackages().length > 0 && process.getuid?.() === 0 && process.env.LVSCARE_NO_APT !== '1') {
      await spawnInherit('bash', [join(VM, 'install-host-packages.sh')], { cwd: ROOT });
    }
    const missing = missingHostPackages();
    if (missing.length > 0) {
      console.error(
        `kernel tier: cannot run. The kernel tests need IPVS; natively: ${native.why}; ` +
          `in a qemu guest: missing host packages ${missing.join(', ')}.\n` +
          `Install them (as root) with:\n  apt-get install -y --no-install-recommends ${missing.join(' ')}`,
      );
      return 2;
    }
    code = await runQemu(vitestArgs, native.why);
  }
  return verdict(code, report);
}

/** nativeCheck tells whether this host can run the tier itself, and if not, why. */
function nativeCheck() {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root' };
  if (!existsSync('/proc/net/ip_vs')) spawnSync('modprobe', ['ip_vs'], { stdio: 'ignore' });
  if (!existsSync('/proc/net/ip_vs')) return { ok: false, why: `the host kernel (Linux ${release()}) has no ip_vs` };
  const absent = NATIVE_TOOLS.filter((tool) => !onPath(tool));
  if (absent.length > 0) return { ok: false, why: `the host has ip_vs but lacks ${absent.join(', ')}` };
  return { ok: true, why: '' };
}

function runNative(vitestArgs) {
  const env = { ...process.env, LVSCARE_KERNEL_TIER: '1', LVSCARE_KERNEL_TIER_WHERE: 'native' };
  return spawnInherit(process.execPath, [VITEST, ...vitestArgs], { cwd: ROOT, env });
}

/**
 * A kernel without IPVS, observed for real (issue #2): the guest boots without ip_vs, so before
 * loading it, with the kernel's module loader pointed at /bin/false (resolving the IPVS family
 * would otherwise load ip_vs on demand, Linux 5.16+), `lvscare ipvs list` must fail with its
 * "no IPVS" error. The tier fails if it does not, or if ip_vs is already there to hide it.
 */
const NO_IPVS_CHECK = [
  'if [ -e /proc/net/ip_vs ]; then echo "kernel tier: no-IPVS check FAILED: ip_vs was loaded before the check"; exit 1; fi',
  'loader=$(cat /proc/sys/kernel/modprobe); echo /bin/false > /proc/sys/kernel/modprobe',
  'out=$(node dist/src/bin.js ipvs list 2>&1); rc=$?',
  'echo "$loader" > /proc/sys/kernel/modprobe',
  'case "$rc:$out" in',
  '  0:*) echo "kernel tier: no-IPVS check FAILED: lvscare ipvs list exited 0: $out"; exit 1 ;;',
  '  *"the kernel has no IPVS"*) echo "kernel tier: no-IPVS check ok (exit $rc): $out" ;;',
  '  *) echo "kernel tier: no-IPVS check FAILED (exit $rc): $out"; exit 1 ;;',
  'esac',
];

async function runQemu(vitestArgs, whyNotNative) {
  const tb = Date.now();
  const built = await spawnInherit('bash', [join(VM, 'build-image.sh'), '--if-stale'], { cwd: ROOT });
  if (built !== 0) throw new Error(`building the guest image failed (exit ${built})`);
  say(`guest image ready in ${seconds(Date.now() - tb)} (not native: ${whyNotNative})`);
  // The guest prints the tier line itself: only there is it known that ip_vs loads.
  const guest = [
    ...NO_IPVS_CHECK,
    'modprobe ip_vs 2>/dev/null',
    'boot=$(cut -d" " -f1 /proc/uptime)',
    'if [ ! -e /proc/net/ip_vs ]; then echo "kernel tier: qemu guest, Linux $(uname -r), ip_vs NOT available"; exit 1; fi',
    'echo "kernel tier: qemu guest, Linux $(uname -r), ip_vs loaded (guest up in ${boot} s)"',
    // the first `ip netns add` makes /run/netns a shared mount: do it before parallel tests race to
    'ip netns add lvscare-warmup && ip netns del lvscare-warmup',
    `exec node ${[VITEST, ...vitestArgs].map(shellQuote).join(' ')}`,
  ].join('\n');
  const envArgs = ['LVSCARE_KERNEL_TIER=1', 'LVSCARE_KERNEL_TIER_WHERE=qemu'];
  for (const [key, value] of Object.entries(process.env)) {
    if (PASS_ENV.test(key) && value !== undefined) envArgs.push(`${key}=${value}`);
  }
  const timeout = process.env.LVSCARE_VM_TIMEOUT ?? '3600';
  const vmArgs = ['-d', ROOT, '-t', timeout, ...envArgs.flatMap((kv) => ['-e', kv]), '--', guest];
  const code = await spawnInherit('bash', [join(VM, 'run-in-vm.sh'), ...vmArgs], { cwd: ROOT });
  if (code === 124) console.error(`kernel tier: the guest ran past LVSCARE_VM_TIMEOUT=${timeout} s`);
  if (code === 125) console.error('kernel tier: the guest died or never booted (see the output above)');
  return code;
}

/** verdict turns vitest's exit code and JSON report into the tier's exit code. */
function verdict(code, report) {
  let summary;
  try {
    summary = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    console.error(`kernel tier: FAILED: vitest left no readable report (${relative(ROOT, report)}); exit ${code}`);
    return code === 0 ? 1 : code;
  } finally {
    rmSync(report, { force: true });
  }
  const { numPassedTests: passed = 0, numFailedTests: failed = 0, numPendingTests: skipped = 0, numTodoTests: todo = 0 } = summary;
  const counts = `${passed} passed, ${failed} failed, ${skipped + todo} skipped or todo`;
  if (code === 0 && passed === 0) {
    console.error(`kernel tier: FAILED: no kernel test passed (${counts}); the tier must never pass empty`);
    return 1;
  }
  say(`${code === 0 ? 'ok' : `FAILED (exit ${code})`}: ${counts}, ${seconds(Date.now() - t0)} in all`);
  return code;
}

/** spawnInherit runs a program on our stdio; resolves with its exit code (128+n for signal n). */
function spawnInherit(cmd, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    process.on('SIGHUP', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      process.off('SIGHUP', forward);
      resolvePromise(code ?? 128 + (osConstants.signals[signal] ?? 15));
    });
  });
}

function missingHostPackages() {
  const wanted = readFileSync(join(VM, 'host-packages'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return wanted.filter((pkg) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { encoding: 'utf8' });
    return query.status !== 0 || query.stdout !== 'ii ';
  });
}

function onPath(tool) {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
