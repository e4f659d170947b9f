// What a Rollout names outside itself: the Services its strategy points at and the analysis templates
// its steps and analyses use. The controller keeps reverse indexes of these to route changes of a
// Service or a template to the Rollouts that reference it.
import type { AnalysisTemplateRef, Rollout } from '@ramp/api';
import { objectKey } from '@ramp/kube';
import type { RouteResourceName, RouteWatch } from '../routing/router';
import { routersFor } from '../routing/routers';

type Fields = Record<string, unknown>;
const isMap = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The strategy's two halves, read defensively: these run on every watch event, before validation,
 * so a Rollout with no spec or a list for a strategy must still be routed (and then reported invalid).
 */
function strategyOf(rollout: Rollout): { canary: Fields; blueGreen: Fields } {
  const spec: unknown = rollout.spec;
  const strategy = isMap(spec) && isMap(spec.strategy) ? spec.strategy : {};
  return {
    canary: isMap(strategy.canary) ? strategy.canary : {},
    blueGreen: isMap(strategy.blueGreen) ? strategy.blueGreen : {},
  };
}

/** The names of the Services the Rollout's strategy names (canary, stable, active, preview, ping, pong). */
export function referencedServices(rollout: Rollout): string[] {
  const { canary, blueGreen } = strategyOf(rollout);
  const pingPong = isMap(canary.pingPong) ? canary.pingPong : {};
  const names = [
    canary.canaryService,
    canary.stableService,
    pingPong.pingService,
    pingPong.pongService,
    blueGreen.activeService,
    blueGreen.previewService,
  ];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))];
}

/** The analysis templates the Rollout uses (steps, background, pre- and post-promotion analyses). */
export function referencedTemplates(rollout: Rollout): AnalysisTemplateRef[] {
  const { canary, blueGreen } = strategyOf(rollout);
  const analyses = [
    canary.analysis,
    ...listOf(canary.steps).map((step) => (isMap(step) ? step.analysis : undefined)),
    blueGreen.prePromotionAnalysis,
    blueGreen.postPromotionAnalysis,
  ];
  return analyses
    .flatMap((analysis) => (isMap(analysis) ? listOf(analysis.templates) : []))
    .filter(
      (ref): ref is Fields => isMap(ref) && typeof ref.templateName === 'string' && ref.templateName !== '',
    )
    .map((ref) => ({
      templateName: ref.templateName as string,
      ...(ref.clusterScope === true ? { clusterScope: true } : {}),
    }));
}

/** Cache keys of the referenced templates: `namespace/name`, or `name` for ClusterAnalysisTemplates. */
export function referencedTemplateKeys(rollout: Rollout): string[] {
  const ns = rollout.metadata.namespace;
  const keys = referencedTemplates(rollout).map((ref) =>
    objectKey(ref.clusterScope ? undefined : ns, ref.templateName),
  );
  return [...new Set(keys)];
}

/** The routing objects the Rollout's routers watch; none for a spec too malformed to read (validation reports it). */
export function routeWatchesOf(rollout: Rollout): RouteWatch[] {
  try {
    return routersFor(rollout).flatMap((router) => router.watches());
  } catch {
    // a spec not yet validated can be any shape; its routers are read again once it is valid
    return [];
  }
}

/** The reference key of a routing object, or (`name` absent) of every object of a namespace. */
export function routeRefKey(resource: RouteResourceName, namespace: string, name?: string): string {
  return `${resource}:${namespace}/${name ?? '*'}`;
}

/** Referenced object key → the keys of the Rollouts referencing it. */
export class ReferenceIndex {
  private readonly referrers = new Map<string, Set<string>>();
  private readonly references = new Map<string, string[]>();

  /** Replaces what the Rollout `rolloutKey` references. */
  set(rolloutKey: string, refs: string[]): void {
    this.remove(rolloutKey);
    if (refs.length === 0) return;
    this.references.set(rolloutKey, refs);
    for (const ref of refs) {
      let set = this.referrers.get(ref);
      if (!set) {
        set = new Set();
        this.referrers.set(ref, set);
      }
      set.add(rolloutKey);
    }
  }

  remove(rolloutKey: string): void {
    for (const ref of this.references.get(rolloutKey) ?? []) {
      const set = this.referrers.get(ref);
      set?.delete(rolloutKey);
      if (set?.size === 0) this.referrers.delete(ref);
    }
    this.references.delete(rolloutKey);
  }

  /** The Rollouts referencing `refKey`. */
  referrersOf(refKey: string): string[] {
    return [...(this.referrers.get(refKey) ?? [])];
  }

  /** The Rollouts referencing any key `match` accepts. */
  referrersWhere(match: (refKey: string) => boolean): string[] {
    const out = new Set<string>();
    for (const [ref, keys] of this.referrers) if (match(ref)) for (const key of keys) out.add(key);
    return [...out];
  }

  get size(): number {
    return this.references.size;
  }
}
