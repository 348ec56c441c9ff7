// configErrorOf runs `fn` and returns the ConfigError it throws (failing the test otherwise).
import { expect } from 'vitest';
import { ConfigError } from '../../../src/cli/errors.js';

export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const configError = err as ConfigError;
    expect(configError.code).toBe('LVSCARE_ERR_CONFIG');
    expect(configError.exitCode).toBe(2);
    expect(configError.message).not.toMatch(/[\r\n]/);
    return configError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
