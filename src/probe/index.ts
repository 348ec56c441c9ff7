/**
 * The probe layer's entry point: `createProber(spec)` picks the prober for the spec's scheme.
 * Every prober is its own object with its own resources (no shared dispatcher); close it when done.
 */
import { HttpProber } from './http-prober.js';
import { systemProbeClock, type ProbeClock, type Prober } from './prober.js';
import type { ProbeSpec } from './spec.js';
import { TcpProber } from './tcp-prober.js';

/** createProber validates the spec (throws ProbeError, code LVSCARE_ERR_PROBE) and builds a prober. */
export function createProber(spec: ProbeSpec, clock: ProbeClock = systemProbeClock()): Prober {
  return spec.scheme === 'tcp' ? new TcpProber(spec, clock) : new HttpProber(spec, clock);
}

export { HttpProber } from './http-prober.js';
export { TcpProber } from './tcp-prober.js';
export { ProbeError } from './errors.js';
export { PROBE_ERROR_CODES, systemProbeClock, type ProbeClock, type ProbeOutcome, type ProbeTarget, type Prober } from './prober.js';
export { validateProbeSpec, type HttpProbeSpec, type ProbeSpec, type TcpProbeSpec, type TlsProbeSpec } from './spec.js';
