// The gate's exit codes: the run's phase as a number a CI step can act on.
import type { AnalysisPhase } from '@ramp/api';
import { CliError } from '../errors';

export const EXIT = {
  successful: 0,
  failed: 1,
  inconclusive: 2,
  error: 3,
  /** A usage or input error: bad flags, a file that cannot be read, an invalid template. */
  usage: 4,
} as const;

/** 0 Successful, 1 Failed, 2 Inconclusive, 3 Error (and a run that did not complete). */
export function exitCodeOf(phase: AnalysisPhase | undefined): number {
  switch (phase) {
    case 'Successful':
      return EXIT.successful;
    case 'Failed':
      return EXIT.failed;
    case 'Inconclusive':
      return EXIT.inconclusive;
    default:
      return EXIT.error;
  }
}

/** An error in what the user gave (flags, files, template): exit 4. */
export const inputError = (message: string): CliError => new CliError(message, EXIT.usage);
