// The compatibility corpus: Argo Rollouts' own examples and e2e fixtures (read from
// ../shared/argo-compat, never copied here). Every Rollout, AnalysisTemplate and
// ClusterAnalysisTemplate must lint with no error other than "not supported yet" findings that
// docs/compatibility.md lists; every expectedfailures/malformed-* file must be rejected.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lintSources } from './lint';
import { readSources } from './read-files';

const repo = resolve(__dirname, '..', '..', '..', '..');
const corpus = resolve(repo, '..', 'shared', 'argo-compat');
const present = existsSync(corpus);
const compatibilityDoc = readFileSync(join(repo, 'docs', 'compatibility.md'), 'utf8');

/** Argo's e2e suite fills these placeholders before applying a fixture; so do we. */
const fillPlaceholders = (text: string) => text.replace(/ROLLOUT_NAME|REPLACEME/g, 'e2e-fixture');

/**
 * Files that are broken as published, with what lint says about them. Each is listed in
 * docs/compatibility.md under "Corpus files Ramp rejects".
 */
const KNOWN_BROKEN: Record<string, RegExp> = {
  'examples/traffic-management/rollout-linkerd.yaml':
    /a map key is itself a map \(\{args\.linkerd-enabled\}\)/,
};

const CHECKED_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'];

function lintCorpusFolder(folder: string, recursive: boolean) {
  return readSources([join(corpus, folder)], recursive).map((source) => {
    const file = relative(corpus, source.path);
    const text = source.text === undefined ? undefined : fillPlaceholders(source.text);
    return { file, report: lintSources([{ ...source, ...(text === undefined ? {} : { text }) }]) };
  });
}

if (!present) {
  console.warn(`compatibility corpus not found at ${corpus}: its tests are skipped (CI has it)`);
}

(present ? describe : describe.skip)('compatibility corpus', () => {
  const accepted = [...lintCorpusFolder('examples', true), ...lintCorpusFolder('test/e2e/functional', false)];

  test('it has the files we expect to walk', () => {
    expect(accepted.length).toBeGreaterThan(60);
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
          const field = f.path
            .split('.')
            .pop()!
            .replace(/\[\d+\]$/, '');
          const listed = new RegExp(`\`[^\`]*\\b${field}\\b[^\`]*\`[^\n]*not yet`).test(compatibilityDoc);
          expect({ field, listed }).toEqual({ field, listed: true });
        }
      }
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
