#!/usr/bin/env node
// kubectl-ramp entry point.
import { processIo } from './io';
import { runCli } from './program';

runCli(process.argv.slice(2), { io: processIo }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
