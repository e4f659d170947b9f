// The Traefik router (`trafficRouting.traefik`), as Argo Rollouts has it: the TraefikService named by
// `weightedTraefikServiceName` balances between weighted services; the entries of
// `spec.weighted.services` named after the canary and stable Services get the canary's weight and the
// rest. Every other entry, and everything else in the object, stays as its owner wrote it. Ramp never
// creates or deletes a TraefikService.
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
  type TrafficRouter,
  unreadable,
} from './router';

export interface TraefikConfig {
  weightedTraefikServiceName?: string;
}

export interface TraefikSetup {
  /** The Rollout's namespace: the TraefikService's. */
  namespace: string;
  config: TraefikConfig;
  services: { canary: string; stable: string };
  /** Where the config sits in the Rollout (`spec.strategy.canary.trafficRouting.traefik`), for problems. */
  configPath: string;
  /** trafficRouting.maxTrafficWeight (default 100): the two entries' weights add up to it. */
  maxWeight?: number;
}

/** The weight Traefik gives a weighted service that sets none (Argo's docs leave it out, for Argo CD). */
const DEFAULT_WEIGHT = 1;

/** A weight as Traefik takes it: a non-negative integer, or its default (anything else cannot be read). */
function weightOf(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_WEIGHT;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The TraefikService with the positions of the canary's and the stable's entries. */
interface Located {
  object: RouteObject;
  canary: number;
  stable: number;
}

export class TraefikRouter implements TrafficRouter {
  readonly type = 'Traefik';
  private readonly name: string;

  constructor(private readonly setup: TraefikSetup) {
    const name = setup.config.weightedTraefikServiceName;
    this.name = typeof name === 'string' ? name : '';
  }

  watches(): RouteWatch[] {
    return [{ resource: 'traefikservices', namespace: this.setup.namespace, name: this.name }];
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'traefikservices', 'TraefikService');
    if (blocked) return blocked;
    const found = this.locate(objects);
    if ('problem' in found) return found;
    const entries = this.entries(found.object);
    const canary = weightOf(entries[found.canary]?.weight);
    const stable = weightOf(entries[found.stable]?.weight);
    if (canary === undefined || stable === undefined || canary + stable === 0) return { weight: undefined };
    const max = this.setup.maxWeight ?? 100;
    return { weight: Math.round((canary * max) / (canary + stable)) };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const blocked = unreadable(objects, 'traefikservices', 'TraefikService');
    if (blocked) return 'problem' in blocked ? blocked : { writes: [] };
    const found = this.locate(objects);
    if ('problem' in found) return found;
    const current = found.object;
    const updated = structuredClone(current);
    const entries = this.entries(updated);
    // Argo writes the stable's as 100 − weight; out of maxTrafficWeight the two add up to it
    entries[found.canary]!.weight = intent.weight;
    entries[found.stable]!.weight = intent.maxWeight - intent.weight;
    if (jsonEqual(updated, current)) return { writes: [] };
    return {
      writes: [
        {
          action: 'update',
          resource: 'traefikservices',
          current,
          object: updated,
          message: `${this.describe()}: canary weight ${intent.weight}, stable ${intent.maxWeight - intent.weight}`,
        },
      ],
    };
  }

  private describe(): string {
    return describeObject('TraefikService', this.setup.namespace, this.name);
  }

  /** The weighted services of a TraefikService `locate` accepted. */
  private entries(object: RouteObject): Fields[] {
    return ((object.spec as Fields).weighted as Fields).services as Fields[];
  }

  /** The TraefikService and its canary and stable entries, or why they cannot be used. */
  private locate(objects: RouteObjects): Located | { problem: RouterProblem } {
    const { namespace, services, configPath } = this.setup;
    const field = `${configPath}.weightedTraefikServiceName`;
    const object = this.describe();
    const problem = (f: string | undefined, message: string) => ({
      problem: { object, ...(f ? { field: f } : {}), message },
    });
    if (!this.name)
      return problem(field, 'is empty; name the TraefikService whose weighted services split the traffic');
    const traefikService = objects.get('traefikservices', namespace, this.name);
    if (!traefikService)
      return problem(field, `does not exist; create it, or name an existing TraefikService at ${field}`);
    const example = `{name: ${services.canary}, port: <port>, weight: 0} and {name: ${services.stable}, port: <port>, weight: 100}`;
    const spec = traefikService.spec;
    if (!isFields(spec))
      return problem('spec', `is ${kindOf(spec)}; give it weighted.services with ${example}`);
    if (!isFields(spec.weighted))
      return problem(
        'spec.weighted',
        `is ${kindOf(spec.weighted)}; Ramp splits the traffic of a weighted TraefikService: give it weighted.services with ${example}`,
      );
    const entries = spec.weighted.services;
    if (!Array.isArray(entries))
      return problem('spec.weighted.services', `is ${kindOf(entries)}, not a list; list ${example}`);
    let canary = -1;
    let stable = -1;
    for (const [i, entry] of entries.entries()) {
      if (!isFields(entry))
        return problem(
          `spec.weighted.services[${i}]`,
          `is ${kindOf(entry)}, not a service; remove it or fix it`,
        );
      if (typeof entry.name !== 'string')
        return problem(
          `spec.weighted.services[${i}].name`,
          `is ${kindOf(entry.name)}; each weighted service names a Service (or TraefikService)`,
        );
      // the first entry of a name is the one set, as Argo's
      if (entry.name === services.canary && canary < 0) canary = i;
      if (entry.name === services.stable && stable < 0) stable = i;
    }
    const missing = (role: string, name: string, weight: number) =>
      problem(
        'spec.weighted.services',
        `has no entry named "${name}" (the ${role}); add {name: ${name}, port: <port>, weight: ${weight}}, or set ${role} to the Service an entry names`,
      );
    if (canary < 0) return missing('canaryService', services.canary, 0);
    if (stable < 0) return missing('stableService', services.stable, 100);
    return { object: traefikService, canary, stable };
  }
}
