// kubectl ramp lint: every object of our kinds validated, references checked within the set,
// other kinds skipped with a note. Pure: sources in, report out (printing is format.ts).
import {
  checkReferences,
  type Finding,
  isOurKind,
  isReferencedKind,
  stringsIn,
  validateObject,
} from '@ramp/api';
import { invertedRatioWarning } from './query-heuristics';
import type { SourceFile } from './read-files';
import { type Position, parseYamlDocuments, positionOf, type YamlDocument } from './yaml-documents';

export interface LintFinding extends Finding {
  line: number;
}

export interface LintedObject {
  file: string;
  line: number;
  kind?: string;
  name?: string;
  namespace?: string;
  /** skipped: a kind Ramp does not own (noted, not checked). */
  status: 'checked' | 'skipped' | 'broken';
  findings: LintFinding[];
}

export interface LintReport {
  objects: LintedObject[];
  /** Problems of whole files: unreadable, empty, YAML syntax. */
  fileProblems: { file: string; line: number; message: string }[];
  errors: number;
  warnings: number;
}

/** Checks a condition's syntax; returns the problem, or undefined when it parses. */
export type ConditionChecker = (source: string) => string | undefined;

export interface LintOptions {
  checkCondition?: ConditionChecker;
}

function metricChecks(doc: Record<string, unknown>, options: LintOptions): Finding[] {
  const out: Finding[] = [];
  const spec = doc.spec as Record<string, unknown> | undefined;
  const metrics = Array.isArray(spec?.metrics) ? spec.metrics : [];
  metrics.forEach((metric, i) => {
    if (typeof metric !== 'object' || metric === null) return;
    const m = metric as Record<string, unknown>;
    for (const field of ['successCondition', 'failureCondition']) {
      const source = m[field];
      if (typeof source !== 'string' || source.includes('{{') || !options.checkCondition) continue;
      const problem = options.checkCondition(source);
      if (problem)
        out.push({
          severity: 'error',
          code: 'invalid',
          path: `spec.metrics[${i}].${field}`,
          message: problem,
        });
    }
    for (const [sub, text] of stringsIn(m.provider, 'provider')) {
      if (!sub.endsWith('prometheus.query')) continue;
      const warning = invertedRatioWarning(text);
      if (warning)
        out.push({
          severity: 'warning',
          code: 'suspicious',
          path: `spec.metrics[${i}].${sub}`,
          message: warning,
        });
    }
  });
  return out;
}

const ALB_PATH = 'spec.strategy.canary.trafficRouting.alb';

/** Argo Rollouts verifies ALB weights through the AWS API (its weights' `verified`); Ramp does not. */
export const ALB_UNVERIFIED =
  "runs without weight verification: Argo Rollouts started with --aws-verify-target-group (formerly --alb-verify-weight) reads the target groups' weights back from the AWS API and holds each step until the load balancer carries its weight; Ramp does not call the AWS API, so status.canary.weights.verified stays unset and no step waits for the target groups. Nothing to change in the Rollout; if you relied on that check, watch the target groups' weights in AWS (see docs/compatibility.md)";

const mapOf = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Lint's own warnings about a Rollout, beyond validation's: a router whose weights Ramp cannot verify. */
function rolloutChecks(doc: Record<string, unknown>): Finding[] {
  const routing = mapOf(mapOf(mapOf(mapOf(doc.spec).strategy).canary).trafficRouting);
  if (routing.alb === undefined || routing.alb === null) return [];
  return [{ severity: 'warning', code: 'suspicious', path: ALB_PATH, message: ALB_UNVERIFIED }];
}

function toLintFinding(doc: YamlDocument, f: Finding): LintFinding {
  return { ...f, line: positionOf(doc, f.path).line };
}

export function lintSources(sources: SourceFile[], options: LintOptions = {}): LintReport {
  const report: LintReport = { objects: [], fileProblems: [], errors: 0, warnings: 0 };
  const parsed: { object: LintedObject; doc: YamlDocument }[] = [];
  const fileProblem = (file: string, position: Position | undefined, message: string) =>
    report.fileProblems.push({ file, line: position?.line ?? 1, message });

  for (const source of sources) {
    if (source.text === undefined) {
      fileProblem(source.path, undefined, source.error ?? 'cannot be read');
      continue;
    }
    const docs = parseYamlDocuments(source.text);
    if (
      docs.every((d) => d.value === undefined || d.value === null) &&
      docs.every((d) => d.problems.length === 0)
    ) {
      fileProblem(
        source.path,
        undefined,
        'holds no Kubernetes object (the file is empty); remove it or add an object',
      );
      continue;
    }
    for (const doc of docs) {
      for (const p of doc.problems)
        fileProblem(source.path, p.position, `YAML: ${p.message} (column ${p.position.col})`);
      if (doc.problems.length > 0 || doc.value === undefined || doc.value === null) continue;
      const result = validateObject(doc.value);
      const object: LintedObject = {
        file: source.path,
        line: doc.position.line,
        ...(result.kind ? { kind: result.kind } : {}),
        ...(result.name ? { name: result.name } : {}),
        ...(result.namespace ? { namespace: result.namespace } : {}),
        status: result.ours ? 'checked' : result.findings.length > 0 ? 'broken' : 'skipped',
        findings: result.findings.map((f) => toLintFinding(doc, f)),
      };
      if (result.ours) {
        const value = doc.value as Record<string, unknown>;
        const extra = [
          ...metricChecks(value, options),
          ...(result.kind === 'Rollout' ? rolloutChecks(value) : []),
        ];
        object.findings.push(...extra.map((f) => toLintFinding(doc, f)));
      }
      parsed.push({ object, doc });
    }
  }

  const setObjects = parsed.map((p, index) => ({
    index,
    doc: p.doc.value as Record<string, unknown>,
  }));
  for (const { index, finding } of checkReferences(
    setObjects.filter((o) => isOurKind(o.doc.kind) || isReferencedKind(o.doc.kind)),
  )) {
    const target = parsed[index]!;
    target.object.findings.push(toLintFinding(target.doc, finding));
  }
  for (const { object } of parsed) {
    object.findings.sort((a, b) => a.line - b.line);
    report.objects.push(object);
  }
  report.errors =
    report.fileProblems.length +
    report.objects.reduce((n, o) => n + o.findings.filter((f) => f.severity === 'error').length, 0);
  report.warnings = report.objects.reduce(
    (n, o) => n + o.findings.filter((f) => f.severity === 'warning').length,
    0,
  );
  return report;
}
