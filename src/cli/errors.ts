/**
 * ConfigError: the one error the configuration layer raises (flags, `CARE_*` variables, the
 * `--config` file). Its message is always one line, `<where>: "<value>" <problem>`, so `main` can
 * print it as is before exiting 2 (LVSCARE_ERR_CONFIG).
 */
import { LvscareError } from '../errors.js';

/** ConfigError names where a bad setting came from (`flag`) and the text that was given (`value`). */
export class ConfigError extends LvscareError {
  /**
   * Where the setting came from, as a person would look for it: `--interval`, `CARE_INTERVAL`,
   * `/etc/lvscare.yaml: services[1].rs`, or `argument` for a stray positional argument.
   */
  readonly flag: string;
  /** The offending text as given, or undefined when the problem is a missing setting. */
  readonly value: string | undefined;

  constructor(flag: string, value: string | undefined, problem: string, options?: { cause?: unknown }) {
    super('LVSCARE_ERR_CONFIG', configMessage(flag, value, problem), options);
    this.flag = flag;
    this.value = value;
  }
}

/**
 * configMessage builds the one-line message. The value is JSON-quoted so that empty strings,
 * spaces and control characters stay visible and a newline in a value cannot split the line.
 */
function configMessage(flag: string, value: string | undefined, problem: string): string {
  const line = value === undefined ? `${flag}: ${problem}` : `${flag}: ${JSON.stringify(value)} ${problem}`;
  return line.replace(/[\r\n]+/g, ' ');
}

/** renderConfigError is the line `main` prints on stderr before exiting 2. */
export function renderConfigError(err: ConfigError): string {
  return `lvscare care: ${err.message}`;
}
