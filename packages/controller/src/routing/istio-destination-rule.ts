// The DestinationRule of a subset-level Istio split (`trafficRouting.istio.destinationRule`), as Argo's
// UpdateHash changes it: the canary subset selects the canary's pods by their pod-template hash label,
// the stable subset the stable's (the label removed when there is no such hash), and the annotation
// names the Rollout that manages it. Every other subset and field stays as written. Pure functions.
import type { TrafficRouting } from '@ramp/api';
import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../model/names';
import { Flaw, isJson, type Json } from './istio-routes';
import type { RouteObject } from './router';

export type DestinationRuleConfig = NonNullable<NonNullable<TrafficRouting['istio']>['destinationRule']>;

export interface SubsetHashes {
  canaryHash?: string;
  stableHash?: string;
}

/** The subsets of a DestinationRule, or what is wrong with their shape. */
function subsetsOf(rule: RouteObject): Json[] | Flaw {
  if (!isJson(rule.spec))
    return new Flaw('spec', 'is not a map; give the DestinationRule a host and subsets');
  const subsets = rule.spec.subsets ?? [];
  if (!Array.isArray(subsets) || subsets.some((s) => !isJson(s)))
    return new Flaw(
      'spec.subsets',
      'is not a list of subsets; write each subset as a map with a name and labels',
    );
  return subsets as Json[];
}

/**
 * Why the DestinationRule cannot carry the split: malformed, or without the canary or the stable
 * subset the config names (or one whose labels are not a map of strings).
 */
export function ruleFlaw(
  rule: RouteObject,
  config: DestinationRuleConfig,
  configPath: string,
): Flaw | undefined {
  const subsets = subsetsOf(rule);
  if (subsets instanceof Flaw) return subsets;
  const named = [
    [config.canarySubsetName, 'canarySubsetName'],
    [config.stableSubsetName, 'stableSubsetName'],
  ] as const;
  for (const [name, field] of named) {
    const index = subsets.findIndex((s) => s.name === name);
    if (index < 0) {
      return new Flaw(
        'spec.subsets',
        `has no subset named "${name}" (${configPath}.destinationRule.${field}); add the subset (its labels may be empty: Ramp adds the pod-template hash), or fix the name in the Rollout`,
      );
    }
    const labels = subsets[index]!.labels;
    if (labels !== undefined && labels !== null && !isJson(labels))
      return new Flaw(`spec.subsets[${index}].labels`, 'is not a map of labels; write it as a map');
  }
  return undefined;
}

/** The host the DestinationRule is for (managed routes send the canary's requests there). */
export const ruleHost = (rule: RouteObject): string =>
  isJson(rule.spec) && typeof rule.spec.host === 'string' ? rule.spec.host : '';

/** The subset's labels with the pod-template hash set to `hash`, or removed without one. */
function relabel(subset: Json, hash: string | undefined): Json {
  const current = isJson(subset.labels) ? subset.labels : {};
  if (current[POD_TEMPLATE_HASH_LABEL] === hash) return subset;
  const labels: Json = { ...current };
  if (hash) labels[POD_TEMPLATE_HASH_LABEL] = hash;
  else delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...subset, labels };
}

/** The DestinationRule as the split wants it (check ruleFlaw first). */
export function relabelledRule(
  rule: RouteObject,
  config: DestinationRuleConfig,
  rolloutName: string,
  hashes: SubsetHashes,
): RouteObject {
  const copy = structuredClone(rule);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [MANAGED_BY_ANNOTATION]: rolloutName };
  const spec = copy.spec as Json;
  const subsets = (spec.subsets ?? []) as Json[];
  spec.subsets = subsets.map((subset) => {
    if (subset.name === config.canarySubsetName) return relabel(subset, hashes.canaryHash);
    if (subset.name === config.stableSubsetName) return relabel(subset, hashes.stableHash);
    return subset;
  });
  return copy;
}

/** The hash label a subset selects now, if it has one. */
export function subsetHash(rule: RouteObject, subsetName: string): string | undefined {
  const subsets = subsetsOf(rule);
  if (subsets instanceof Flaw) return undefined;
  const labels = subsets.find((s) => s.name === subsetName)?.labels;
  const hash = isJson(labels) ? labels[POD_TEMPLATE_HASH_LABEL] : undefined;
  return typeof hash === 'string' ? hash : undefined;
}
