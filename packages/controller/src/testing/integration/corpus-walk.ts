// One corpus Rollout walked on testkit with the real controller: its example created (waits
// shortened), the first deploy Healthy, a new pod template, then every pause without a duration
// promoted as Argo's plugin does (the routing objects must carry the step's weight then), until the
// new revision is the stable and the Rollout Healthy; the routing objects must end with the canary at
// weight 0 and the Services on the new revision, the safety observer must have seen nothing wrong,
// and the API server must have refused nothing the controller wrote (422). A failure says what the
// cluster held and what the controller sent.
import { type Rollout, strategyServiceNames } from '@ramp/api';
import type { RoutedRollout } from '@ramp/api/testing';
import { loadCorpusExample, type Manifest } from './corpus-example';
import { createManifests, namespaceOf } from './create-manifests';
import type { Harness, HarnessOptions } from './harness';
import { routeWeights, subsetHashes } from './route-weights';
import { shortenWaits } from './shorten-waits';

/** Testkit's pods become ready this fast in the walks. */
const READY_DELAY_MS = 10;
/** Longest wait for the next thing a walk waits for (a deploy, a step, a pause of 1 s). */
const STEP_TIMEOUT_MS = 15_000;
const NEW_TAG = 'ramp-walk';

export interface CorpusWalk {
  file: string;
  /** `namespace/name` */
  rollout: string;
  ms: number;
  steps: number;
  /** The pauses without a duration promoted: `step (canary weight in the routing objects)`. */
  promoted: string[];
  /** What was changed in the Rollout to walk it in seconds. */
  changes: string[];
  /** The kinds of the example not created, and why. */
  dropped: string[];
  /** Namespaces the example's objects needed that it does not create itself. */
  namespacesCreated: string[];
  /** Services the Rollout names that its example does not define (created selecting the Rollout's pods). */
  servicesCreated: string[];
  /** The routing objects at the end, with the canary's weight in each. */
  routes: string[];
}

type StartHarness = (options: HarnessOptions) => Promise<Harness>;

/** `repo/app:tag` → `repo/app:ramp-walk` (a tag added when there is none). */
const nextImage = (image: string) => `${image.replace(/:[^/:@]*$/, '')}:${NEW_TAG}`;

/** The step index of a pause without a duration the Rollout is paused on, if it is. */
function indefinitePause(ro: Rollout): number | undefined {
  const index = ro.status?.currentStepIndex;
  if (ro.status?.phase !== 'Paused' || index === undefined) return undefined;
  if (!ro.status.pauseConditions?.some((c) => c.reason === 'CanaryPauseStep')) return undefined;
  const pause = ro.spec.strategy?.canary?.steps?.[index]?.pause;
  return pause && (pause.duration === undefined || pause.duration === null) ? index : undefined;
}

/** The canary's weight at step `index`: the last setWeight up to it, else 0. */
function weightAt(ro: Rollout, index: number): number {
  const steps = ro.spec.strategy?.canary?.steps ?? [];
  const set = steps.slice(0, index + 1).findLast((s) => s.setWeight !== undefined);
  return set?.setWeight ?? 0;
}

/** The routing objects and the controller's requests, for a failure's message. */
function evidence(h: Harness, name: string): string {
  let ro: Rollout;
  try {
    ro = h.rollout(name);
  } catch {
    return `Rollout ${name} was never created\n${h.describe()}`;
  }
  const routes = routeWeights(h.cluster.store, ro, h.namespace).map(
    (r) => `  ${r.object}: canary ${r.weight}%`,
  );
  const requests = h.requests.records
    .filter((r) => r.method !== 'GET')
    .slice(-40)
    .map((r) => `  ${r.status} ${r.method} ${r.path}`);
  return `Routing objects:\n${routes.join('\n')}\nThe controller's last writes:\n${requests.join('\n')}`;
}

/**
 * The Services that select the new revision once it is the stable: all the strategy names, but with
 * ping-pong only the pair's new stable (the one that carried the canary; the other keeps the old pods,
 * as Argo leaves it, until the next update makes it the canary).
 */
function servicesOnNewRevision(ro: Rollout): string[] {
  const pp = ro.spec.strategy?.canary?.pingPong;
  const all = strategyServiceNames(ro);
  if (!pp) return all;
  const oldStable = ro.status?.canary?.stablePingPong === 'ping' ? pp.pongService : pp.pingService;
  return all.filter((svc) => svc !== oldStable);
}

/**
 * The Services the Rollout names (canary, stable, ping, pong) that its example does not define, as some
 * of Argo's examples leave them to another file: created selecting the Rollout's pods, and reported.
 */
async function createMissingServices(
  h: Harness,
  ro: Rollout,
  objects: readonly Manifest[],
  namespace: string,
): Promise<string[]> {
  const defined = new Set(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name));
  const missing = strategyServiceNames(ro).filter((name) => !defined.has(name));
  const selector = ro.spec.selector?.matchLabels ?? {};
  for (const name of missing) {
    await h.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    } as unknown as { kind: string; metadata: { name: string; namespace: string } });
  }
  return missing;
}

