// The NGINX Ingress router (`trafficRouting.nginx`), as Argo Rollouts has it: beside each stable
// Ingress, a canary Ingress owned by the Rollout, named `<rollout>-<stable ingress>-canary`, holding
// the stable Ingress' rules that reach the stableService, pointed at the canaryService, with the
// `canary` and `canary-weight` annotations (under annotationPrefix) that ingress-nginx reads. The
// stable Ingress is never written. A canary Ingress whose stable Ingress is no longer listed is deleted.
import { jsonEqual } from '@ramp/api';
import { type Fields, isFields } from './json-fields';
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
  type RouteWrite,
  type TrafficRouter,
  unreadable,
} from './router';

export const DEFAULT_NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';
const CANARY_SUFFIX = '-canary';
/** The most characters an object name may have. */
const MAX_NAME = 253;

export interface NginxConfig {
  stableIngress?: string;
  stableIngresses?: string[];
  annotationPrefix?: string;
  additionalIngressAnnotations?: Record<string, string>;
  canaryIngressAnnotations?: Record<string, string>;
}

export interface NginxSetup {
  rollout: RolloutRef;
  config: NginxConfig;
  services: { canary: string; stable: string };
  /** trafficRouting.maxTrafficWeight when set (written as canary-weight-total). */
  maxTrafficWeight?: number;
  configPath: string;
}

/** Argo's GetCanaryIngressName: `<rollout>-<stable ingress>` cut to fit, then `-canary`. */
export function canaryIngressName(rollout: string, stableIngress: string): string {
  const prefix = `${rollout}-${stableIngress}`.slice(0, MAX_NAME - CANARY_SUFFIX.length);
  return `${prefix}${CANARY_SUFFIX}`;
}

export class NginxRouter implements TrafficRouter {
  readonly type = 'Nginx';
  private readonly prefix: string;

  constructor(private readonly setup: NginxSetup) {
    this.prefix = setup.config.annotationPrefix || DEFAULT_NGINX_ANNOTATION_PREFIX;
  }

  /** The stable Ingresses named, each with the config field naming it. */
  private stables(): { name: string; field: string }[] {
    const { config, configPath } = this.setup;
    if (config.stableIngresses?.length)
      return config.stableIngresses.map((name, i) => ({
        name,
        field: `${configPath}.stableIngresses[${i}]`,
      }));
    return config.stableIngress ? [{ name: config.stableIngress, field: `${configPath}.stableIngress` }] : [];
  }

  watches(): RouteWatch[] {
    // the whole namespace: the stable Ingresses, and the canary Ingresses this Rollout owns
    return [{ resource: 'ingresses', namespace: this.setup.rollout.namespace }];
  }

  read(objects: RouteObjects): RouterRead {
    const blocked = unreadable(objects, 'ingresses', 'Ingress');
    if (blocked) return blocked;
    const weights: number[] = [];
    for (const stable of this.stables()) {
      const problem = this.stableProblem(objects, stable);
      if (problem) return { problem };
      const canary = objects.get('ingresses', this.setup.rollout.namespace, this.canaryName(stable.name));
      if (canary && !this.owns(canary)) return { problem: this.notOwned(canary) };
      const weight = canary?.metadata.annotations?.[`${this.prefix}/canary-weight`];
      weights.push(weight !== undefined && /^\d+$/.test(weight) ? Number(weight) : 0);
    }
    return { weight: weights.length > 0 && weights.every((w) => w === weights[0]) ? weights[0] : undefined };
  }

  plan(objects: RouteObjects, intent: RouteIntent): RouterPlan {
    const { namespace } = this.setup.rollout;
    const writes: RouteWrite[] = [];
    const wanted = new Set<string>();
    for (const stable of this.stables()) {
      const problem = this.stableProblem(objects, stable);
      if (problem) return { problem };
      const stableIngress = objects.get('ingresses', namespace, stable.name)!;
      const name = this.canaryName(stable.name);
      wanted.add(name);
      const desired = this.canaryIngress(stableIngress, name, intent.weight);
      const current = objects.get('ingresses', namespace, name);
      const message = `${describeObject('Ingress', namespace, name)}: canary weight ${intent.weight}`;
      if (!current) {
        const event = {
          reason: 'CreatingCanaryIngress',
          message: `Creating canary ingress \`${name}\` with weight \`${intent.weight}\``,
        };
        writes.push({ action: 'create', resource: 'ingresses', object: desired, message, event });
        continue;
      }
      if (!this.owns(current)) return { problem: this.notOwned(current) };
      const updated = structuredClone(current);
      // annotations other controllers added stay; ours win (Argo's getDesiredAnnotations)
      updated.metadata.annotations = {
        ...(current.metadata.annotations ?? {}),
        ...desired.metadata.annotations,
      };
      updated.spec = desired.spec;
      if (!jsonEqual(updated, current)) {
        const event = {
          reason: 'PatchingCanaryIngress',
          message: `Updating Ingress \`${name}\` to desiredWeight '${intent.weight}'`,
        };
        writes.push({ action: 'update', resource: 'ingresses', current, object: updated, message, event });
      }
    }
    for (const owned of objects.list('ingresses', namespace)) {
      const name = owned.metadata.name ?? '';
      if (!this.owns(owned) || wanted.has(name) || owned.metadata.deletionTimestamp) continue;
      if (owned.metadata.annotations?.[`${this.prefix}/canary`] !== 'true') continue;
      writes.push({
        action: 'delete',
        resource: 'ingresses',
        current: owned,
        message: `${describeObject('Ingress', namespace, name)}: its stable Ingress is no longer in ${this.setup.configPath}`,
      });
    }
    return { writes };
  }

