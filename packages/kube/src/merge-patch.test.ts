import { jsonEqual, mergePatchDiff, withoutUndefined } from './merge-patch';

/** RFC 7386 applied, to check that a diff does turn `from` into `to`. */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

test('equal objects need no patch; undefined counts as absent', () => {
  expect(
    mergePatchDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: undefined }),
  ).toBeUndefined();
  expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  expect(jsonEqual([1, { a: 2 }], [1, { a: 2 }])).toBe(true);
  expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  expect(withoutUndefined({ a: undefined, b: [undefined, { c: undefined }] })).toEqual({ b: [null, {}] });
});

test('changed, new and removed fields; nested objects diffed; arrays replaced', () => {
  const from = {
    phase: 'Progressing',
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't0' }],
    canary: { weights: { canary: { weight: 20 }, stable: { weight: 80 } }, currentExperiment: 'x' },
    conditions: [{ type: 'Available', status: 'True' }],
  };
  const to = {
    phase: 'Progressing',
    currentStepIndex: 2,
    canary: { weights: { canary: { weight: 40 }, stable: { weight: 60 } } },
    conditions: [
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'True' },
    ],
    message: 'ok',
  };
  const patch = mergePatchDiff(from, to);
  expect(patch).toEqual({
    currentStepIndex: 2,
    pauseConditions: null,
    canary: { weights: { canary: { weight: 40 }, stable: { weight: 60 } }, currentExperiment: null },
    conditions: to.conditions,
    message: 'ok',
  });
  expect(applyMergePatch(from, patch)).toEqual(to);
});

test('diffs round-trip on random objects', () => {
  const random = (seed: number) => () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const next = random(7);
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 2 || r < 0.3) return Math.floor(next() * 3);
    if (r < 0.45) return [Math.floor(next() * 2)];
    const obj: Record<string, unknown> = {};
    for (const k of ['a', 'b', 'c']) if (next() < 0.6) obj[k] = value(depth + 1);
    return obj;
  };
  for (let i = 0; i < 300; i++) {
    const from = { x: value(0), y: value(0) };
    const to = { x: value(0), z: value(0) };
    const patch = mergePatchDiff(from, to);
    expect(patch === undefined ? from : applyMergePatch(structuredClone(from), patch)).toEqual(to);
  }
});