export async function walkCorpusRollout(start: StartHarness, routed: RoutedRollout): Promise<CorpusWalk> {
  const began = Date.now();
  const example = loadCorpusExample(routed);
  const { rollout, changes } = shortenWaits(example.rollout);
  const namespace = namespaceOf(rollout)!;
  const name = rollout.metadata.name;
  const h = await start({
    crds: ['gateway-api-experimental', 'smi', 'istio', 'apisix', 'traefik', 'ambassador'],
    namespace,
    readyDelayMs: READY_DELAY_MS,
  });
  const objects = example.objects.map((o) => (o === example.rollout ? rollout : o));
  const namespacesCreated = await createManifests(h.client, objects);
  const servicesCreated = await createMissingServices(h, rollout as unknown as Rollout, objects, namespace);
  const steps = (rollout as unknown as Rollout).spec.strategy?.canary?.steps?.length ?? 0;
  const promoted: string[] = [];
  const promotedSteps: number[] = [];
  try {
    await h.startController();
    const first = await h.waitForPhase(
      name,
      'Healthy',
      (ro) => !!ro.status?.stableRS && ro.status.stableRS === ro.status.currentPodHash,
      STEP_TIMEOUT_MS,
    );
    const v1 = first.status?.stableRS;
    const image = first.spec.template?.spec?.containers?.[0]?.image ?? '';
    await h.setImage(name, nextImage(image));
    let v2: string | undefined;
    for (;;) {
      const next = await h.waitFor(
        `Rollout ${name} to pause without a duration, fail, or finish on the new revision`,
        () => {
          const ro = h.rollout(name);
          const s = ro.status ?? {};
          if (s.phase === 'Degraded') return { kind: 'degraded', message: s.message } as const;
          const pause = indefinitePause(ro);
          if (pause !== undefined && !promotedSteps.includes(pause))
            return { kind: 'pause', step: pause } as const;
          if (s.currentPodHash !== v1 && s.phase === 'Healthy' && s.stableRS === s.currentPodHash)
            return { kind: 'done', hash: s.stableRS } as const;
          return undefined;
        },
        STEP_TIMEOUT_MS,
      );
      if (next.kind === 'degraded')
        throw new Error(`Rollout ${name} went Degraded: ${next.message}\n${h.describe()}`);
      if (next.kind === 'done') {
        v2 = next.hash;
        break;
      }
      const expected = weightAt(h.rollout(name), next.step);
      const weights = routeWeights(h.cluster.store, h.rollout(name), namespace);
      if (weights.length === 0 || weights.some((w) => w.weight !== expected))
        throw new Error(
          `paused at step ${next.step}, the routing objects should give the canary ${expected}%: ${weights.map((w) => `${w.object} ${w.weight}%`).join(', ')}`,
        );
      promotedSteps.push(next.step);
      promoted.push(`${next.step} (${expected}%)`);
      await h.promote(name);
    }
    const services = servicesOnNewRevision(h.rollout(name));
    const routes = await h.waitFor(
      'the routing objects at weight 0 for the canary, the Services and subsets on the new revision',
      () => {
        const ro = h.rollout(name);
        const weights = routeWeights(h.cluster.store, ro, namespace);
        const subsets = ro.spec.strategy?.canary?.trafficRouting?.istio?.destinationRule
          ? subsetHashes(h.cluster.store, ro, namespace)
          : { canary: v2, stable: v2 };
        return weights.length > 0 &&
          weights.every((w) => w.weight === 0) &&
          services.every((svc) => h.selected(svc) === v2) &&
          subsets.canary === v2 &&
          subsets.stable === v2
          ? weights
          : undefined;
      },
      STEP_TIMEOUT_MS,
    );
    h.observer.assertSafe();
    const refused = h.invalidWrites();
    if (refused.length > 0) throw new Error(`the API server refused (422): ${refused.join(', ')}`);
    return {
      file: example.file,
      rollout: `${namespace}/${name}`,
      ms: Date.now() - began,
      steps,
      promoted,
      changes,
      dropped: example.dropped.map((d) => `${d.file}: ${d.what}: ${d.why}`),
      namespacesCreated,
      servicesCreated,
      routes: routes.map((r) => `${r.object}: ${r.weight}%`),
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${example.file}: ${message}\n${evidence(h, name)}`);
  }
}

/**
 * A corpus Rollout the controller must refuse once it reads its routing objects (REFUSED_WHEN_RUN):
 * its example created, the Rollout stops Degraded with the TrafficRouting condition `expected`, and
 * nothing is written to any routing object. Returns the condition's message.
 */
export async function refuseCorpusRollout(
  start: StartHarness,
  routed: RoutedRollout,
  expected: RegExp,
): Promise<string> {
  const example = loadCorpusExample(routed);
  const namespace = namespaceOf(example.rollout)!;
  const h = await start({
    crds: ['gateway-api-experimental', 'smi', 'istio', 'apisix', 'traefik', 'ambassador'],
    namespace,
  });
  await createManifests(h.client, example.objects);
  await h.startController();
  const name = example.rollout.metadata.name;
  const ro = await h.waitForPhase(
    name,
    'Degraded',
    (r) =>
      r.status?.conditions?.some((c) => c.type === 'TrafficRouting' && expected.test(c.message)) ?? false,
  );
  const routingWrites = h.requests
    .writes()
    .filter((w) => !/\/(rollouts|events|replicasets|services)\b/.test(w));
  if (routingWrites.length > 0)
    throw new Error(`${example.file}: written to routing objects: ${routingWrites.join(', ')}`);
  return ro.status?.conditions?.find((c) => c.type === 'TrafficRouting')?.message ?? '';
}
