// The Istio router (`trafficRouting.istio`), as Argo Rollouts has it. Host-level split: in each
// VirtualService (`virtualService`, or `virtualServices`; a name may carry its namespace as
// `name.namespace`), the HTTP routes named in `routes` (or the only one), the TLS routes matched by
// port and SNI hosts, and the TCP routes matched by port send the canary Service the canary's weight
// and the stable Service the rest (istio-routes.ts). Subset-level split (`destinationRule`): the
// routes' destinations are the DestinationRule's canary and stable subsets, and the DestinationRule
// labels each with the pod-template hash of the pods it selects (istio-destination-rule.ts). Header
// and mirror routes go on top of the HTTP routes (istio-managed-routes.ts). Nothing is created: the
// VirtualServices and the DestinationRule are the user's, and only the fields above are changed.
//
// The order of the writes (they are applied in order, and stop at the first that fails): no request
// may reach a subset whose label selects no ready pod, and the decision sends the canary traffic
// (a weight above 0, or a header or mirror route) only while the canary has available pods. So the
// DestinationRule is written first (Argo's order: the subsets select the pods the new split expects
// before it applies), except when its canary subset is relabelled while the intent sends the canary
// nothing (a new revision whose pods are not up yet, an abort): then the VirtualServices first take
// the traffic off the canary subset, and the DestinationRule follows. Raising the weight always
// relabels first; lowering it to 0 with a new canary label always moves the traffic first.
import { jsonEqual, type TrafficRouting } from '@ramp/api';
import {
  type DestinationRuleConfig,
  relabelledRule,
  ruleFlaw,
  ruleHost,
  subsetHash,
} from './istio-destination-rule';
import type { CanaryDestination } from './istio-managed-routes';
import {
  canaryShare,
  type EntryPath,
  Flaw,
  isJson,
  routeField,
  type SplitRoute,
  type SplitTargets,
  splitRoutes,
} from './istio-routes';
import { type DesiredService, desiredVirtualService, virtualServiceEvent } from './istio-virtual-service';
import type { RolloutRef } from './rollout-owner';
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

export type IstioConfig = NonNullable<TrafficRouting['istio']>;

export interface IstioSetup {
  rollout: RolloutRef;
  config: IstioConfig;
  /** The canary and stable Services (ping-pong aware); '' when the spec names none. */
  services: { canary: string; stable: string };
  /** trafficRouting.maxTrafficWeight (default 100). */
  maxWeight: number;
  /** Where the config sits in the Rollout, for problems. */
  configPath: string;
  /** trafficRouting.managedRoutes' names: HTTP routes of these names are Ramp's, not the user's. */
  managedNames?: readonly string[];
}

/** One VirtualService, with the config entries that name it. */
interface VirtualServiceRef {
  namespace: string;
  name: string;
  /** The config field naming it first, for problems. */
  field: string;
  entries: EntryPath[];
}

/** A VirtualService as the caches hold it, with the routes that carry the split. */
interface FoundService {
  ref: VirtualServiceRef;
  object: RouteObject;
  splits: SplitRoute[];
}

type Inspected = { services: FoundService[]; rule: RouteObject | undefined };

/**
 * Argo's GetVirtualServiceNamespaceName: `name.namespace` (the last dot-separated part is the
 * namespace, a `.cluster.local` suffix dropped first), or a bare name in the Rollout's namespace.
 */
export function virtualServiceKey(
  ref: string,
  rolloutNamespace: string,
): { namespace: string; name: string } {
  const trimmed = ref.endsWith('.cluster.local') ? ref.slice(0, -'.cluster.local'.length) : ref;
  const parts = trimmed.split('.');
  if (parts.length < 2) return { namespace: rolloutNamespace, name: trimmed };
  return { namespace: parts.at(-1) || rolloutNamespace, name: parts.slice(0, -1).join('.') };
}

export class IstioRouter implements TrafficRouter {
  readonly type = 'Istio';
  private readonly services: VirtualServiceRef[];
  private readonly targets: SplitTargets;
  private readonly rule: DestinationRuleConfig | undefined;

  constructor(private readonly setup: IstioSetup) {
    this.rule = setup.config.destinationRule;
    this.services = this.virtualServices();
    this.targets = {
      ...setup.services,
      ...(this.rule
        ? {
            subsets: {
              canary: this.rule.canarySubsetName,
              stable: this.rule.stableSubsetName,
              additional: this.rule.additionalSubsetNames ?? [],
            },
          }
        : {}),
    };
  }

