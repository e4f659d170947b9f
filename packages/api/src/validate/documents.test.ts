import { findings, type Obj, rollout } from '../testing/validate-objects';
import { validateObject } from './validate';

describe('documents that are not objects, and other kinds', () => {
  test.each([
    [[1, 2], 'got a list'],
    ['text', 'got the string "text"'],
    [42, 'got the number 42'],
    [null, 'got nothing (null)'],
  ])('%p is refused', (doc, expected) => {
    expect(findings(doc)[0]).toContain(expected);
  });

  test('Kind with a capital K', () => {
    const r: Obj = rollout();
    delete r.kind;
    r.Kind = 'Rollout';
    const result = validateObject(r);
    expect(result.ours).toBe(true);
    expect(result.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'kind: is missing: the document has "Kind:" instead, and field names are case-sensitive; write "kind: Rollout"',
    ]);
  });

  test('a misspelled kind of argoproj.io', () => {
    expect(findings({ ...rollout(), kind: 'Rolout' })).toContain(
      'error kind: "Rolout" is not a kind of argoproj.io; did you mean "Rollout"?',
    );
  });

  test('a wrong apiVersion', () => {
    expect(findings({ ...rollout(), apiVersion: 'argoproj.io/v1' })).toContain(
      'error apiVersion: the string "argoproj.io/v1" is not served for Rollout; write "apiVersion: argoproj.io/v1alpha1"',
    );
  });

  test('other kinds are not ours and not checked', () => {
    const result = validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} });
    expect(result).toMatchObject({ ours: false, kind: 'Service', findings: [] });
  });
});

describe('Argo kinds Ramp does not run', () => {
  test('an Experiment is reported as not supported; an Argo CD Application is skipped', () => {
    const exp = validateObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'e' },
      spec: {},
    });
    expect(exp.findings.map((f) => [f.code, f.path])).toEqual([['unsupported', 'kind']]);
    const app = validateObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a' },
      spec: {},
    });
    expect(app.findings).toEqual([]);
  });
});

describe('docs/compatibility.md', () => {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { NEVER_SUPPORTED_ROLLOUT_FIELDS, UNSUPPORTED_METRIC_FIELDS, UNSUPPORTED_ROLLOUT_FIELDS } =
    require('./support') as typeof import('./support');
  const doc = readFileSync(`${__dirname}/../../../../docs/compatibility.md`, 'utf8');
  const rowsNaming = (path: string) => {
    const field = path.split('.').pop()!.replace('[]', '');
    const inTicks = new RegExp(`\`[^\`]*\\b${field}\\b[^\`]*\``);
    return doc.split('\n').filter((l) => inTicks.test(l) && l.startsWith('|'));
  };
  test.each([...UNSUPPORTED_ROLLOUT_FIELDS, ...UNSUPPORTED_METRIC_FIELDS].map((f) => [f.path]))(
    'lists %s as not yet supported',
    (path) => {
      expect(rowsNaming(path).some((r) => /not yet/.test(r))).toBe(true);
    },
  );
  test.each(NEVER_SUPPORTED_ROLLOUT_FIELDS.map((f) => [f.path]))('lists %s as never supported', (path) => {
    expect(rowsNaming(path).some((r) => /\| never\b/.test(r))).toBe(true);
  });
  test.each([
    'istio',
    'alb',
    'nginx',
    'smi',
    'apisix',
    'traefik',
    'ambassador',
    'plugins["argoproj-labs/gatewayAPI"]',
  ])('lists the router trafficRouting.%s as supported', (router) => {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`trafficRouting.${router}\``));
    expect(row).toMatch(/\| supported/);
  });
  test('lists pingPong as supported', () => {
    expect(doc).toMatch(/^\| `pingPong` +\| supported/m);
  });
});

describe('found by validate.fuzz.test.ts', () => {
  test('apiVersion written with the wrong case and a map for a value: no "[object Object]" in the fix', () => {
    const r: Obj = rollout();
    delete r.apiVersion;
    r.APIVERSION = { a: 1 };
    expect(findings(r)[0]).toBe(
      'error apiVersion: is missing: the document has "APIVERSION:" instead, and field names are case-sensitive; write "apiVersion:"',
    );
  });

  test('a label value that is a map is not compared with the selector (no "[object Object]")', () => {
    const r = rollout();
    (r.spec.template as { metadata: Obj }).metadata.labels = { app: { value: 'demo' } };
    expect(findings(r)).toEqual([
      'error spec.template.metadata.labels.app: label values are strings, got a map',
    ]);
  });

  test('a cyclic object (as YAML aliases can make) is reported, not walked forever', () => {
    const r: Obj = rollout();
    const spec = r.spec as Obj;
    spec.extra = spec;
    expect(findings(r)[0]).toMatch(/^error spec(\.extra)+: is nested more than 100 levels deep/);
  });
});
