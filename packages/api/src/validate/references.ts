// Checks between objects of one set (a folder of manifests): a Rollout's Services and
// AnalysisTemplates should be in the set, and a template's required args should be given.
import type { Finding } from './findings';
import { isPlainObject } from './schema-check';

export interface SetObject {
  /** Index of the object in the caller's list, to attach findings to it. */
  index: number;
  doc: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

function meta(doc: Obj): { name?: string; namespace?: string } {
  const m = isPlainObject(doc.metadata) ? doc.metadata : {};
  return {
    ...(str(m.name) ? { name: str(m.name)! } : {}),
    ...(str(m.namespace) ? { namespace: str(m.namespace)! } : {}),
  };
}

/** Same namespace, where an object without one matches any (lint has no current namespace). */
const sameNamespace = (a?: string, b?: string) => a === undefined || b === undefined || a === b;

export interface ReferenceFinding {
  index: number;
  finding: Finding;
}

export function checkReferences(objects: SetObject[]): ReferenceFinding[] {
  const out: ReferenceFinding[] = [];
  const ofKind = (kind: string) => objects.filter((o) => o.doc.kind === kind);
  const find = (kind: string, name: string, namespace?: string) =>
    ofKind(kind).find(
      (o) =>
        meta(o.doc).name === name &&
        (kind === 'ClusterAnalysisTemplate' || sameNamespace(meta(o.doc).namespace, namespace)),
    );

  for (const rollout of ofKind('Rollout')) {
    const { namespace } = meta(rollout.doc);
    const warn = (path: string, message: string) =>
      out.push({ index: rollout.index, finding: { severity: 'warning', code: 'reference', path, message } });
    const spec = isPlainObject(rollout.doc.spec) ? rollout.doc.spec : {};
    const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
    const canary = isPlainObject(strategy.canary) ? strategy.canary : undefined;
    const blueGreen = isPlainObject(strategy.blueGreen) ? strategy.blueGreen : undefined;
    const services: [string, unknown][] = [
      ['spec.strategy.canary.canaryService', canary?.canaryService],
      ['spec.strategy.canary.stableService', canary?.stableService],
      ['spec.strategy.blueGreen.activeService', blueGreen?.activeService],
      ['spec.strategy.blueGreen.previewService', blueGreen?.previewService],
    ];
    for (const [path, name] of services) {
      const service = str(name);
      if (service && !find('Service', service, namespace)) {
        warn(
          path,
          `references Service "${service}", which is not among the files given; create it before the Rollout runs`,
        );
      }
    }
    const analyses: [string, unknown][] = [
      ['spec.strategy.canary.analysis', canary?.analysis],
      ['spec.strategy.blueGreen.prePromotionAnalysis', blueGreen?.prePromotionAnalysis],
      ['spec.strategy.blueGreen.postPromotionAnalysis', blueGreen?.postPromotionAnalysis],
      ...list(canary?.steps).map((s, i): [string, unknown] => [
        `spec.strategy.canary.steps[${i}].analysis`,
        s.analysis,
      ]),
    ];
    for (const [path, analysis] of analyses) {
      if (!isPlainObject(analysis)) continue;
      const given = new Set(
        list(analysis.args)
          .map((a) => str(a.name))
          .filter((n): n is string => n !== undefined),
      );
      list(analysis.templates).forEach((ref, i) => {
        const name = str(ref.templateName);
        if (!name) return;
        const kind = ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
        const template = find(kind, name, namespace);
        const refPath = `${path}.templates[${i}].templateName`;
        if (!template) {
          warn(
            refPath,
            `references ${kind} "${name}", which is not among the files given; create it before the Rollout runs`,
          );
          return;
        }
        const tSpec = isPlainObject(template.doc.spec) ? template.doc.spec : {};
        for (const arg of list(tSpec.args)) {
          const argName = str(arg.name);
          const required = arg.value === undefined && (arg.valueFrom === undefined || arg.valueFrom === null);
          if (argName && required && !given.has(argName)) {
            out.push({
              index: rollout.index,
              finding: {
                severity: 'error',
                code: 'reference',
                path: `${path}.args`,
                message: `${kind} "${name}" requires arg "${argName}", which is not given; add "- name: ${argName}" with a value under args`,
              },
            });
          }
        }
      });
    }
  }
  return out;
}
