/** Unit tests of the pure semantics: selectors, patches, schemas, tables, faults. */
import { FaultInjector, parseFaultSpec } from '../faults';
import { mulberry32 } from '../prng';
import { matchesLabels, parseLabelSelector } from './label-selector';
import { mergePatch } from './patch-merge';
import { applySchema, type Schema } from './schema-validation';
import { ApiError } from './status';
import { strategicMergePatch } from './strategic-merge';
import { evaluatePath, humanDuration } from './table';

test('label selector parsing and matching', () => {
  const sel = parseLabelSelector('app=web, tier in (a,b), !canary, env, version notin (1), n>3');
  expect(matchesLabels(sel, { app: 'web', tier: 'a', env: 'x', version: '2', n: '4' })).toBe(true);
  expect(matchesLabels(sel, { app: 'web', tier: 'a', env: 'x', version: '1', n: '4' })).toBe(false);
  expect(matchesLabels(sel, { app: 'web', tier: 'a', env: 'x', n: '4', canary: 'y' })).toBe(false);
  expect(() => parseLabelSelector('app=web,,x')).toThrow(ApiError);
  expect(() => parseLabelSelector('a b c')).toThrow(/unable to parse requirement/);
});

test('merge patch (RFC 7386)', () => {
  expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { b: { c: null, x: 1 }, e: [2] })).toEqual({
    a: 1,
    b: { d: 3, x: 1 },
    e: [2],
  });
});

test('strategic merge: keys, $patch, $setElementOrder, $retainKeys, primitive sets', () => {
  const pod = {
    metadata: { finalizers: ['a'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'v1',
          ports: [{ containerPort: 80, name: 'http' }],
          env: [{ name: 'A', value: '1' }],
        },
        { name: 'side', image: 's1' },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
      tolerations: [{ key: 'x' }],
    },
  };
  const out = strategicMergePatch(pod, {
    metadata: { finalizers: ['b'] },
    spec: {
      '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
      containers: [
        { name: 'app', ports: [{ containerPort: 81 }], env: [{ name: 'A', value: '2' }] },
        { name: 'side', $patch: 'delete' },
        { name: 'new', image: 'n' },
      ],
      volumes: [{ name: 'v', $patch: 'delete' }],
      tolerations: [{ key: 'y' }],
    },
  }) as typeof pod;
  expect(out.metadata.finalizers).toEqual(['a', 'b']);
  expect(out.spec.containers.map((c) => c.name)).toEqual(['app', 'new']);
  expect(out.spec.containers[0]).toEqual({
    name: 'app',
    image: 'v1',
    ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81 }],
    env: [{ name: 'A', value: '2' }],
  });
  expect(out.spec.volumes).toEqual([]);
  expect(out.spec.tolerations).toEqual([{ key: 'y' }]);
  const service = strategicMergePatch(
    { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
  );
  expect(service).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }] } });
  const retained = strategicMergePatch(
    { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
  );
  expect(retained).toEqual({ spec: { strategy: { type: 'Recreate' } } });
  expect(
    strategicMergePatch({ spec: { a: { b: 1 } } }, { spec: { a: { $patch: 'replace', c: 2 } } }),
  ).toEqual({ spec: { a: { c: 2 } } });
});

const SCHEMA: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
        size: { type: 'integer', minimum: 1, maximum: 3, default: 2 },
        mode: { type: 'string', enum: ['a', 'b'] },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        opt: { type: 'string' },
        nullable: { type: 'string', nullable: true },
      },
    },
  },
};

test('structural schema: pruning, defaults, nulls', () => {
  const obj = {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'n', anything: 1 },
    extra: 1,
    spec: {
      name: 'ok',
      port: '80',
      unknown: { a: 1 },
      labels: { a: 'b' },
      free: { deep: { x: 1 } },
      opt: null,
      nullable: null,
    },
  };
  const result = applySchema(obj, SCHEMA);
  expect(result.causes).toEqual([]);
  expect(result.pruned).toEqual(['extra', 'spec.unknown']);
  expect(obj).toEqual({
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'n', anything: 1 },
    spec: { name: 'ok', port: '80', size: 2, labels: { a: 'b' }, free: { deep: { x: 1 } }, nullable: null },
  });
});

test('structural schema: validation failures are field causes', () => {
  const obj = { spec: { name: 'TooLong', size: 9, mode: 'c', port: true, tags: [], labels: { a: 1 } } };
  const fields = applySchema(obj, SCHEMA).causes.map((c) => `${c.field}: ${c.message}`);
  expect(fields).toEqual([
    'spec.name: Invalid value: "TooLong": spec.name in body should match \'^[a-z]+$\'',
    'spec.name: Too long: may not be more than 5 bytes',
    'spec.size: Invalid value: 9: spec.size in body should be less than or equal to 3',
    'spec.mode: Unsupported value: "c": supported values: "a", "b"',
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    'spec.tags: Invalid value: "array": spec.tags in body should have at least 1 items',
    'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
  ]);
  expect(applySchema({ spec: {} }, SCHEMA).causes).toEqual([
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.name' },
  ]);
});

test('printer helpers: simple JSONPath and human durations', () => {
  const obj = {
    status: { conditions: [{ type: 'Ready' }, { type: 'Done' }] },
    metadata: { labels: { 'a.b/c': 'x' } },
  };
  expect(evaluatePath(obj, '.status.conditions[1].type')).toBe('Done');
  expect(evaluatePath(obj, "{.metadata.labels['a.b/c']}")).toBe('x');
  expect(evaluatePath(obj, '.status.nothing.here')).toBeUndefined();
  expect([5e3, 150e3, 600e3, 4 * 3600e3, 30 * 3600e3, 3 * 86400e3, 400 * 86400e3].map(humanDuration)).toEqual(
    ['5s', '2m30s', '10m', '4h', '30h', '3d', '400d'],
  );
});

test('fault spec parsing and determinism', () => {
  expect(
    parseFaultSpec(
      'error=0.05,latency=20-80ms,watch-cut=10s,conflict=0.1,seed=42,codes=503/429,retry-after=2s',
    ),
  ).toEqual({
    errorRate: 0.05,
    latencyMs: [20, 80],
    watchCutMs: 10000,
    conflictRate: 0.1,
    seed: 42,
    errorCodes: [503, 429],
    retryAfterSeconds: 2,
  });
  expect(parseFaultSpec('latency=50ms')).toEqual({ latencyMs: 50 });
  expect(() => parseFaultSpec('error=2')).toThrow(/fraction/);
  expect(() => parseFaultSpec('bogus=1')).toThrow(/unknown fault/);
  const a = mulberry32(7);
  const b = mulberry32(7);
  expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  const run = () => {
    const f = new FaultInjector({ errorRate: 0.3, conflictRate: 0.3, latencyMs: [10, 20], seed: 42 });
    return Array.from({ length: 50 }, (_, i) => f.decide(i % 2 ? 'PUT' : 'GET'));
  };
  const first = run();
  expect(run()).toEqual(first);
  const errors = first.filter((d) => d.kind === 'error').length;
  expect(errors).toBeGreaterThan(5);
  expect(errors).toBeLessThan(30);
  expect(first.every((d) => d.latencyMs >= 10 && d.latencyMs <= 20)).toBe(true);
  expect(first.some((d) => d.kind === 'conflict')).toBe(true);
});
