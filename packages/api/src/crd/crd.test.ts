import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AnalysisTemplate, Rollout } from '../index';
import { KINDS } from '../schema/kinds';
import { buildCrd, buildCrds, crdFileName } from './crds';
import type { JsonSchema } from './openapi';
import { renderCrdYaml } from './render';
import { structuralProblems } from './structural';

const crdsDir = join(__dirname, '..', '..', '..', '..', 'crds');

function schemaOf(kind: string): JsonSchema {
  const crd = buildCrds().find((c) => (c.spec.names as { kind: string }).kind === kind)!;
  return ((crd.spec.versions as JsonSchema[])[0]!.schema as JsonSchema).openAPIV3Schema as JsonSchema;
}

function node(schema: JsonSchema, path: string): JsonSchema {
  return path.split('.').reduce<JsonSchema>((s, key) => {
    if (key === '[]') return s.items as JsonSchema;
    return (s.properties as Record<string, JsonSchema>)[key]!;
  }, schema);
}

describe('CRDs', () => {
  test.each(KINDS.map((k) => [k.kind]))('%s schema is structural', (kind) => {
    expect(structuralProblems(schemaOf(kind))).toEqual([]);
  });

  test.each(KINDS.map((k) => [k.kind, crdFileName(k)]))(
    'crds/ holds the current %s CRD (run pnpm gen:crds)',
    (kind, file) => {
      const info = KINDS.find((k) => k.kind === kind)!;
      expect(readFileSync(join(crdsDir, file), 'utf8')).toBe(renderCrdYaml(buildCrd(info)));
    },
  );

  test('names, short names, scope and subresources match Argo Rollouts', () => {
    const byKind = Object.fromEntries(buildCrds().map((c) => [(c.spec.names as { kind: string }).kind, c]));
    expect(byKind.Rollout!.metadata.name).toBe('rollouts.argoproj.io');
    expect(KINDS.map((k) => k.shortNames[0])).toEqual(['ro', 'at', 'cat', 'ar']);
    expect(byKind.ClusterAnalysisTemplate!.spec.scope).toBe('Cluster');
    const version = (byKind.Rollout!.spec.versions as JsonSchema[])[0]!;
    expect(version.subresources).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.HPAReplicas',
        labelSelectorPath: '.status.selector',
      },
    });
    expect((version.additionalPrinterColumns as { name: string }[]).map((c) => c.name)).toEqual([
      'Desired',
      'Current',
      'Up-to-date',
      'Available',
      'Age',
    ]);
  });

  test('preserve-unknown-fields only where Kubernetes types or free-form config are embedded', () => {
    const found: string[] = [];
    const walk = (s: JsonSchema, path: string) => {
      if (s['x-kubernetes-preserve-unknown-fields']) found.push(path);
      for (const [k, v] of Object.entries((s.properties as Record<string, JsonSchema>) ?? {}))
        walk(v, `${path}.${k}`);
      if (s.items) walk(s.items as JsonSchema, `${path}[]`);
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties as JsonSchema, `${path}{}`);
    };
    walk(schemaOf('Rollout'), '');
    expect(found).toContain('.spec.template');
    for (const path of found) {
      expect(path).toMatch(/\.template$|\.experiment$|\.plugin\.config$|\.plugins$/);
    }
    found.length = 0;
    walk(schemaOf('AnalysisTemplate'), '');
    expect(found).toContain('.spec.metrics[].provider.job.spec');
    for (const path of found) expect(path).toMatch(/job\.spec$|jsonBody$|provider\.[a-zA-Z]+$/);
  });

  test('the schema and the TypeScript types agree (one source)', () => {
    // The types are Static<> of the very schemas the CRDs are built from; these objects must
    // compile against the types (tsc -b checks this file) and fit the CRD's types.
    const rollout: Rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'x' },
      spec: {
        replicas: 2,
        strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1h' } }], maxSurge: '25%' } },
      },
      status: { phase: 'Healthy', observedGeneration: '3', HPAReplicas: 2, pauseConditions: [] },
    };
    const at: AnalysisTemplate = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'x' },
      spec: { metrics: [{ name: 'm', count: '5', provider: { prometheus: { query: 'up', timeout: 30 } } }] },
    };
    const s = schemaOf('Rollout');
    expect(node(s, 'spec.replicas')).toMatchObject({ type: 'integer', format: 'int32' });
    expect(node(s, 'spec.strategy.canary.maxSurge')).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(node(s, 'status.observedGeneration')).toMatchObject({ type: 'string' });
    expect(node(s, 'status.phase').enum).toEqual(['Healthy', 'Progressing', 'Paused', 'Degraded']);
    expect(node(s, 'spec.strategy.canary.steps.[].pause.duration')).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
    const t = schemaOf('AnalysisTemplate');
    expect(node(t, 'spec.metrics.[].count')).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(node(t, 'spec.metrics.[].provider.prometheus.timeout')).toMatchObject({
      type: 'integer',
      format: 'int64',
    });
    expect(node(t, 'spec.metrics.[]').required).toEqual(['name', 'provider']);
    expect(rollout.spec.replicas).toBe(2);
    expect(at.spec.metrics?.[0]?.name).toBe('m');
  });

  test('the rendered files parse back to the same objects', () => {
    for (const info of KINDS) expect(parse(renderCrdYaml(buildCrd(info)))).toEqual(buildCrd(info));
  });
});

describe('structural check', () => {
  test('reports what the API server would reject', () => {
    const bad: JsonSchema = {
      type: 'object',
      properties: {
        a: {},
        b: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
        c: { type: 'array' },
        d: { anyOf: [{ type: 'string', description: 'x' }] },
        e: { 'x-kubernetes-int-or-string': true, type: 'string' },
        f: { type: 'string', const: 'x' },
      },
    };
    expect(structuralProblems(bad)).toEqual([
      'openAPIV3Schema.properties.a: must specify a type',
      'openAPIV3Schema.properties.b: properties and additionalProperties are mutually exclusive',
      'openAPIV3Schema.properties.c: an array must specify items',
      'openAPIV3Schema.properties.d: must specify a type',
      'openAPIV3Schema.properties.d.anyOf[0]: "description" is not allowed inside allOf/anyOf/oneOf/not',
      'openAPIV3Schema.properties.d.anyOf[0]: "type" is not allowed inside allOf/anyOf/oneOf/not',
      'openAPIV3Schema.properties.e: x-kubernetes-int-or-string must not also set type',
      'openAPIV3Schema.properties.f: "const" is not supported in a CRD schema',
    ]);
  });
});
