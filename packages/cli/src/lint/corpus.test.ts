// The compatibility corpus: Argo Rollouts' own examples, e2e fixtures and traffic-routing fixtures,
// and the examples of Argo's Gateway API plugin (read from ../shared/argo-compat, never copied
// here). Every Rollout, AnalysisTemplate and ClusterAnalysisTemplate must lint with no error other
// than "not supported" findings ("not yet", "never") that docs/compatibility.md lists; every Rollout
// whose traffic routers are all ones Ramp runs (the Gateway API plugin, Istio, ALB, nginx, SMI,
// APISIX, Traefik, Ambassador) must lint with no "not supported" finding but for experiment steps
// (counted by router); every Rollout whose routers the controller's corpus walk runs (the Gateway
// API plugin, nginx, smi) must lint with no error at all (a known list excepted: other unsupported
// fields, files broken as published); each Gateway API plugin example, linted as one set, has no
// error and no warning; every expectedfailures/malformed-* file must be rejected. Where the corpus
// is, its folders, its known exceptions and the list of clean routed Rollouts come from
// @ramp/api/testing's compat-corpus modules, which the controller's corpus walk
// (integration/corpus-walk.test.ts) reads too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BuiltInRouter } from '@ramp/api';
import {
  CLEAN_ROUTED,
  CLEAN_ROUTED_TOTAL,
  CORPUS_FOLDERS,
  cleanRoutedRollouts,
  COMPAT_CORPUS as corpus,
  corpusFiles,
  countByFolder,
  fillPlaceholders,
  GATEWAY_EXAMPLES,
  KNOWN_BROKEN,
  COMPAT_CORPUS_PRESENT as present,
  REFUSED_WHEN_RUN,
  ROUTED_BUT_UNSUPPORTED,
  routedCorpusRollouts,
  WALKED_ROUTERS,
} from '@ramp/api/testing';
import { type LintReport, lintSources } from './lint';
import { readSources } from './read-files';

const repo = resolve(__dirname, '..', '..', '..', '..');
const compatibilityDoc = readFileSync(join(repo, 'docs', 'compatibility.md'), 'utf8');

const CHECKED_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'];

/**
 * How many of the corpus's Rollouts routed only through routers Ramp runs name each router (a
 * Rollout with two counts for each; Traefik's only corpus example routes through the Gateway API).
 */
const ROUTED_BY_ROUTER: Record<string, number> = {
  alb: 17,
  ambassador: 1,
  apisix: 3,
  'gatewayAPI plugin': 14,
  istio: 17,
  nginx: 2,
  smi: 4,
};
/** How many of them lint with no error at all. */
const ROUTED_CLEAN = 44;
/** How many of them have experiment steps (not supported yet, their own issue). */
const ROUTED_WITH_EXPERIMENT_STEPS = 11;
/** How many routed Rollouts name a router Ramp does not run (App Mesh's two). */
const ROUTED_THROUGH_ROUTERS_NOT_RUN = 2;

interface LintedFile {
  file: string;
  folder: string;
  report: LintReport;
}

function lintCorpusFolder(folder: string, recursive: boolean): LintedFile[] {
  const files = corpusFiles(folder, recursive);
  return readSources(files.map((f) => f.path)).map((source, i) => {
    const text = source.text === undefined ? undefined : fillPlaceholders(source.text);
    return {
      file: files[i]!.file,
      folder,
      report: lintSources([{ ...source, ...(text === undefined ? {} : { text }) }]),
    };
  });
}

if (!present) {
  console.warn(`compatibility corpus not found at ${corpus}: its tests are skipped (CI has it)`);
}

