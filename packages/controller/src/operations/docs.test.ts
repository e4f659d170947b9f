import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON } from '../rollout/conditions';
import { USAGE } from '../runtime/flags';
import { REPO_ROOT } from '../testing/operations/yaml';
import { ControllerMetrics } from './metrics';
import { OBJECT_GAUGES } from './object-metrics';

const doc = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');

test('docs/operations.md lists every flag', () => {
  const flags = [...new Set([...USAGE.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))];
  expect(flags.length).toBeGreaterThan(15);
  expect(flags.filter((f) => !doc.includes(`\`${f}`))).toEqual([]);
});

test('docs/operations.md lists every metric', () => {
  const metrics = new ControllerMetrics();
  const names = [
    ...metrics.registry.getMetricsAsArray().map((m) => m.name),
    ...OBJECT_GAUGES.map((g) => g.name),
  ];
  expect(names.length).toBeGreaterThan(25);
  expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
});

test('docs/operations.md lists every Event reason the Rollout controller records', () => {
  const dir = join(__dirname, '../rollout');
  const reasons = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    // events are recorded as `draft.event(type, reason, ...)` or returned as `{ type, reason, message }`
    for (const m of text.matchAll(
      /(?:\.event\(\s*(?:'(?:Normal|Warning)'|\w+),\s*|\{\s*type(?::\s*'(?:Normal|Warning)')?,\s*reason:\s*)(?:'(\w+)'|REASON\.(\w+)|`AnalysisRun\$)/g,
    )) {
      if (m[1]) reasons.add(m[1]);
      else if (m[2]) reasons.add((REASON as Record<string, string>)[m[2]] ?? `REASON.${m[2]}`);
      else
        for (const phase of ['Running', 'Successful', 'Failed', 'Error', 'Inconclusive'])
          reasons.add(`AnalysisRun${phase}`);
    }
  }
  // the routers' writes name their reason as `event = { reason: '...', ... }`
  for (const file of readdirSync(join(dir, '../routing')).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  )) {
    const text = readFileSync(join(dir, '../routing', file), 'utf8');
    for (const m of text.matchAll(/event = \{ reason: '(\w+)'/g)) reasons.add(m[1]!);
  }
  expect(reasons.size).toBeGreaterThanOrEqual(20);
  expect([...reasons].filter((r) => !doc.includes(`\`${r}\``))).toEqual([]);
});
