// The weights a routing object carries now, read from the object as the data plane reads it: a Gateway
// API route's backendRefs to the canary and stable Services (a ref without weight weighs 1), the canary
// Ingress' `canary-weight` out of `canary-weight-total` (default 100), a TrafficSplit's backends (v1alpha1
// writes quantities). Each split also as the canary's share out of maxTrafficWeight, to compare with
// status.canary.weights. Also why an object cannot carry the split, as the controller would refuse it.
import { parseQuantity } from '@ramp/api';
import type { RouteKind } from '../kube/route-kinds';
import type { RouteObj } from '../kube/route-reader';

export interface Split {
  canary: number;
  stable: number;
  /** The canary's share out of maxTrafficWeight. */
  share: number;
}

export interface CarriedWeights {
  /** One per rule that splits (a route), or the object's one split; distinct splits only. */
  splits: Split[];
  /** Why the object cannot carry the canary split. */
  problem?: string;
}

export interface RouteContext {
  services: { canary: string; stable: string };
  /** trafficRouting.maxTrafficWeight, or 100. */
  maxWeight: number;
  /** nginx's annotationPrefix, or nginx.ingress.kubernetes.io. */
  annotationPrefix: string;
  rollout: { name: string; uid?: string };
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const fieldList = (v: unknown): Fields[] => (Array.isArray(v) ? v.filter(isFields) : []);

const shareOf = (canary: number, stable: number, max: number) =>
  canary + stable <= 0 ? 0 : Math.round((canary * max) / (canary + stable));

function distinct(splits: Split[]): Split[] {
  return splits.filter(
    (s, i) => splits.findIndex((o) => o.canary === s.canary && o.stable === s.stable) === i,
  );
}

/** A backendRef to a Service: group "" (or "core", as Linkerd's examples write it) and kind Service. */
const isServiceRef = (ref: Fields) =>
  typeof ref.name === 'string' &&
  (ref.group === undefined || ref.group === '' || ref.group === 'core') &&
  (ref.kind === undefined || ref.kind === 'Service');

function gatewayWeights(route: RouteObj, ctx: RouteContext): CarriedWeights {
  const { canary, stable } = ctx.services;
  const rules = isFields(route.spec) ? fieldList(route.spec.rules) : [];
  const splits: Split[] = [];
  for (const rule of rules) {
    const refs = fieldList(rule.backendRefs).filter(isServiceRef);
    if (!refs.some((r) => r.name === canary) || !refs.some((r) => r.name === stable)) continue;
    const sum = (name: string) =>
      refs
        .filter((r) => r.name === name)
        .reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 1), 0);
    const c = sum(canary);
    const s = sum(stable);
    splits.push({ canary: c, stable: s, share: shareOf(c, s, ctx.maxWeight) });
  }
  if (splits.length > 0) return { splits: distinct(splits) };
  return { splits, problem: `no rule sends traffic to both ${canary} and ${stable}` };
}

/** The object is controlled by the Rollout (Ramp writes only the canary Ingresses and TrafficSplits it owns). */
function notOwned(object: RouteObj, ctx: RouteContext): string | undefined {
  const refs = object.metadata.ownerReferences ?? [];
  if (
    refs.some(
      (o) => o.controller && (ctx.rollout.uid ? o.uid === ctx.rollout.uid : o.name === ctx.rollout.name),
    )
  )
    return undefined;
  return `not controlled by rollout ${ctx.rollout.name}, so Ramp does not write it`;
}

function ingressWeights(ingress: RouteObj, ctx: RouteContext): CarriedWeights {
  const annotations = ingress.metadata.annotations ?? {};
  const number = (key: string, fallback: number) => {
    const value = annotations[`${ctx.annotationPrefix}/${key}`];
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
  };
  const total = number('canary-weight-total', 100);
  const weight = Math.min(number('canary-weight', 0), total);
  const splits = [
    { canary: weight, stable: total - weight, share: shareOf(weight, total - weight, ctx.maxWeight) },
  ];
  const marker = `${ctx.annotationPrefix}/canary`;
  const problem =
    notOwned(ingress, ctx) ??
    (annotations[marker] === 'true'
      ? undefined
      : `lacks the annotation ${marker}: "true", so ingress-nginx ignores its weight`);
  return problem ? { splits, problem } : { splits };
}

function trafficSplitWeights(split: RouteObj, ctx: RouteContext): CarriedWeights {
  const backends = isFields(split.spec) ? fieldList(split.spec.backends) : [];
  const weight = (service: string) => {
    const value = backends.find((b) => b.service === service)?.weight;
    return typeof value === 'number' || typeof value === 'string' ? parseQuantity(value) : undefined;
  };
  const { canary, stable } = ctx.services;
  const c = weight(canary);
  const s = weight(stable);
  const owner = notOwned(split, ctx);
  if (c === undefined || s === undefined) {
    const missing = c === undefined ? canary : stable;
    return { splits: [], problem: owner ?? `has no backend with a weight for ${missing}` };
  }
  const splits = [{ canary: c, stable: s, share: shareOf(c, s, ctx.maxWeight) }];
  return owner ? { splits, problem: owner } : { splits };
}

export function carriedWeights(kind: RouteKind, object: RouteObj, ctx: RouteContext): CarriedWeights {
  if (kind === 'Ingress') return ingressWeights(object, ctx);
  if (kind === 'TrafficSplit') return trafficSplitWeights(object, ctx);
  return gatewayWeights(object, ctx);
}
