/**
 * The guest the kernel tests share: qemu TCG with two vCPUs, where starting one node process
 * (lvscare loads undici, yargs and pino) keeps a vCPU busy for seconds, and for a minute when the
 * host is busy too. Left at equal priority, those start-ups starve the processes a test is
 * measuring: a backend that cannot answer a probe within 10 s is reported dead. So the processes
 * under observation, lvscare once it has started and the backends, run at a higher priority than
 * everything else in the guest (start-ups, the test runner, ipvsadm), as lvscare would on a node
 * (a system-node-critical pod) and an apiserver on its own master.
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { run } from './netns.js';

/** The nice value of processes under observation. */
const OBSERVED_NICE = -10;

/** favour raises a process under observation above the guest's other work. */
export function favour(pid: number): void {
  try {
    setPriority(pid, OBSERVED_NICE);
  } catch (err) {
    // ESRCH: it has already exited, which the test will notice on its own
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

let modules: Promise<void> | undefined;

/**
 * loadNetModules loads dummy and veth once per test process. Left to autoloading, two test files
 * creating their first namespace at the same moment can race: one `ip link add ... type dummy`
 * fails with "Unknown device type" while the other's load is still in progress. An explicit
 * modprobe waits for a load in progress to finish.
 */
export function loadNetModules(): Promise<void> {
  modules ??= (async () => {
    for (const m of ['dummy', 'veth']) await run('modprobe', [m]);
  })();
  return modules;
}

/** pressure describes the guest's load and free memory, for failure messages and figures. */
export function pressure(): string {
  try {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const avail = /MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return `guest load ${load}, ${avail === undefined ? '?' : Math.round(Number(avail) / 1024)} MiB available`;
  } catch {
    return 'guest load unknown';
  }
}