  private canaryName(stableIngress: string): string {
    return canaryIngressName(this.setup.rollout.name, stableIngress);
  }

  private owns(ingress: RouteObject): boolean {
    return controlledBy(ingress, this.setup.rollout);
  }

  private notOwned(ingress: RouteObject): RouterProblem {
    return notControlled('Ingress', ingress, this.setup.rollout, 'rename the stable Ingress');
  }

  /** Why a stable Ingress cannot be copied: missing, or no path reaching the stable Service. */
  private stableProblem(
    objects: RouteObjects,
    stable: { name: string; field: string },
  ): RouterProblem | undefined {
    const { namespace } = this.setup.rollout;
    const ingress = objects.get('ingresses', namespace, stable.name);
    const object = describeObject('Ingress', namespace, stable.name);
    if (!ingress)
      return {
        object,
        field: stable.field,
        message: `does not exist; create it, or name an existing Ingress at ${stable.field}`,
      };
    if (this.canaryRules(ingress).length === 0)
      return {
        object,
        field: 'spec.rules[].http.paths[].backend.service.name',
        message: `has no path whose backend is the stable Service "${this.setup.services.stable}"; route a path to it, or set stableService to the Service the Ingress uses`,
      };
    return undefined;
  }

  /** The stable Ingress' rules that reach the stable Service, with those backends on the canary Service. */
  private canaryRules(stable: RouteObject): Fields[] {
    const { canary, stable: stableService } = this.setup.services;
    const rules = isFields(stable.spec) && Array.isArray(stable.spec.rules) ? stable.spec.rules : [];
    return rules.filter(isFields).flatMap((rule) => {
      const http = isFields(rule.http) ? rule.http : undefined;
      const paths = Array.isArray(http?.paths) ? http.paths.filter(isFields) : [];
      const reaches = (p: Fields) =>
        isFields(p.backend) && isFields(p.backend.service) && p.backend.service.name === stableService;
      if (!paths.some(reaches)) return [];
      const copy = structuredClone(rule);
      (copy.http as Fields).paths = paths.map((p) =>
        reaches(p)
          ? {
              ...p,
              backend: {
                ...(p.backend as Fields),
                service: { ...((p.backend as Fields).service as Fields), name: canary },
              },
            }
          : p,
      );
      return [copy];
    });
  }

  /** Argo's canary Ingress for one stable Ingress at `weight`. */
  private canaryIngress(stable: RouteObject, name: string, weight: number): RouteObject {
    const { rollout, config, maxTrafficWeight } = this.setup;
    const spec = isFields(stable.spec) ? stable.spec : {};
    const annotations: Record<string, string> = {};
    const ingressClass = stable.metadata.annotations?.['kubernetes.io/ingress.class'];
    if (ingressClass !== undefined) annotations['kubernetes.io/ingress.class'] = ingressClass;
    for (const [k, v] of Object.entries(config.additionalIngressAnnotations ?? {}))
      annotations[k.startsWith(this.prefix) ? k : `${this.prefix}/${k}`] = v;
    Object.assign(annotations, config.canaryIngressAnnotations ?? {});
    annotations[`${this.prefix}/canary`] = 'true';
    annotations[`${this.prefix}/canary-weight`] = String(weight);
    if (maxTrafficWeight !== undefined)
      annotations[`${this.prefix}/canary-weight-total`] = String(maxTrafficWeight);
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace: rollout.namespace,
        annotations,
        ownerReferences: [rolloutOwnerReference(rollout)],
      },
      spec: {
        ...(spec.ingressClassName !== undefined ? { ingressClassName: spec.ingressClassName } : {}),
        ...(Array.isArray(spec.tls) ? { tls: structuredClone(spec.tls) } : {}),
        rules: this.canaryRules(stable),
      },
    };
  }
}