(present ? describe : describe.skip)('compatibility corpus', () => {
  // a skipped describe still runs its body: read nothing when the corpus is absent
  const accepted = present
    ? CORPUS_FOLDERS.flatMap(([folder, recursive]) => lintCorpusFolder(folder, recursive))
    : [];

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
          const status = f.message.includes('will not be supported') ? 'never' : 'not yet';
          const listed = new RegExp(`\`[^\`]*\\b${field}\\b[^\`]*\`[^\n]*${status}`).test(compatibilityDoc);
          expect({ field, listed }).toEqual({ field, listed: true });
        }
      }
    },
  );

  const lintedByFile = new Map(accepted.map((a) => [a.file, a.report]));
  const lintedRollout = (file: string, name: string) => {
    const where = `${file} Rollout/${name}`;
    const objects = (lintedByFile.get(file)?.objects ?? []).filter(
      (o) => o.kind === 'Rollout' && o.name === name,
    );
    expect({ where, linted: objects.length }).toEqual({ where, linted: 1 });
    return { where, object: objects[0]! };
  };

  test('every Rollout routed only through routers Ramp runs lints with no "not supported" finding but for experiment steps', () => {
    const byRouter = new Map<string, number>();
    const failures: string[] = [];
    const experiments: string[] = [];
    const exceptions: string[] = [];
    const notRun: string[] = [];
    let clean = 0;
    for (const { file, name, routers, rampRunsAll } of routedCorpusRollouts()) {
      const { where, object } = lintedRollout(file, name);
      if (!rampRunsAll) {
        notRun.push(`${where}: ${[...routers.notRun, ...routers.otherPlugins].join(', ')}`);
        continue;
      }
      const unsupported = object.findings.filter((f) => f.code === 'unsupported');
      const experimentSteps = unsupported.filter((f) =>
        /^spec\.strategy\.canary\.steps\[\d+\]\.experiment$/.test(f.path),
      );
      if (experimentSteps.length > 0) experiments.push(where);
      const known = ROUTED_BUT_UNSUPPORTED[file];
      const others = unsupported.filter((f) => !experimentSteps.includes(f) && !known?.test(f.path));
      if (known && unsupported.some((f) => known.test(f.path))) exceptions.push(where);
      if (object.findings.every((f) => f.severity !== 'error')) clean++;
      if (others.length > 0)
        failures.push(`${where}: ${others.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
      for (const router of [...(routers.gatewayApi ? ['gatewayAPI plugin'] : []), ...routers.builtIn])
        byRouter.set(router, (byRouter.get(router) ?? 0) + 1);
    }
    const counts = Object.fromEntries([...byRouter].sort(([a], [b]) => a.localeCompare(b)));
    console.log(
      `Rollouts routed only through routers Ramp runs, by router (a Rollout with two routers counts for each): ${JSON.stringify(counts)}; ${clean} lint with no error; ${experiments.length} of them have experiment steps (not supported yet):\n  ${experiments.join('\n  ')}\n${exceptions.length} use another field Ramp does not run yet (ROUTED_BUT_UNSUPPORTED):\n  ${exceptions.join('\n  ')}\n${notRun.length} Rollouts route through a router Ramp does not run:\n  ${notRun.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    expect(counts).toEqual(ROUTED_BY_ROUTER);
    expect(experiments).toHaveLength(ROUTED_WITH_EXPERIMENT_STEPS);
    expect(clean).toBe(ROUTED_CLEAN);
    // the experiment files among the exceptions, and the Istio fixture with ephemeral metadata
    expect(exceptions).toHaveLength(Object.keys(ROUTED_BUT_UNSUPPORTED).length);
    expect(notRun).toHaveLength(ROUTED_THROUGH_ROUTERS_NOT_RUN);
  });

  test('every Rollout routed only through the routers the corpus walk runs lints with no error but for known exceptions and experiment steps', () => {
    const clean: { file: string; name: string; folder: string }[] = [];
    const failures: string[] = [];
    const notWalked: string[] = [];
    const experiments: string[] = [];
    const refused: string[] = [];
    for (const { file, folder, name, routers, walked } of routedCorpusRollouts()) {
      const { where, object } = lintedRollout(file, name);
      const errors = object.findings.filter((f) => f.severity === 'error');
      if (!walked) {
        notWalked.push(
          `${where}: ${[...routers.builtIn.filter((r: BuiltInRouter) => !WALKED_ROUTERS.includes(r)), ...routers.notRun, ...routers.otherPlugins].join(', ')}`,
        );
        continue;
      }
      const expectedUnsupported = ROUTED_BUT_UNSUPPORTED[file];
      if (expectedUnsupported) {
        expect({ where, paths: errors.map((f) => f.path) }).toEqual({
          where,
          paths: errors.map(() => expect.stringMatching(expectedUnsupported)),
        });
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.every((e) => e.code === 'unsupported')).toBe(true);
        continue;
      }
      // experiment steps: their own issue; the walk leaves these out
      if (
        errors.length > 0 &&
        errors.every(
          (e) =>
            e.code === 'unsupported' && /^spec\.strategy\.canary\.steps\[\d+\]\.experiment$/.test(e.path),
        )
      ) {
        experiments.push(where);
        continue;
      }
      // lints clean, but the controller refuses it once it reads its routing objects, as Argo's does
      if (errors.length === 0 && REFUSED_WHEN_RUN[file]) {
        refused.push(where);
        continue;
      }
      if (errors.length > 0)
        failures.push(`${where}: ${errors.map((f) => `${f.path}: ${f.message}`).join('; ')}`);
      else clean.push({ file, name, folder });
    }
    const byFolder = countByFolder(clean);
    console.log(
      `Rollouts routed only through the routers the corpus walk runs that lint clean: ${clean.length} (${Object.entries(
        byFolder,
      )
        .map(([folder, n]) => `${folder}: ${n}`)
        .join(
          ', ',
        )}); known exceptions: ${Object.keys(ROUTED_BUT_UNSUPPORTED).length} with other unsupported fields, ${
        Object.keys(KNOWN_BROKEN).length
      } files broken as published; ${notWalked.length} Rollouts route through routers the walk does not run yet:\n  ${notWalked.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    expect(refused).toHaveLength(Object.keys(REFUSED_WHEN_RUN).length);
    expect(experiments.length).toBeGreaterThan(0);
    expect(byFolder).toEqual(CLEAN_ROUTED);
    expect(clean.length).toBe(CLEAN_ROUTED_TOTAL);
    // the list the controller's corpus walk runs is exactly these
    expect(cleanRoutedRollouts().map(({ file, name, folder }) => ({ file, name, folder }))).toEqual(clean);
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
