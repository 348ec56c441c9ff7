import { constants } from 'node:os';
import { LvscareError } from '../src/errors.js';

const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** NativeError is the one error type of native/: a libc call that failed, with its errno. */
export class NativeError extends LvscareError {
  readonly syscall: string;
  readonly errno: number;
  readonly errnoName: string;

  constructor(syscall: string, errno: number, detail?: string) {
    const name = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
    super('LVSCARE_ERR_NATIVE', `${syscall}${detail ? ` ${detail}` : ''}: ${name}`);
    this.syscall = syscall;
    this.errno = errno;
    this.errnoName = name;
  }
}
