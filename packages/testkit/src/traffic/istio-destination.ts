// Istio's destinations as a sidecar or gateway proxy resolves them: a host names a Service of the
// namespace by its short name (`shop`) or its FQDN (`shop.default`, `shop.default.svc`,
// `shop.default.svc.cluster.local`); a `subset` is one of the subsets the DestinationRules whose
// `host` is that Service define (the namespace's DestinationRules, oldest first, merged: the first
// definition of a subset name wins), and its labels narrow the Service's pods; `port.number` must
// be a port of the Service. Whatever cannot be resolved is a cluster Envoy does not have: the
// requests sent there get 503 (no cluster), and mirrored copies are dropped. Services of other
// namespaces, ServiceEntries and hosts outside the mesh are not modelled.
import { field, isObject, stringField } from './json-shape';
import { oldestFirst } from './object-order';
import type { ProblemList } from './route-decision';
import type { ServiceWorld, Subset } from './service-endpoints';

/** The Service of the namespace a host names, or undefined (another namespace, or not a Service name). */
export function serviceOfHost(host: string, namespace: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!h.includes('.')) return h === '' || h === '*' ? undefined : h;
  const m =
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?$/.exec(h);
  return m && m[3] === namespace ? m[1] : undefined;
}

/** Whether a VirtualService host covers the request's host: the same Service, the same name, or a wildcard. */
export function hostCovers(vsHost: string, requestHost: string, namespace: string): boolean {
  const want = vsHost.toLowerCase();
  const host = requestHost.toLowerCase();
  if (want === '*') return true;
  const service = serviceOfHost(want, namespace);
  if (service !== undefined && service === serviceOfHost(host, namespace)) return true;
  const fqdn = (h: string) => {
    const s = serviceOfHost(h, namespace);
    return s === undefined ? h : `${s}.${namespace}.svc.cluster.local`;
  };
  if (want.startsWith('*.')) return fqdn(host).endsWith(want.slice(1));
  return fqdn(want) === fqdn(host);
}

/** The subsets of each Service, from the namespace's DestinationRules. */
export class DestinationRuleIndex {
  private readonly subsets = new Map<string, Map<string, Subset>>();

  /** `rules`: the DestinationRules as read; what cannot be read is reported (each names its own object). */
  constructor(rules: readonly unknown[], namespace: string, problems: ProblemList) {
    for (const rule of oldestFirst(rules)) {
      const name = stringField(field(rule, 'metadata'), 'name') ?? '';
      const object = `DestinationRule ${namespace}/${name}`;
      const spec = field(rule, 'spec');
      const host = stringField(spec, 'host');
      if (host === undefined || host === '') {
        problems.add('spec.host', 'missing: the DestinationRule applies to no host', object);
        continue;
      }
      const service = serviceOfHost(host, namespace);
      if (service === undefined) continue;
      const subsets = field(spec, 'subsets');
      if (subsets === undefined) continue;
      if (!Array.isArray(subsets)) {
        problems.add('spec.subsets', 'expected a list of subsets; none is read', object);
        continue;
      }
      const known = this.subsets.get(service) ?? new Map<string, Subset>();
      this.subsets.set(service, known);
      subsets.forEach((subset: unknown, i) => {
        const at = `spec.subsets[${i}]`;
        const subsetName = stringField(subset, 'name');
        if (subsetName === undefined || subsetName === '') {
          problems.add(`${at}.name`, 'missing: the subset is left out', object);
          return;
        }
        const labels = field(subset, 'labels') ?? {};
        if (!isObject(labels) || Object.values(labels).some((v) => typeof v !== 'string')) {
          problems.add(`${at}.labels`, 'expected a map of label values; the subset is left out', object);
          return;
        }
        if (known.has(subsetName)) {
          problems.add(
            at,
            `subset "${subsetName}" of host ${host} is already defined by an older DestinationRule, whose definition is used`,
            object,
          );
          return;
        }
        known.set(subsetName, { name: subsetName, labels: labels as Record<string, string> });
      });
    }
  }

  subset(service: string, name: string): Subset | undefined {
    return this.subsets.get(service)?.get(name);
  }
}

export interface IstioContext {
  world: ServiceWorld;
  rules: DestinationRuleIndex;
  problems: ProblemList;
}

/** Where an Istio `destination` (at `at`) sends requests: a Service, a subset of it, or why it cannot. */
export type IstioTarget =
  | { service: string; subset?: Subset }
  | { service: string; unresolved: string; field: string };

export function istioTarget(destination: unknown, at: string, ctx: IstioContext): IstioTarget {
  const host = stringField(destination, 'host');
  if (host === undefined || host === '')
    return { service: '', unresolved: 'a destination needs a host', field: `${at}.host` };
  const namespace = ctx.world.namespace;
  const service = serviceOfHost(host, namespace);
  if (service === undefined)
    return {
      service: host,
      unresolved: `host ${host} is not a Service of namespace ${namespace} (other namespaces, ServiceEntries and external hosts are not modelled)`,
      field: `${at}.host`,
    };
  const view = ctx.world.service(service);
  if (!view) return { service, unresolved: `Service "${service}" not found`, field: `${at}.host` };
  const port = field(field(destination, 'port'), 'number');
  if (port !== undefined && !view.ports.some((p) => p.port === port))
    return {
      service,
      unresolved: `Service "${service}" has no port ${JSON.stringify(port)}`,
      field: `${at}.port.number`,
    };
  const subsetName = field(destination, 'subset');
  if (subsetName === undefined || subsetName === '') return { service };
  if (typeof subsetName !== 'string')
    return { service, unresolved: 'expected a subset name', field: `${at}.subset` };
  const subset = ctx.rules.subset(service, subsetName);
  if (!subset)
    return {
      service,
      unresolved: `no DestinationRule for host ${host} defines subset "${subsetName}"`,
      field: `${at}.subset`,
    };
  return { service, subset };
}