  watches(): RouteWatch[] {
    const out: RouteWatch[] = this.services.map(({ namespace, name }) => ({
      resource: 'virtualservices',
      namespace,
      name,
    }));
    if (this.rule)
      out.push({
        resource: 'destinationrules',
        namespace: this.setup.rollout.namespace,
        name: this.rule.name,
      });
    return out;
  }

  read(objects: RouteObjects): RouterRead {
    const found = this.inspect(objects, new Set(this.setup.managedNames ?? []));
    if (!('services' in found)) return found;
    const shares: number[] = [];
    for (const service of found.services) {
      for (const split of service.splits) {
        const field = routeField(split.kind, split.index);
        const share = canaryShare(split.destinations, field, this.targets, this.setup.maxWeight);
        if (share instanceof Flaw) return { problem: this.serviceProblem(service.ref, share) };
        shares.push(share);
      }
    }
    return { weight: shares.every((s) => s === shares[0]) ? shares[0] : undefined };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const managedNames = new Set([...(this.setup.managedNames ?? []), ...intent.managedNames]);
    const found = this.inspect(objects, managedNames);
    if (!('services' in found)) return 'problem' in found ? found : { writes: [] };
    const serviceWrites: RouteWrite[] = [];
    for (const service of found.services) {
      const desired = desiredVirtualService(service.object, service.splits, this.targets, intent, {
        managedNames,
        canary: () => this.canaryDestination(found.rule),
      });
      if (desired instanceof Flaw) return { problem: this.serviceProblem(service.ref, desired) };
      if (jsonEqual(desired.object, service.object)) continue;
      serviceWrites.push(this.serviceWrite(service, desired, intent, managedNames));
    }
    const ruleWrite = found.rule ? this.ruleWrite(found.rule, intent) : undefined;
    if (!ruleWrite || !found.rule) return { writes: serviceWrites };
    const servicesFirst =
      subsetHash(found.rule, this.rule!.canarySubsetName) !== intent.canaryHash &&
      intent.weight === 0 &&
      intent.managedRoutes.length === 0;
    return { writes: servicesFirst ? [...serviceWrites, ruleWrite] : [ruleWrite, ...serviceWrites] };
  }

  /** The VirtualServices the config names (`virtualServices` wins when set, as Argo's), by key. */
  private virtualServices(): VirtualServiceRef[] {
    const { config, configPath, rollout } = this.setup;
    const entries = config.virtualServices
      ? config.virtualServices.map((c, i) => ({ config: c, path: `${configPath}.virtualServices[${i}]` }))
      : config.virtualService
        ? [{ config: config.virtualService, path: `${configPath}.virtualService` }]
        : [];
    const out: VirtualServiceRef[] = [];
    for (const entry of entries) {
      const key = virtualServiceKey(entry.config.name ?? '', rollout.namespace);
      const same = out.find((s) => s.namespace === key.namespace && s.name === key.name);
      if (same) same.entries.push(entry);
      else out.push({ ...key, field: `${entry.path}.name`, entries: [entry] });
    }
    return out;
  }

  /** The objects and their split routes, or the first reason they cannot carry the split. */
  private inspect(
    objects: RouteObjects,
    managedNames: ReadonlySet<string>,
  ): Inspected | { problem: RouterProblem } | { waiting: string } {
    const blocked =
      unreadable(objects, 'virtualservices', 'VirtualService') ??
      (this.rule ? unreadable(objects, 'destinationrules', 'DestinationRule') : undefined);
    if (blocked) return blocked;
    if (this.services.length === 0) {
      return {
        problem: {
          object: `the Rollout's ${this.setup.configPath}`,
          message: 'names no VirtualService; set virtualService.name (or list virtualServices)',
        },
      };
    }
    const rule = this.rule ? this.destinationRule(objects) : { rule: undefined };
    if ('problem' in rule) return rule;
    const services: FoundService[] = [];
    for (const ref of this.services) {
      const found = this.foundService(objects, ref, managedNames);
      if ('problem' in found) return found;
      services.push(found);
    }
    return { services, rule: rule.rule };
  }

