/**
 * runInFreshNetns: how a benchmark that needs a node of its own runs. It makes a network namespace
 * (`ip netns add`), runs `node SCRIPT inner --json FILE ARGS...` inside it through nsenter (the
 * benchmark's own set-up then happens in an empty namespace), and returns the JSON the inner run
 * wrote. The namespace and the scratch directory are removed whatever happens. Needs root.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function runInFreshNetns(name: string, script: string, args: readonly string[]): Promise<unknown> {
  if (process.getuid?.() !== 0) throw new Error(`needs root (network namespaces, IPVS): run it in the test/vm guest through \`npm run bench:${name}\``);
  const ns = `${name}-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), `${name}-result-`));
  const out = join(dir, 'result.json');
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    await new Promise<void>((done, fail) => {
      const child = spawn('nsenter', [`--net=/run/netns/${ns}`, '--', process.execPath, script, 'inner', '--json', out, ...args], { stdio: 'inherit' });
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? done() : fail(new Error(`inner run exited ${code}`))));
    });
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}
