#!/usr/bin/env node
// npm run demo: `lvscare care` against real backends on a kernel with IPVS. On a host whose kernel
// has IPVS (and as root) the demo runs in a network namespace of its own, so the host's network and
// IPVS table are never touched; otherwise it boots the qemu guest of test/vm/ and runs there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GUEST = 'scripts/demo/guest.sh';

function hostHasIpvs() {
  if (process.getuid?.() !== 0) return false;
  spawnSync('modprobe', ['ip_vs'], { stdio: 'ignore' });
  return existsSync('/proc/net/ip_vs');
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status ?? 1;
}

let code;
if (hostHasIpvs()) {
  const ns = `lvscare-demo-${process.pid}`;
  console.log(`demo: host kernel has IPVS; running in network namespace ${ns}`);
  run('ip', ['netns', 'add', ns]);
  try {
    code = run('ip', ['netns', 'exec', ns, 'bash', '-c', `ip link set lo up && bash ${GUEST}`]);
  } finally {
    for (const n of ['rs1', 'rs2', 'rs3', ns]) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  }
} else {
  console.log('demo: host kernel has no IPVS; booting the qemu guest (test/vm/run-in-vm.sh)');
  code = run('bash', [join(ROOT, 'test/vm/install-host-packages.sh')]);
  if (code === 0) code = run('bash', [join(ROOT, 'test/vm/run-in-vm.sh'), '-d', ROOT, `bash ${GUEST}`]);
}
process.exit(code);
