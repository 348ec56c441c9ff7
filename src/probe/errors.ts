/**
 * ProbeError: the one error the probe layer throws, and only while a prober is being built (bad
 * settings). A probe itself never throws; its failures are outcomes (see prober.ts).
 */
import { LvscareError } from '../errors.js';

/** ProbeError names the setting that was refused (`setting`) and why, in one line. */
export class ProbeError extends LvscareError {
  /** The ProbeSpec field at fault, e.g. `tls.caPem`, `method`, `headers.X-Foo`. */
  readonly setting: string;

  constructor(setting: string, problem: string, options?: { cause?: unknown }) {
    super('LVSCARE_ERR_PROBE', `probe ${setting}: ${problem}`.replace(/[\r\n]+/g, ' '), options);
    this.setting = setting;
  }
}
