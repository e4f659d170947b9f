// What the demo shows while it runs: one line whenever the rollout's state changes (phase, step,
// weight, with --gateway-api the HTTPRoute's weights, each revision's ready pods, the background
// analysis and its last measurement).
import type { AnalysisRun, Rollout } from '@ramp/api';
import { type ReplicaSet, setWeightAt, stepsOf } from '@ramp/controller';
import { type KubeClient, RESOURCES } from '@ramp/kube';
import { type RouteWeights, readRouteWeights } from './route-weights';

/** A weight as the line shows it: 3 wide; `?` when the route does not name the Service. */
const show = (weight: number | undefined) => (weight === undefined ? '?' : String(weight)).padStart(3);

export interface Observed {
  rollout?: Rollout;
  replicaSets: ReplicaSet[];
  runs: AnalysisRun[];
  /** The weights the HTTPRoute gives the stable and canary Services, when the demo routes through one. */
  route?: RouteWeights;
}

/** `route`: the HTTPRoute to read the weights of (--gateway-api). */
export async function observe(client: KubeClient, name: string, route?: string): Promise<Observed> {
  const [rollout, rss, runs, weights] = await Promise.all([
    client.get<Rollout>(RESOURCES.rollouts, name, 'default').catch(() => undefined),
    client.list<ReplicaSet>(RESOURCES.replicaSets, { namespace: 'default' }),
    client.list<AnalysisRun>(RESOURCES.analysisRuns, { namespace: 'default' }),
    route === undefined ? undefined : readRouteWeights(client, route),
  ]);
  return {
    ...(rollout ? { rollout } : {}),
    replicaSets: rss.items,
    runs: runs.items,
    ...(weights ? { route: weights } : {}),
  };
}

/** A measured value as a person reads it: numbers to 4 decimals (`0.0044`, not `0.004374856090260189`). */
export function roundValues(value: string): string {
  return value.replace(/-?\d+\.\d+(?:e[-+]?\d+)?/gi, (text) => {
    const n = Number(text);
    if (!Number.isFinite(n)) return text;
    if (n !== 0 && Math.abs(n) < 0.0001) return String(Number(n.toPrecision(2)));
    return String(Number(n.toFixed(4)));
  });
}

const tagOf = (rs: ReplicaSet) => (rs.spec.template.spec?.containers[0]?.image ?? '?').split(':').pop();

export function describe(o: Observed): string {
  const r = o.rollout;
  if (!r) return 'rollout not created yet';
  const status = r.status ?? {};
  const steps = stepsOf(r);
  const index = status.currentStepIndex ?? 0;
  const weight =
    status.stableRS === status.currentPodHash ? 100 : status.abort ? 0 : setWeightAt(steps, index);
  const revisions = o.replicaSets
    .filter((rs) => (rs.spec.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0)
    .map((rs) => `${tagOf(rs)} ${rs.status?.availableReplicas ?? 0}/${rs.spec.replicas ?? 0}`)
    .join('  ');
  const bg = status.canary?.currentBackgroundAnalysisRunStatus;
  const run = bg ? o.runs.find((x) => x.metadata.name === bg.name) : undefined;
  const result = run?.status?.metricResults?.[0];
  const last = result?.measurements?.at(-1);
  const analysis = run
    ? `  analysis ${run.status?.phase ?? 'Pending'} ✔${result?.successful ?? 0} ✖${result?.failed ?? 0}${last?.value ? ` last ${roundValues(last.value)}` : ''}`
    : '';
  const step = steps.length > 0 ? `step ${Math.min(index, steps.length)}/${steps.length}` : '';
  const route = o.route ? `  route: stable ${show(o.route.stable)} canary ${show(o.route.canary)}` : '';
  return `${(status.phase ?? 'Pending').padEnd(11)} ${step.padEnd(9)} weight ${String(weight).padStart(3)}%${route}  pods: ${revisions}${analysis}`;
}
