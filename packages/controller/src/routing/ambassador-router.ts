// The Ambassador (Emissary-ingress) router (`trafficRouting.ambassador`), as Argo Rollouts has it:
// beside each Mapping named in `mappings` (the stable Mapping, only read), a canary Mapping
// `<mapping>-canary` with the stable Mapping's spec, its `service` pointed at the canary Service (the
// scheme, namespace and port around the name kept) and `weight` the canary's percentage, which
// Ambassador takes from the stable Mapping's traffic. It is created when the canary first gets weight;
// at weight 0 (the end of an update, an abort) it is set to 0 and then deleted, the delete once the
// cache shows it at 0 (Argo sleeps 5 seconds between the two). As Argo makes it, it carries no labels,
// annotations or owner: the name alone ties it to its stable Mapping, so a Mapping already named so is
// taken over. The stable Mapping must not set a weight.
import { jsonEqual } from '@ramp/api';
import { type Fields, isFields, kindOf } from './json-fields';
import {
  describeObject,
  type RouteIntent,
  type RouteObject,
  type RouteObjects,
  type RouterPlan,
  type RouterProblem,
  type RouterRead,
  type RouteWatch,
  type RouteWrite,
  type TrafficRouter,
  unreadable,
} from './router';

export interface AmbassadorConfig {
  mappings?: string[];
}

export interface AmbassadorSetup {
  /** The Rollout's namespace: the Mappings'. */
  namespace: string;
  config: AmbassadorConfig;
  services: { canary: string; stable: string };
  /** Where the config sits in the Rollout (`spec.strategy.canary.trafficRouting.ambassador`), for problems. */
  configPath: string;
  /** trafficRouting.maxTrafficWeight (default 100): Mapping weights are percentages of it. */
  maxWeight?: number;
}

const CANARY_SUFFIX = '-canary';
/** Argo cuts the stable Mapping's name to this many characters before the suffix. */
const MAX_BASE_NAME = 246;

/** Argo's buildCanaryMappingName: the stable Mapping's name cut to 246 characters, then `-canary`. */
export function canaryMappingName(mapping: string): string {
  return `${mapping.slice(0, MAX_BASE_NAME)}${CANARY_SUFFIX}`;
}

/**
 * A Mapping's `service` with its Service name replaced: `[scheme://]name[.namespace…][:port]`. Argo
 * replaces the first occurrence of the stable Service's name anywhere in the string; Ramp only the
 * name part, and only when it is the stable Service (undefined otherwise).
 */
export function canaryServiceOf(service: string, stable: string, canary: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^.:/]*)(.*)$/.exec(service);
  if (!m || m[2] !== stable) return undefined;
  return `${m[1] ?? ''}${canary}${m[3]}`;
}

/** A Mapping weight: a percentage, a non-negative integer (anything else cannot be read). */
function weightOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** One stable Mapping named in the config. */
interface Entry {
  name: string;
  /** Where the config names it. */
  field: string;
}

export class AmbassadorRouter implements TrafficRouter {
  readonly type = 'Ambassador';

  constructor(private readonly setup: AmbassadorSetup) {}

  private entries(): Entry[] {
    const { config, configPath } = this.setup;
    const names = Array.isArray(config.mappings) ? config.mappings : [];
    return names.map((name, i) => ({ name: String(name), field: `${configPath}.mappings[${i}]` }));
  }

