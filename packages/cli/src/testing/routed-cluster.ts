// A routed canary mid-walk, put straight into testkit's store (no controller): the Rollout with the status
// the controller would have written, its stable and canary ReplicaSets (the simulator brings up their
// pods), and the routing objects as the controller leaves them at that weight (Istio: a subset split, the
// DestinationRule's subsets on the two revisions' hashes) (not used by the commands).
import { replicaSetObject } from '@ramp/kube/testing';
import type { KubeObject } from '@ramp/testkit';
import type { RolloutObj } from '../kube/model';
import { type Harness, RO, waitFor } from './kube';
import {
  canaryIngress,
  destinationRule,
  httpRoute,
  type RouterName,
  routedRollout,
  stableIngress,
  trafficSplit,
  virtualService,
  type WalkPoint,
  walkStatus,
} from './routing';

export const STABLE_HASH = '5d8f7c6b9a';
export const CANARY_HASH = '7b6c5d4e3f';

export interface SeedOptions {
  router: RouterName;
  /** The weight the status records. */
  weight: number;
  /** The step index reached (default 1, the pause after setWeight 20). */
  step?: number;
  /** The weight the routing objects carry (default: `weight`); undefined leaves them out. */
  carried?: number | null;
  routingError?: string;
}

/** The routing config of `name`'s router, naming objects after the rollout. */
function routingOf(name: string, router: RouterName): Record<string, unknown> {
  if (router === 'gateway')
    return { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: `${name}-route` } } };
  if (router === 'nginx') return { nginx: { stableIngress: `${name}-ingress` } };
  if (router === 'istio') {
    // a subset split, as Argo's istio-subset-split e2e
    const destinationRule = {
      name: `${name}-destrule`,
      canarySubsetName: 'canary',
      stableSubsetName: 'stable',
    };
    return { istio: { virtualService: { name: `${name}-vsvc`, routes: ['primary'] }, destinationRule } };
  }
  return { smi: {} };
}

function replicaSet(ro: KubeObject, hash: string, revision: number, replicas: number): KubeObject {
  const rs = replicaSetObject(
    `${ro.metadata.name}-${hash}`,
    hash,
    {
      name: ro.metadata.name ?? '',
      uid: ro.metadata.uid ?? '',
    },
    replicas,
  );
  rs.metadata.annotations = { 'rollout.argoproj.io/revision': String(revision) };
  const image = revision === 1 ? 'web:v1' : 'web:v2';
  rs.spec.template.spec!.containers[0]!.image = image;
  return rs as unknown as KubeObject;
}

/** Seeds `name` as a routed canary paused at a step (or Degraded with `routingError`); resolves once its pods are ready. */
export async function seedRoutedCanary(h: Harness, name: string, opts: SeedOptions): Promise<RolloutObj> {
  const { store } = h.cluster;
  const services = { canary: `${name}-canary`, stable: `${name}-stable` };
  const carried = opts.carried === undefined ? opts.weight : opts.carried;
  if (opts.router === 'nginx') store.create(stableIngress(`${name}-ingress`, services.stable));
  if (opts.router === 'gateway' && carried !== null) {
    store.create(httpRoute(`${name}-route`, services, { canary: carried, stable: 100 - carried }));
  }
  const created = store.create(
    routedRollout(name, opts.router, routingOf(name, opts.router)) as unknown as KubeObject,
  );
  const owner = { name, uid: created.metadata.uid ?? '' };
  if (opts.router === 'nginx' && carried !== null) {
    store.create(canaryIngress(owner, `${name}-ingress`, services.canary, carried));
  }
  if (opts.router === 'smi' && carried !== null) store.create(trafficSplit(owner, services, carried));
  if (opts.router === 'istio' && carried !== null) {
    const weights = { canary: carried, stable: 100 - carried };
    store.create(virtualService(`${name}-vsvc`, services, weights, { subsetsOf: name }));
    store.create(destinationRule(`${name}-destrule`, name, { canary: CANARY_HASH, stable: STABLE_HASH }));
  }
  store.create(replicaSet(created, STABLE_HASH, 1, 5));
  store.create(replicaSet(created, CANARY_HASH, 2, 1));
  const at: WalkPoint = {
    step: opts.step ?? 1,
    weight: opts.weight,
    verified: carried === opts.weight,
    stableHash: STABLE_HASH,
    canaryHash: CANARY_HASH,
    ...(opts.routingError ? { routingError: opts.routingError } : {}),
  };
  const status = walkStatus(created as unknown as RolloutObj, at);
  store.patchStatus(RO, 'Rollout', name, 'default', { status });
  await waitFor(`${name}'s pods`, () =>
    store
      .list('apps/v1', 'ReplicaSet', { namespace: 'default' })
      .filter((rs) => rs.metadata.name?.startsWith(`${name}-`))
      .every((rs) => {
        const { spec, status } = rs as unknown as {
          spec: { replicas: number };
          status?: { availableReplicas?: number };
        };
        return status?.availableReplicas === spec.replicas;
      }),
  );
  return store.get(RO, 'Rollout', name, 'default') as unknown as RolloutObj;
}
