// The SMI router (`trafficRouting.smi`), as Argo Rollouts has it: one TrafficSplit owned by the
// Rollout (`trafficSplitName`, default the Rollout's name) for the `rootService` (default the
// stableService), created when absent, whose two backends are the canary and stable Services with
// the canary's weight and the rest. The API version is the controller's --traffic-split-api-version
// (Argo's flag, default v1alpha1), or the one the cluster serves (route-resources.ts).
import { jsonEqual, parseQuantity } from '@ramp/api';
import { isFields } from './json-fields';
import { controlledBy, notControlled, type RolloutRef, rolloutOwnerReference } from './rollout-owner';
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

export interface SmiConfig {
  rootService?: string;
  trafficSplitName?: string;
}

export interface SmiSetup {
  rollout: RolloutRef;
  config: SmiConfig;
  services: { canary: string; stable: string };
  /** trafficRouting.maxTrafficWeight (default 100): the two backends' weights add up to it. */
  maxWeight?: number;
}

/** A backend's weight as a number: v1alpha1 writes a quantity ("500m", "20"), later versions numbers. */
function weightOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseQuantity(value) : undefined;
}

export class SmiRouter implements TrafficRouter {
  readonly type = 'SMI';
  private readonly name: string;

  constructor(private readonly setup: SmiSetup) {
    this.name = setup.config.trafficSplitName || setup.rollout.name;
  }

  watches(): RouteWatch[] {
    return [{ resource: 'trafficsplits', namespace: this.setup.rollout.namespace, name: this.name }];
  }

  private describe(): string {
    return describeObject('TrafficSplit', this.setup.rollout.namespace, this.name);
  }

  private current(objects: RouteObjects): RouteObject | undefined {
    return objects.get('trafficsplits', this.setup.rollout.namespace, this.name);
  }

  private notOwned(split: RouteObject): RouterProblem | undefined {
    if (controlledBy(split, this.setup.rollout)) return undefined;
    return notControlled('TrafficSplit', split, this.setup.rollout, 'set trafficSplitName to another name');
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'trafficsplits', 'TrafficSplit');
    if (blocked) return blocked;
    const split = this.current(objects);
    if (!split) return { weight: 0 };
    const problem = this.notOwned(split);
    if (problem) return { problem };
    const backends =
      isFields(split.spec) && Array.isArray(split.spec.backends) ? split.spec.backends.filter(isFields) : [];
    const weight = (service: string) => weightOf(backends.find((b) => b.service === service)?.weight);
    const canary = weight(this.setup.services.canary);
    const stable = weight(this.setup.services.stable);
    if (canary === undefined || stable === undefined) return { weight: undefined };
    const max = this.setup.maxWeight ?? 100;
    return { weight: canary + stable === 0 ? 0 : Math.round((canary * max) / (canary + stable)) };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const state = objects.state('trafficsplits');
    if (!state.listed) return { writes: [] };
    const desired = this.desired(state.apiVersion, intent.weight, intent.maxWeight);
    const message = `${this.describe()}: canary weight ${intent.weight}, stable ${intent.maxWeight - intent.weight}`;
    const current = this.current(objects);
    if (!current) {
      const event = { reason: 'TrafficSplitCreated', message: `TrafficSplit \`${this.name}\` created` };
      return { writes: [{ action: 'create', resource: 'trafficsplits', object: desired, message, event }] };
    }
    const problem = this.notOwned(current);
    if (problem) return { problem };
    const version = current.apiVersion ?? state.apiVersion;
    const updated = {
      ...structuredClone(current),
      spec: this.desired(version, intent.weight, intent.maxWeight).spec,
    };
    if (jsonEqual(updated, current)) return { writes: [] };
    return { writes: [{ action: 'update', resource: 'trafficsplits', current, object: updated, message }] };
  }

  /**
   * The TrafficSplit at `apiVersion` for `weight` out of `max` (v1alpha1 weights are quantities, as Argo
   * writes them). Argo writes the stable's as 100 − weight whatever maxTrafficWeight says.
   */
  private desired(apiVersion: string, weight: number, max: number): RouteObject {
    const { rollout, config, services } = this.setup;
    const asWeight = (w: number) => (apiVersion.endsWith('/v1alpha1') ? String(w) : w);
    return {
      apiVersion,
      kind: 'TrafficSplit',
      metadata: {
        name: this.name,
        namespace: rollout.namespace,
        ownerReferences: [rolloutOwnerReference(rollout)],
      },
      spec: {
        service: config.rootService || services.stable,
        backends: [
          { service: services.canary, weight: asWeight(weight) },
          { service: services.stable, weight: asWeight(max - weight) },
        ],
      },
    };
  }
}