  watches(): RouteWatch[] {
    const { namespace } = this.setup;
    return this.entries().flatMap(({ name }) => [
      { resource: 'mappings' as const, namespace, name },
      { resource: 'mappings' as const, namespace, name: canaryMappingName(name) },
    ]);
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'mappings', 'Mapping');
    if (blocked) return blocked;
    const max = this.setup.maxWeight ?? 100;
    const weights: (number | undefined)[] = [];
    for (const entry of this.entries()) {
      const stable = this.stableMapping(objects, entry);
      if ('problem' in stable) return stable;
      const canary = objects.get('mappings', this.setup.namespace, canaryMappingName(entry.name));
      if (!canary) {
        weights.push(0);
        continue;
      }
      const percent = weightOf(isFields(canary.spec) ? canary.spec.weight : undefined);
      weights.push(percent === undefined ? undefined : Math.round((percent * max) / 100));
    }
    if (weights.length === 0) return { weight: undefined };
    return { weight: weights.every((w) => w === weights[0]) ? weights[0] : undefined };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const blocked = unreadable(objects, 'mappings', 'Mapping');
    if (blocked) return 'problem' in blocked ? blocked : { writes: [] };
    const { namespace } = this.setup;
    // Ambassador's weights are percentages: out of maxTrafficWeight, the canary's share of 100
    const percent = Math.round((intent.weight * 100) / intent.maxWeight);
    const writes: RouteWrite[] = [];
    for (const entry of this.entries()) {
      const stable = this.stableMapping(objects, entry);
      if ('problem' in stable) return stable;
      const name = canaryMappingName(entry.name);
      const desired = this.canaryMapping(stable.mapping, name, stable.service, percent);
      const current = objects.get('mappings', namespace, name);
      const describe = describeObject('Mapping', namespace, name);
      const message = `${describe}: canary weight ${percent}`;
      // Argo's event, once for the weight (on the first canary Mapping written)
      const event = writes.some((w) => w.event)
        ? undefined
        : { reason: 'CanaryMappingWeightUpdate', message: `Set canary mapping weight to ${percent}` };
      if (!current) {
        if (intent.weight === 0) continue;
        writes.push({
          action: 'create',
          resource: 'mappings',
          object: desired,
          message,
          ...(event ? { event } : {}),
        });
        continue;
      }
      // being deleted: created again once it is gone
      if (current.metadata.deletionTimestamp) continue;
      if (intent.weight === 0 && isFields(current.spec) && current.spec.weight === 0) {
        writes.push({
          action: 'delete',
          resource: 'mappings',
          current,
          message: `${describe}: the canary weight is 0`,
        });
        continue;
      }
      const updated = structuredClone(current);
      updated.spec = desired.spec;
      if (jsonEqual(updated, current)) continue;
      writes.push({
        action: 'update',
        resource: 'mappings',
        current,
        object: updated,
        message,
        ...(event ? { event } : {}),
      });
    }
    return { writes };
  }

  /**
   * The canary Mapping as Argo builds it from the stable one: the same apiVersion, kind and spec, the
   * canary Service and the weight; no other metadata than its name and namespace.
   */
  private canaryMapping(stable: RouteObject, name: string, service: string, percent: number): RouteObject {
    return {
      apiVersion: stable.apiVersion ?? 'getambassador.io/v2',
      kind: stable.kind ?? 'Mapping',
      metadata: { name, namespace: this.setup.namespace },
      spec: { ...structuredClone(stable.spec as Fields), service, weight: percent },
    };
  }

  /** The stable Mapping and the canary's `service`, or why the Mapping cannot be copied. */
  private stableMapping(
    objects: RouteObjects,
    entry: Entry,
  ): { mapping: RouteObject; service: string } | { problem: RouterProblem } {
    const { namespace, services } = this.setup;
    const object = describeObject('Mapping', namespace, entry.name);
    const problem = (field: string, message: string) => ({ problem: { object, field, message } });
    const mapping = entry.name ? objects.get('mappings', namespace, entry.name) : undefined;
    if (!mapping)
      return problem(entry.field, `does not exist; create it, or name an existing Mapping at ${entry.field}`);
    const spec = mapping.spec;
    if (!isFields(spec))
      return problem('spec', `is ${kindOf(spec)}; give the Mapping its prefix and service`);
    if (typeof spec.service !== 'string')
      return problem(
        'spec.service',
        `is ${kindOf(spec.service)}; name the stable Service "${services.stable}" (e.g. "${services.stable}:80")`,
      );
    const service = canaryServiceOf(spec.service, services.stable, services.canary);
    if (service === undefined)
      return problem(
        'spec.service',
        `is "${spec.service}", which is not the stable Service "${services.stable}"; point the Mapping at it (e.g. "${services.stable}:80"), or set stableService to the Service the Mapping names`,
      );
    if (spec.weight !== undefined && spec.weight !== null && spec.weight !== 0)
      return problem(
        'spec.weight',
        `is ${JSON.stringify(spec.weight)}; the stable Mapping cannot set a weight (Ramp, as Argo, gives the canary Mapping its weight and the stable Mapping takes the rest): remove it`,
      );
    return { mapping, service };
  }
}
