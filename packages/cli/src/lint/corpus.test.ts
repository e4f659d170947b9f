// The compatibility corpus: Argo Rollouts' own examples, e2e fixtures and traffic-routing fixtures,
// and the examples of Argo's Gateway API plugin (read from ../shared/argo-compat, never copied
// here). Every Rollout, AnalysisTemplate and ClusterAnalysisTemplate must lint with no error other
// than "not supported yet" findings that docs/compatibility.md lists; every Rollout whose traffic
// routers are all ones Ramp runs (the Gateway API plugin, nginx, smi) must lint with no error at all
// (a known list excepted: other unsupported fields, files broken as published); each Gateway API
// plugin example, linted as one set, has no error and no warning; every
// expectedfailures/malformed-* file must be rejected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { namesAnyRouter, trafficRoutersOf } from '@ramp/api';
import { type LintReport, lintSources } from './lint';
import { readSources } from './read-files';
import { parseYamlDocuments } from './yaml-documents';

const repo = resolve(__dirname, '..', '..', '..', '..');
const corpus = resolve(repo, '..', 'shared', 'argo-compat');
const present = existsSync(corpus);
const compatibilityDoc = readFileSync(join(repo, 'docs', 'compatibility.md'), 'utf8');
const GATEWAY_EXAMPLES = 'gatewayapi-plugin/examples';

/** The folders walked (recursively or not): examples, e2e fixtures, traffic-routing fixtures, the plugin's examples. */
const FOLDERS: [string, boolean][] = [
  ['examples', true],
  ['test/e2e/functional', false],
  ...['alb', 'apisix', 'appmesh', 'header-routing', 'istio', 'mirror-route', 'smi', 'smi_ingress'].map(
    (f): [string, boolean] => [`test/e2e/${f}`, false],
  ),
  [GATEWAY_EXAMPLES, true],
];

/** Argo's e2e suite fills these placeholders before applying a fixture; so do we. */
const fillPlaceholders = (text: string) => text.replace(/ROLLOUT_NAME|REPLACEME/g, 'e2e-fixture');

/**
 * Files that are broken as published, with what lint says about them. Each is listed in
 * docs/compatibility.md under "Corpus files Ramp rejects".
 */
const KNOWN_BROKEN: Record<string, RegExp> = {
  'examples/traffic-management/rollout-linkerd.yaml':
    /a map key is itself a map \(\{args\.linkerd-enabled\}\)/,
  'gatewayapi-plugin/examples/kong/rollout.yml': /^YAML: Map keys must be unique/,
};

/** Rollouts whose routers Ramp runs but that use another field Ramp does not run yet: that field's path. */
const ROUTED_BUT_UNSUPPORTED: Record<string, RegExp> = {
  'examples/traffic-routing-experiment-step/rollout-smi-experiment-step.yaml':
    /^spec\.strategy\.canary\.steps\[1\]\.experiment$/,
  'test/e2e/smi/rollout-smi-experiment.yaml': /^spec\.strategy\.canary\.steps\[1\]\.experiment$/,
  'gatewayapi-plugin/examples/google-cloud-experiment/rollout.yaml':
    /^spec\.strategy\.canary\.steps\[0\]\.experiment$/,
};

/** How many Rollouts route only through routers Ramp runs and lint with no error, by folder. */
const CLEAN_ROUTED: Record<string, number> = {
  examples: 1,
  'test/e2e/functional': 1,
  'test/e2e/smi_ingress': 1,
  [GATEWAY_EXAMPLES]: 13,
};

const CHECKED_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'];

interface LintedFile {
  file: string;
  folder: string;
  text?: string;
  report: LintReport;
}

function lintCorpusFolder(folder: string, recursive: boolean): LintedFile[] {
  return readSources([join(corpus, folder)], recursive).map((source) => {
    const file = relative(corpus, source.path);
    const text = source.text === undefined ? undefined : fillPlaceholders(source.text);
    return {
      file,
      folder,
      ...(text === undefined ? {} : { text }),
      report: lintSources([{ ...source, ...(text === undefined ? {} : { text }) }]),
    };
  });
}

/** The Rollouts of a file whose trafficRouting names routers, each with whether Ramp runs them all. */
function routedRollouts(linted: LintedFile) {
  const docs = linted.text === undefined ? [] : parseYamlDocuments(linted.text);
  return linted.report.objects
    .filter((o) => o.kind === 'Rollout')
    .flatMap((object) => {
      const doc = docs.find((d) => d.position.line === object.line)?.value as
        | { spec?: { strategy?: { canary?: { trafficRouting?: unknown } } } }
        | undefined;
      const routers = trafficRoutersOf(doc?.spec?.strategy?.canary?.trafficRouting);
      if (!namesAnyRouter(routers)) return [];
      const rampRunsAll = routers.notRun.length === 0 && routers.otherPlugins.length === 0;
      return [{ object, routers, rampRunsAll }];
    });
}

if (!present) {
  console.warn(`compatibility corpus not found at ${corpus}: its tests are skipped (CI has it)`);
}

