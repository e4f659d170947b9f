// What a Rollout names outside itself: the Services its strategy points at and the analysis templates
// its steps and analyses use. The controller keeps reverse indexes of these to route changes of a
// Service or a template to the Rollouts that reference it.
import type { AnalysisTemplateRef, Rollout } from '@ramp/api';
import { objectKey } from '../model/kube-objects';

/** The names of the Services the Rollout's strategy names (canary, stable, active, preview, ping, pong). */
export function referencedServices(rollout: Rollout): string[] {
  const canary = rollout.spec.strategy?.canary;
  const blueGreen = rollout.spec.strategy?.blueGreen;
  const names = [
    canary?.canaryService,
    canary?.stableService,
    canary?.pingPong?.pingService,
    canary?.pingPong?.pongService,
    blueGreen?.activeService,
    blueGreen?.previewService,
  ];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))];
}

/** The analysis templates the Rollout uses (steps, background, pre- and post-promotion analyses). */
export function referencedTemplates(rollout: Rollout): AnalysisTemplateRef[] {
  const canary = rollout.spec.strategy?.canary;
  const blueGreen = rollout.spec.strategy?.blueGreen;
  const refs: AnalysisTemplateRef[] = [
    ...(canary?.analysis?.templates ?? []),
    ...(canary?.steps ?? []).flatMap((step) => step.analysis?.templates ?? []),
    ...(blueGreen?.prePromotionAnalysis?.templates ?? []),
    ...(blueGreen?.postPromotionAnalysis?.templates ?? []),
  ];
  return refs.filter((ref) => typeof ref.templateName === 'string' && ref.templateName !== '');
}

/** Cache keys of the referenced templates: `namespace/name`, or `name` for ClusterAnalysisTemplates. */
export function referencedTemplateKeys(rollout: Rollout): string[] {
  const ns = rollout.metadata.namespace;
  const keys = referencedTemplates(rollout).map((ref) =>
    objectKey(ref.clusterScope ? undefined : ns, ref.templateName),
  );
  return [...new Set(keys)];
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

  get size(): number {
    return this.references.size;
  }
}