  private foundService(
    objects: RouteObjects,
    ref: VirtualServiceRef,
    managedNames: ReadonlySet<string>,
  ): FoundService | { problem: RouterProblem } {
    const object = objects.get('virtualservices', ref.namespace, ref.name);
    const problem = (flaw: Flaw) => ({ problem: this.serviceProblem(ref, flaw) });
    if (!object)
      return problem(
        new Flaw(
          ref.field,
          `does not exist; create the VirtualService, or name an existing one at ${ref.field}`,
        ),
      );
    if (!isJson(object.spec))
      return problem(new Flaw('spec', 'is not a map; give the VirtualService its http, tls or tcp routes'));
    const splits: SplitRoute[] = [];
    for (const entry of ref.entries) {
      const chosen = splitRoutes(object.spec, entry, managedNames, this.targets);
      if (chosen instanceof Flaw) return problem(chosen);
      for (const split of chosen)
        if (!splits.some((s) => s.kind === split.kind && s.index === split.index)) splits.push(split);
    }
    if (splits.length === 0) {
      return problem(
        new Flaw(
          'spec',
          `has no HTTP, TLS or TCP route that sends traffic to the canary and the stable; add one, or name it in ${ref.entries[0]!.path}`,
        ),
      );
    }
    return { ref, object, splits };
  }

  /** The DestinationRule (in the Rollout's namespace, as Argo reads it), or why it cannot be used. */
  private destinationRule(objects: RouteObjects): { rule: RouteObject } | { problem: RouterProblem } {
    const { namespace } = this.setup.rollout;
    const config = this.rule!;
    const object = describeObject('DestinationRule', namespace, config.name);
    const rule = objects.get('destinationrules', namespace, config.name);
    const field = `${this.setup.configPath}.destinationRule.name`;
    if (!rule) {
      const message = `does not exist; create it with the subsets "${config.canarySubsetName}" and "${config.stableSubsetName}", or name an existing one at ${field}`;
      return { problem: { object, field, message } };
    }
    const flaw = ruleFlaw(rule, config, this.setup.configPath);
    return flaw ? { problem: { object, field: flaw.field, message: flaw.message } } : { rule };
  }

  /** Where header and mirror routes send the canary's requests (Argo: the DR's host and canary subset). */
  private canaryDestination(rule: RouteObject | undefined): CanaryDestination | Flaw {
    const host = (rule ? ruleHost(rule) : '') || this.setup.services.canary;
    if (!host)
      return new Flaw(
        'spec.http',
        "cannot hold a header or mirror route: the canary has no host (set canaryService, or the DestinationRule's spec.host)",
      );
    return this.rule ? { host, subset: this.rule.canarySubsetName } : { host };
  }

  private serviceWrite(
    service: FoundService,
    desired: DesiredService,
    intent: RouteIntent,
    managedNames: ReadonlySet<string>,
  ): RouteWrite {
    const { namespace, name } = service.ref;
    const managed = intent.managedRoutes.map((r) => r.name);
    return {
      action: 'update',
      resource: 'virtualservices',
      current: service.object,
      object: desired.object,
      message: `${describeObject('VirtualService', namespace, name)}: canary weight ${intent.weight}, stable ${intent.maxWeight - intent.weight}${managed.length ? `, managed routes ${managed.join(', ')}` : ''}`,
      event: virtualServiceEvent(name, service.object, desired, intent, managedNames),
    };
  }

  /** The DestinationRule's write, if its subsets do not select the intent's hashes yet. */
  private ruleWrite(rule: RouteObject, intent: RouteIntent): RouteWrite | undefined {
    const config = this.rule!;
    const { name, namespace } = this.setup.rollout;
    const desired = relabelledRule(rule, config, name, intent);
    if (jsonEqual(desired, rule)) return undefined;
    const canary = `${config.canarySubsetName}: ${intent.canaryHash ?? ''}`;
    const stable = `${config.stableSubsetName}: ${intent.stableHash ?? ''}`;
    return {
      action: 'update',
      resource: 'destinationrules',
      current: rule,
      object: desired,
      message: `${describeObject('DestinationRule', namespace, config.name)}: subsets select the pod-template hashes ${canary}, ${stable}`,
      event: {
        reason: 'UpdatedDestinationRule',
        message: `DestinationRule ${config.name} subset updated (${canary}, ${stable})`,
      },
    };
  }

  private serviceProblem(ref: VirtualServiceRef, flaw: Flaw): RouterProblem {
    return {
      object: describeObject('VirtualService', ref.namespace, ref.name),
      field: flaw.field,
      message: flaw.message,
    };
  }
}
