// `pnpm demo --keep` (bin/ramp-demo) as a process: the bad version aborted and its summary shown,
// measured values rounded; then the cluster kept running for kubectl ramp, until Ctrl-C, which
// stops everything and exits 0.

import path from 'node:path';
import { BIN, ensureBuilt, run, startProc } from './support/harness';

jest.setTimeout(300_000);

beforeAll(() => ensureBuilt(), 240_000);

test('bin/ramp-demo --keep runs to the end, keeps the cluster for kubectl ramp, stops on Ctrl-C', async () => {
  const demo = startProc('ramp-demo', path.join(BIN, 'ramp-demo'), ['--keep']);
  try {
    const [, kubeconfig] = await demo.waitForOutput(/export KUBECONFIG=(\S+)/, 240_000);
    const output = demo.logs();
    expect(output).toContain('RolloutAborted');
    expect(output).toContain('Summary');
    // every measured value the live view printed has at most 4 decimals
    const values = [...output.matchAll(/last \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(/[ ,]+/));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(v).toMatch(/^-?\d+(\.\d{1,4})?(e-?\d+)?$|^$/);
    // the printed commands work on the cluster left running
    const env = { ...process.env, KUBECONFIG: kubeconfig! };
    const got = await run(path.join(BIN, 'kubectl-ramp'), ['get', 'rollout', 'sgdecoding-online-scaled'], {
      env,
      timeoutMs: 30_000,
    });
    expect({ code: got.code, err: got.stderr }).toEqual({ code: 0, err: '' });
    expect(got.stdout).toContain('Degraded');
    // Ctrl-C ends it, cleanly
    demo.signal('SIGINT');
    await demo.waitForOutput(/stopping everything the demo started/, 10_000);
    const exit = await demo.exitCode(20_000);
    expect(exit).toBe(0);
  } finally {
    await demo.stop();
  }
});
