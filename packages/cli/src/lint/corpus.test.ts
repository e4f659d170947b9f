// The compatibility corpus: Argo Rollouts' own examples, e2e fixtures and traffic-routing fixtures,
// and the examples of Argo's Gateway API plugin (read from ../shared/argo-compat, never copied
// here). Every Rollout, AnalysisTemplate and ClusterAnalysisTemplate must lint with no error other
// than "not supported yet" findings that docs/compatibility.md lists; every Rollout whose traffic
// routers are all ones Ramp runs (the Gateway API plugin, nginx, smi) must lint with no error at all
// (a known list excepted: other unsupported fields, files broken as published); each Gateway API
// plugin example, linted as one set, has no error and no warning; every
// expectedfailures/malformed-* file must be rejected. Where the corpus is, its folders, its known
// exceptions and the list of clean routed Rollouts come from @ramp/api/testing's compat-corpus
// modules, which the controller's corpus walk (integration/corpus-walk.test.ts) reads too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
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
  ROUTED_BUT_UNSUPPORTED,
  routedCorpusRollouts,
} from '@ramp/api/testing';
import { type LintReport, lintSources } from './lint';
import { readSources } from './read-files';

const repo = resolve(__dirname, '..', '..', '..', '..');
const compatibilityDoc = readFileSync(join(repo, 'docs', 'compatibility.md'), 'utf8');

const CHECKED_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'];

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
  const accepted = CORPUS_FOLDERS.flatMap(([folder, recursive]) => lintCorpusFolder(folder, recursive));

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
    const lintedByFile = new Map(accepted.map((a) => [a.file, a.report]));
    const clean: { file: string; name: string; folder: string }[] = [];
    const failures: string[] = [];
    const notRun: string[] = [];
    for (const { file, folder, name, routers, rampRunsAll } of routedCorpusRollouts()) {
      const where = `${file} Rollout/${name}`;
      const objects = (lintedByFile.get(file)?.objects ?? []).filter(
        (o) => o.kind === 'Rollout' && o.name === name,
      );
      expect({ where, linted: objects.length }).toEqual({ where, linted: 1 });
      const errors = objects[0]!.findings.filter((f) => f.severity === 'error');
      if (!rampRunsAll) {
        notRun.push(`${where}: ${[...routers.notRun, ...routers.otherPlugins].join(', ')}`);
        continue;
      }
      const expectedUnsupported = ROUTED_BUT_UNSUPPORTED[file];
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
      else clean.push({ file, name, folder });
    }
    const byFolder = countByFolder(clean);
    console.log(
      `Rollouts routed only through routers Ramp runs that lint clean: ${clean.length} (${Object.entries(
        byFolder,
      )
        .map(([folder, n]) => `${folder}: ${n}`)
        .join(
          ', ',
        )}); known exceptions: ${Object.keys(ROUTED_BUT_UNSUPPORTED).length} with other unsupported fields, ${
        Object.keys(KNOWN_BROKEN).length
      } files broken as published; ${notRun.length} Rollouts route through routers Ramp does not run yet:\n  ${notRun.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
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
