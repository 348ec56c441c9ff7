/**
 * CommandExit: a command handler's way to end with a non-zero status after it has already said
 * why (yargs handlers cannot return an exit code). main returns `code` and prints nothing more.
 */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CommandExit';
  }
}
