// `pnpm demo` (bin/ramp-demo) as a process: exits 0, having shown the bad version aborted and its summary.

import path from 'node:path';
import { BIN, ensureBuilt, run } from './support/harness';

jest.setTimeout(300_000);

beforeAll(() => ensureBuilt(), 240_000);

test('bin/ramp-demo runs to the end: exit 0, RolloutAborted, Summary', async () => {
  const result = await run(path.join(BIN, 'ramp-demo'), [], { timeoutMs: 240_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0)
    throw new Error(`bin/ramp-demo exited ${result.code} after ${result.ms} ms:\n${output}`);
  expect(output).toContain('RolloutAborted');
  expect(output).toContain('Summary');
});
