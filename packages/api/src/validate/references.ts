// Checks between objects of one set (a folder of manifests): a Rollout's Services and
// AnalysisTemplates should be in the set, a template's required args should be given, and a
// traffic router's objects should route as the Rollout needs (traffic-routing-references.ts).
import type { Finding } from './findings';
import { list, ManifestSet, map, metaOf, type SetObject, str } from './manifest-set';
import { isPlainObject } from './schema-check';
import { checkTrafficReferences, ROUTED_KINDS } from './traffic-routing-references';

export type { SetObject } from './manifest-set';

export interface ReferenceFinding {
  index: number;
  finding: Finding;
}

/** The kinds other than ours that the reference checks read; lint passes them in with ours. */
export const REFERENCED_KINDS: readonly string[] = ['Service', ...ROUTED_KINDS];

export function isReferencedKind(kind: unknown): boolean {
  return typeof kind === 'string' && REFERENCED_KINDS.includes(kind);
}

export function checkReferences(objects: SetObject[]): ReferenceFinding[] {
  const out: ReferenceFinding[] = [];
  const set = new ManifestSet(objects);

  for (const rollout of set.ofKind('Rollout')) {
    const { namespace } = metaOf(rollout.doc);
    const warn = (path: string, message: string) =>
      out.push({ index: rollout.index, finding: { severity: 'warning', code: 'reference', path, message } });
    const strategy = map(map(rollout.doc.spec).strategy);
    const canary = isPlainObject(strategy.canary) ? strategy.canary : undefined;
    const blueGreen = isPlainObject(strategy.blueGreen) ? strategy.blueGreen : undefined;
    const services: [string, unknown][] = [
      ['spec.strategy.canary.canaryService', canary?.canaryService],
      ['spec.strategy.canary.stableService', canary?.stableService],
      ['spec.strategy.canary.pingPong.pingService', map(canary?.pingPong).pingService],
      ['spec.strategy.canary.pingPong.pongService', map(canary?.pingPong).pongService],
      ['spec.strategy.blueGreen.activeService', blueGreen?.activeService],
      ['spec.strategy.blueGreen.previewService', blueGreen?.previewService],
    ];
    for (const [path, name] of services) {
      const service = str(name);
      if (service && !set.find('Service', service, namespace)) {
        warn(
          path,
          `references Service "${service}", which is not among the files given; create it before the Rollout runs`,
        );
      }
    }
    if (canary) checkTrafficReferences(set, rollout.doc, canary, warn);
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
          .map((arg) => str(arg.name))
          .filter((n): n is string => n !== undefined),
      );
      list(analysis.templates).forEach((ref, i) => {
        const name = str(ref.templateName);
        if (!name) return;
        const kind = ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
        const template = set.find(kind, name, namespace);
        const refPath = `${path}.templates[${i}].templateName`;
        if (!template) {
          warn(
            refPath,
            `references ${kind} "${name}", which is not among the files given; create it before the Rollout runs`,
          );
          return;
        }
        for (const arg of list(map(template.doc.spec).args)) {
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
