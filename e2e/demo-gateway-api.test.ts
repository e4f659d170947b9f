// `pnpm demo --gateway-api` (bin/ramp-demo --gateway-api) as a process, bounded at 4 min: the same
// story as the default demo through an HTTPRoute. Its lines show the route's weights step by step
// (stable 80 canary 20, then 40/60, back to 100/0), the bad version is aborted by the analysis of
// the canary's own pods, the summary says the weight went back to 0 before the canary was scaled
// down, and it exits 0 with nothing left running.
import path from 'node:path';
import { BIN, ensureBuilt, run } from './support/harness';

jest.setTimeout(300_000);

beforeAll(() => ensureBuilt(), 240_000);

test('bin/ramp-demo --gateway-api: the route walked and rolled back on screen, exit 0', async () => {
  const demo = await run(path.join(BIN, 'ramp-demo'), ['--gateway-api'], { timeoutMs: 240_000 });
  try {
    expectTheStory(demo.stdout, demo.code, demo.stderr);
  } catch (e) {
    // The whole output with the failed expectation.
    if (e instanceof Error)
      e.message = `${e.message}\n\n===== the demo's output =====\n${demo.stdout}${demo.stderr}`;
    throw e;
  }
});

function expectTheStory(out: string, code: number, stderr: string): void {
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(out).toContain('through a Gateway API HTTPRoute');
  expect(out).toMatch(/^route {7}HTTPRoute default\/sgdecoding-online-scaled: /m);
  expect(out).toMatch(
    /^traffic {5}100 requests\/s the way HTTPRoute default\/sgdecoding-online-scaled routes them/m,
  );
  // Each act's lines, in order: the good version through 20% and 60% to 100%...
  const good = out.slice(out.indexOf('\n2. '), out.indexOf('\n3. '));
  const weights = (text: string) =>
    [...text.matchAll(/route: stable +(\d+) canary +(\d+)/g)].map((m) => `${m[1]}/${m[2]}`);
  // (The 100% step lasts until the stable Service switches: a line may or may not catch it; the
  // act ends once the route is back to the stable alone.)
  expect([
    ['100/0', '80/20', '40/60', '100/0'],
    ['100/0', '80/20', '40/60', '0/100', '100/0'],
  ]).toContainEqual(dedupe(weights(good)));
  expect(good).toMatch(
    /Paused +step 1\/4 +weight +20% +route: stable +80 canary +20 +pods: v1 5\/5 +v2 1\/1/,
  );
  // ...the bad one at 20%, failed by the analysis, the route back to 0 while its pod still exists,
  // then its pod gone. (v1, the previous stable, keeps its pods scaleDownDelaySeconds, 10 s, into
  // this act: before or after the abort, depending on how fast the analysis fails.)
  const bad = out.slice(out.indexOf('\n3. '), out.indexOf('\nSummary'));
  expect(dedupe(weights(bad))).toEqual(['100/0', '80/20', '100/0']);
  expect(bad).toMatch(
    /Paused +step 1\/4 +weight +20% +route: stable +80 canary +20 +pods: (v1 5\/5 +)?v2 5\/5 +v3-errors 1\/1/,
  );
  expect(bad).toMatch(
    /Degraded .*route: stable 100 canary +0 +pods: (v1 5\/5 +)?v2 5\/5 +v3-errors 1\/1 +analysis Failed/,
  );
  expect(bad).toMatch(/Degraded .*route: stable 100 canary +0 +pods: v2 5\/5 +analysis Failed/);
  // The summary.
  expect(out).toMatch(/RolloutAborted: .*canary-error-ratio.*Failed/);
  expect(out).toMatch(
    /The route's canary weight went back to 0 at the abort; the bad ReplicaSet was scaled down \d+s later \(abortScaleDownDelaySeconds: 10\)\./,
  );
  expect(out).toContain('Run `pnpm demo --gateway-api --keep`');
}

/** Consecutive repeats merged. */
function dedupe(items: string[]): string[] {
  return items.filter((item, i) => item !== items[i - 1]);
}
