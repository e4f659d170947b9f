// The routing objects of a fake cluster (tests only): a RouteObjects over plain maps that applies a
// plan's route writes as the API server would (a create fails on an existing name, an update is
// refused when the object changed since the write was decided, as the resourceVersion guard makes it).
import type {
  ResourceState,
  RouteObject,
  RouteObjects,
  RouteResourceName,
  RouteWrite,
} from '../../routing/router';

const API_VERSIONS: Record<RouteResourceName, string> = {
  httproutes: 'gateway.networking.k8s.io/v1',
  grpcroutes: 'gateway.networking.k8s.io/v1',
  tcproutes: 'gateway.networking.k8s.io/v1',
  tlsroutes: 'gateway.networking.k8s.io/v1',
  ingresses: 'networking.k8s.io/v1',
  trafficsplits: 'split.smi-spec.io/v1alpha1',
  virtualservices: 'networking.istio.io/v1alpha3',
  destinationrules: 'networking.istio.io/v1alpha3',
  apisixroutes: 'apisix.apache.org/v2',
  traefikservices: 'traefik.io/v1alpha1',
  mappings: 'getambassador.io/v2',
};

/** What the Gateway API CRDs default in a route's rules: a backendRef's group, kind and weight, a match's path. */
function gatewayDefaults(route: RouteObject): void {
  const spec = route.spec as { rules?: unknown } | undefined;
  if (!Array.isArray(spec?.rules)) return;
  for (const rule of spec.rules as Record<string, unknown>[]) {
    if (typeof rule !== 'object' || rule === null) continue;
    for (const ref of Array.isArray(rule.backendRefs)
      ? (rule.backendRefs as Record<string, unknown>[])
      : []) {
      ref.group ??= '';
      ref.kind ??= 'Service';
      ref.weight ??= 1;
    }
    if (route.kind !== 'HTTPRoute') continue;
    for (const m of Array.isArray(rule.matches) ? (rule.matches as Record<string, unknown>[]) : [])
      m.path ??= { type: 'PathPrefix', value: '/' };
  }
}

export class FakeRouteObjects implements RouteObjects {
  private readonly stores = new Map<RouteResourceName, Map<string, RouteObject>>();
  /** Resources not listed yet (waiting), or failing with an error. */
  readonly unlisted = new Map<RouteResourceName, string | undefined>();
  apiVersions = { ...API_VERSIONS };
  private version = 1;

  private store(resource: RouteResourceName): Map<string, RouteObject> {
    let store = this.stores.get(resource);
    if (!store) {
      store = new Map();
      this.stores.set(resource, store);
    }
    return store;
  }

  /** Puts an object as a person would (kubectl apply), with a fresh resourceVersion and the CRD's defaults. */
  put(resource: RouteResourceName, object: RouteObject): RouteObject {
    const copy = structuredClone(object);
    if (resource.endsWith('routes')) gatewayDefaults(copy);
    copy.metadata.namespace ??= 'default';
    copy.metadata.resourceVersion = String(this.version++);
    copy.metadata.uid ??= `${resource}-${copy.metadata.name}`;
    this.store(resource).set(`${copy.metadata.namespace}/${copy.metadata.name}`, copy);
    return copy;
  }

  remove(resource: RouteResourceName, namespace: string, name: string): void {
    this.store(resource).delete(`${namespace}/${name}`);
  }

  get(resource: RouteResourceName, namespace: string, name: string): RouteObject | undefined {
    const found = this.store(resource).get(`${namespace}/${name}`);
    return found ? structuredClone(found) : undefined;
  }

  list(resource: RouteResourceName, namespace: string): RouteObject[] {
    return [...this.store(resource).values()]
      .filter((o) => o.metadata.namespace === namespace)
      .map((o) => structuredClone(o));
  }

  state(resource: RouteResourceName): ResourceState {
    if (this.unlisted.has(resource)) {
      const error = this.unlisted.get(resource);
      return error ? { listed: false, error } : { listed: false };
    }
    return { listed: true, apiVersion: this.apiVersions[resource] };
  }

  /** Applies one write; throws, as the API server answers, on a conflict or a duplicate. */
  apply(write: RouteWrite): void {
    if (write.action === 'create') {
      const name = write.object.metadata.name;
      if (this.get(write.resource, write.object.metadata.namespace ?? 'default', name ?? ''))
        throw new Error(`409 AlreadyExists: ${write.resource}/${name}`);
      this.put(write.resource, write.object);
      return;
    }
    const { namespace = 'default', name = '' } = write.current.metadata;
    const now = this.get(write.resource, namespace, name);
    if (write.action === 'delete') {
      this.remove(write.resource, namespace, name);
      return;
    }
    if (!now || now.metadata.resourceVersion !== write.current.metadata.resourceVersion)
      throw new Error(`409 Conflict: ${write.resource}/${name} changed since the write was decided`);
    this.put(write.resource, {
      ...write.object,
      metadata: { ...write.object.metadata, uid: now.metadata.uid },
    });
  }
}