(present ? describe : describe.skip)('compatibility corpus', () => {
  const accepted = FOLDERS.flatMap(([folder, recursive]) => lintCorpusFolder(folder, recursive));

  test('it has the files we expect to walk', () => {
    expect(accepted.length).toBeGreaterThan(200);
  });

  test.each(accepted.map((a) => [a.file, a.report] as const))(
    '%s lints clean but for unsupported features',
    (file, report) => {
      const known = KNOWN_BROKEN[file];
      if (known) {
        expect(report.fileProblems.map((p) => p.message).join('\n')).toMatch(known);
        expect(compatibilityDoc).toContain(file);
        return;
      }
      expect(report.fileProblems).toEqual([]);
      for (const object of report.objects.filter((o) => CHECKED_KINDS.includes(o.kind ?? ''))) {
        const errors = object.findings.filter((f) => f.severity === 'error');
        const unexpected = errors
          .filter((f) => f.code !== 'unsupported')
          .map((f) => `${f.path}: ${f.message}`);
        expect(unexpected).toEqual([]);
        for (const f of errors) {
          // the last field of the path: `steps[1].experiment` → experiment, `plugins["x/y"]` → plugins
          const field = f.path
            .split('.')
            .pop()!
            .replace(/(\[\d+\]|\["[^"]*"\])+$/, '');
          const listed = new RegExp(`\`[^\`]*\\b${field}\\b[^\`]*\`[^\n]*not yet`).test(compatibilityDoc);
          expect({ field, listed }).toEqual({ field, listed: true });
        }
      }
    },
  );

  test('every Rollout routed only through the Gateway API plugin, nginx or smi lints with no error', () => {
    const clean: Record<string, number> = {};
    const failures: string[] = [];
    const notRun: string[] = [];
    for (const linted of accepted) {
      for (const { object, routers, rampRunsAll } of routedRollouts(linted)) {
        const errors = object.findings.filter((f) => f.severity === 'error');
        const where = `${linted.file} Rollout/${object.name}`;
        if (!rampRunsAll) {
          notRun.push(`${where}: ${[...routers.notRun, ...routers.otherPlugins].join(', ')}`);
          continue;
        }
        const expectedUnsupported = ROUTED_BUT_UNSUPPORTED[linted.file];
        if (expectedUnsupported) {
          expect({ where, paths: errors.map((f) => f.path) }).toEqual({
            where,
            paths: [expect.stringMatching(expectedUnsupported)],
          });
          expect(errors[0]!.code).toBe('unsupported');
          continue;
        }
        if (errors.length > 0)
          failures.push(`${where}: ${errors.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
        else clean[linted.folder] = (clean[linted.folder] ?? 0) + 1;
      }
    }
    const total = Object.values(clean).reduce((n, c) => n + c, 0);
    console.log(
      `Rollouts routed only through routers Ramp runs that lint clean: ${total} (${Object.entries(clean)
        .map(([folder, n]) => `${folder}: ${n}`)
        .join(
          ', ',
        )}); known exceptions: ${Object.keys(ROUTED_BUT_UNSUPPORTED).length} with other unsupported fields, ${
        Object.keys(KNOWN_BROKEN).length
      } files broken as published; ${notRun.length} Rollouts route through routers Ramp does not run yet:\n  ${notRun.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    expect(clean).toEqual(CLEAN_ROUTED);
    expect(total).toBe(16);
  });

  const gatewayExamples = present
    ? readdirSync(join(corpus, GATEWAY_EXAMPLES), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];

  test.each(gatewayExamples)(
    'the Gateway API plugin example %s, linted as one set: no error, no warning',
    (example) => {
      const sources = readSources([join(corpus, GATEWAY_EXAMPLES, example)], true).map((s) => ({
        ...s,
        path: relative(corpus, s.path),
      }));
      const report = lintSources(sources);
      const problems = [
        ...report.fileProblems
          .filter((p) => !KNOWN_BROKEN[p.file]?.test(p.message))
          .map((p) => `${p.file}:${p.line}: ${p.message}`),
        ...report.objects.flatMap((o) =>
          o.findings
            .filter((f) => !(ROUTED_BUT_UNSUPPORTED[o.file]?.test(f.path) && f.code === 'unsupported'))
            .map((f) => `${o.file}:${f.line}: ${f.severity} ${f.path}: ${f.message}`),
        ),
      ];
      expect(problems).toEqual([]);
      expect(report.objects.filter((o) => o.status === 'broken')).toEqual([]);
    },
  );

  const malformed = readSources([join(corpus, 'test/e2e/expectedfailures')])
    .filter((s) => /\/malformed-[^/]+$/.test(s.path))
    .map((s) => [relative(corpus, s.path), s] as const);

  test('there are malformed fixtures to reject', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(5);
  });

  test.each(malformed)('%s is rejected', (_file, source) => {
    const report = lintSources([source]);
    const ours = report.objects.filter(
      (o) => CHECKED_KINDS.includes(o.kind ?? '') || o.kind === 'AnalysisRun',
    );
    for (const object of ours) {
      expect(
        object.findings.filter((f) => f.severity === 'error' && f.code !== 'unsupported').length,
      ).toBeGreaterThan(0);
    }
    expect(report.errors).toBeGreaterThan(0);
  });
});
