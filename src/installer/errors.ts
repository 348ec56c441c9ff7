/**
 * InstallerError: the one error src/installer raises. `LVSCARE_ERR_INSTALL_INPUT` (exit 2) means
 * a file to edit was not understood and nothing was written; `LVSCARE_ERR_INSTALL_IO` (exit 1)
 * means a read, write or removal failed. The message names the file (as given, under --root).
 */
import { LvscareError } from '../errors.js';

export type InstallerErrorCode = 'LVSCARE_ERR_INSTALL_INPUT' | 'LVSCARE_ERR_INSTALL_IO';

export class InstallerError extends LvscareError {
  /** The file concerned, as the user named it (not resolved under --root). */
  readonly path: string;

  constructor(code: InstallerErrorCode, path: string, problem: string, options?: { cause?: unknown }) {
    super(code, `${path}: ${problem}`, options);
    this.path = path;
  }
}

/** ioProblem describes a failed system call by its errno name when it has one. */
export function ioProblem(action: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return `cannot ${action} (${why})`;
}
