// The JSON an ALB Ingress carries in its annotations, as the AWS Load Balancer Controller reads it and
// Argo Rollouts writes it: the forward action (`<prefix>/actions.<name>`: target groups with weights,
// and stickiness), the header conditions (`<prefix>/conditions.<name>`), and the record of the
// annotations each Rollout manages (`rollouts.argoproj.io/managed-alb-annotations`). The text is byte
// for byte what Argo's Go encoder produces (its field order, no spaces, its escapes), so a tool that
// compares the Ingress with what Argo wrote (Argo CD) sees no change.

import { type Fields, isFields } from './json-fields';
import type { HeaderRoute } from './router';

export const DEFAULT_ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io';
/** Argo's ManagedAnnotations: Rollout name to the annotation keys it wrote (a JSON object). */
export const MANAGED_ALB_ANNOTATIONS = 'rollouts.argoproj.io/managed-alb-annotations';
/** The weight Argo gives the one target group of a header route's action. */
const HEADER_ROUTE_WEIGHT = 100;

export const actionKey = (prefix: string, name: string): string => `${prefix}/actions.${name}`;
export const conditionKey = (prefix: string, name: string): string => `${prefix}/conditions.${name}`;

/** JSON text as Go's json.Marshal writes it: JSON.stringify's, but <, >, & and U+2028/9 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface Stickiness {
  enabled: boolean;
  durationSeconds: number;
}

export interface TargetGroup {
  service: string;
  port: string;
  weight: number;
}

/**
 * A forward action to `groups`, in Argo's ALBAction field order; an empty Service name or port is left
 * out (Go's omitempty), stickiness only when enabled.
 */
export function forwardAction(groups: readonly TargetGroup[], stickiness?: Stickiness): string {
  const TargetGroups = groups.map((g) => ({
    ...(g.service ? { ServiceName: g.service } : {}),
    ...(g.port ? { ServicePort: g.port } : {}),
    Weight: g.weight,
  }));
  const sticky = stickiness?.enabled
    ? { TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: stickiness.durationSeconds } }
    : {};
  return goJson({ Type: 'forward', ForwardConfig: { TargetGroups, ...sticky } });
}

/** A header route's action: everything to the canary Service. */
export function headerRouteAction(canary: string, port: string, stickiness?: Stickiness): string {
  return forwardAction([{ service: canary, port, weight: HEADER_ROUTE_WEIGHT }], stickiness);
}

/**
 * A header route's conditions: one http-header condition per header name, its exact values in match
 * order (ALB matches header values exactly; validation refuses prefix and regex).
 */
export function headerConditions(route: HeaderRoute): string {
  const conditions: { field: string; httpHeaderConfig: { httpHeaderName: string; values: string[] } }[] = [];
  for (const m of route.match) {
    const value = m.headerValue.exact ?? '';
    const same = conditions.find((c) => c.httpHeaderConfig.httpHeaderName === m.headerName);
    if (same) same.httpHeaderConfig.values.push(value);
    else
      conditions.push({
        field: 'http-header',
        httpHeaderConfig: { httpHeaderName: m.headerName, values: [value] },
      });
  }
  // Go writes a nil list as null
  return conditions.length > 0 ? goJson(conditions) : 'null';
}

/** A field as Go's decoder finds it: the exact key, else one equal but for case. */
function field(object: Fields, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

const absent = (v: unknown) => v === undefined || v === null;
const isWeight = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The target groups of a forward action's text, or what is wrong with it. */
function targetGroupsOf(text: string): { groups: Fields[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `is not JSON (${(err as Error).message})` };
  }
  if (!isFields(parsed)) return { error: 'is not a JSON object' };
  const forward = field(parsed, 'ForwardConfig');
  if (absent(forward)) return { groups: [] };
  if (!isFields(forward)) return { error: 'has a ForwardConfig that is not an object' };
  const groups = field(forward, 'TargetGroups');
  if (absent(groups)) return { groups: [] };
  if (!Array.isArray(groups)) return { error: 'has ForwardConfig.TargetGroups that is not a list' };
  for (const [i, g] of groups.entries()) {
    const at = `ForwardConfig.TargetGroups[${i}]`;
    if (!isFields(g)) return { error: `has ${at} that is not an object` };
    const name = field(g, 'ServiceName');
    if (!absent(name) && typeof name !== 'string')
      return { error: `has ${at}.ServiceName ${JSON.stringify(name)}, not a string` };
    const weight = field(g, 'Weight');
    if (!absent(weight) && !isWeight(weight))
      return { error: `has ${at}.Weight ${JSON.stringify(weight)}, not a whole number` };
  }
  return { groups: groups as Fields[] };
}

/**
 * The weight a forward action gives the `canary` Service: 0 when no target group names it (its traffic
 * goes elsewhere), undefined when its group has no weight; or what is wrong with the text.
 */
export function canaryWeightOf(
  text: string,
  canary: string,
): { weight: number | undefined } | { error: string } {
  const read = targetGroupsOf(text);
  if ('error' in read) return read;
  const group = read.groups.find((g) => field(g, 'ServiceName') === canary);
  if (!group) return { weight: 0 };
  const weight = field(group, 'Weight');
  return { weight: isWeight(weight) ? weight : undefined };
}

/** The managed annotations: Rollout name to its keys (null as Go writes an absent list). */
export type ManagedAnnotations = Record<string, string[] | null>;

/** The managed-annotations record (empty when the annotation is absent or empty), or what is wrong with it. */
export function parseManaged(text: string | undefined): { managed: ManagedAnnotations } | { error: string } {
  if (!text) return { managed: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `is not JSON (${(err as Error).message})` };
  }
  if (!isFields(parsed)) return { error: 'is not a JSON object' };
  for (const [rollout, keys] of Object.entries(parsed)) {
    if (keys === null) continue;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string'))
      return {
        error: `has ${JSON.stringify(rollout)} mapped to ${JSON.stringify(keys)}, not a list of annotation keys`,
      };
  }
  return { managed: parsed as ManagedAnnotations };
}

/**
 * The managed-annotations text once `rollout`'s list has the keys of `add` (appended, in order, when
 * missing) and not those of `remove`; the other Rollouts' lists are kept. Go writes a map's keys sorted.
 */
export function managedText(
  managed: ManagedAnnotations,
  rollout: string,
  add: readonly string[],
  remove: readonly string[],
): string {
  const keys = [...(managed[rollout] ?? [])];
  for (const key of add) if (!keys.includes(key)) keys.push(key);
  const next: ManagedAnnotations = { ...managed, [rollout]: keys.filter((k) => !remove.includes(k)) };
  const names = Object.keys(next).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${names.map((name) => `${goJson(name)}:${goJson(next[name])}`).join(',')}}`;
}
