// Errors the CLI reports to a person: a message and an exit code, never a stack trace.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
