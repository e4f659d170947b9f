// Fuzz: Rollouts whose spec is broken at random paths (see @ramp/api/testing), decided on the fake
// cluster. A spec that still validates is rolled out: reconciled a bounded number of times with the
// clock moving, a new image pushed mid-way, analysis runs ending at random, promotes and aborts;
// every plan must keep the safety invariants (whole replica counts, the surge ceiling and the
// availability floor of a canary, Services only on live ReplicaSets, a valid wake-up time). A spec
// that fails validation is applied over a healthy Rollout: it must come out Degraded with InvalidSpec,
// naming the field, with nothing scaled, created or switched. decideRollout never throws. Seeded.
import {
  type AnalysisTemplate,
  maxSurgeOf,
  maxUnavailableOf,
  type Rollout,
  replicasOf,
  validateObject,
} from '@ramp/api';
import { Dice, describeMutations, fuzzSettings, GENTLE_OPS, MUTATION_OPS, mutate } from '@ramp/api/testing';
import { resolveMaxSurge, resolveMaxUnavailable } from '../canary';
import { POD_TEMPLATE_HASH_LABEL } from '../model/names';
import type { RolloutPlan } from '../model/plan';
import { referencedServices, referencedTemplateKeys } from '../runtime/rollout-references';
import { parseAllYaml, REPO_ROOT } from '../testing/operations/yaml';
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { blueGreenRollout, canaryRollout, template } from '../testing/rollout/fixtures';
import {
  CANARY,
  putRoutingObjects,
  type Router,
  routedProblem,
  routing,
  STABLE,
} from '../testing/routing/routed-world';
import { decideRollout } from './decide';

const { cases: CASES, seed: SEED } = fuzzSettings(2000, 0xc0de);

interface Seed {
  name: string;
  rollout: Rollout;
  templates: AnalysisTemplate[];
  /** A routed canary's router (its routing objects are put in the cluster). */
  router?: Router;
}

/** A routed canary seed: its Services and router, and `extra` canary fields. */
function routed(
  name: string,
  router: Router,
  steps: NonNullable<NonNullable<Rollout['spec']['strategy']>['canary']>['steps'],
  extra: Record<string, unknown> = {},
): Seed {
  const { trafficRouting, ...rest } = extra;
  const rollout = canaryRollout(steps, {
    canaryService: CANARY,
    stableService: STABLE,
    trafficRouting: routing(router, (trafficRouting as Record<string, unknown>) ?? {}),
    ...rest,
  });
  return { name, rollout, templates: [template('check')], router };
}

const BETA = { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { exact: 'yes' } }] };

const hashArg = [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }];
const check = (name = 'check') => ({ templates: [{ templateName: name }], args: hashArg });

function exampleSeeds(): Seed[] {
  const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
  const folder = `${REPO_ROOT}/examples`;
  const docs = readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({
      file: f,
      objects: parseAllYaml(readFileSync(`${folder}/${f}`, 'utf8')) as { kind?: string }[],
    }));
  const all = docs.flatMap((d) => d.objects);
  const templates = all.filter((o) => o.kind === 'AnalysisTemplate') as AnalysisTemplate[];
  return docs.flatMap((d) =>
    d.objects
      .filter((o) => o.kind === 'Rollout')
      .map((rollout) => ({ name: `examples/${d.file}`, rollout: rollout as Rollout, templates })),
  );
}

const SEEDS: Seed[] = [
  { name: 'canary', rollout: canaryRollout([{ setWeight: 20 }, { pause: {} }]), templates: [] },
  {
    name: 'canary timed',
    rollout: canaryRollout(
      [{ setWeight: 40 }, { pause: { duration: 30 } }, { setWeight: 80 }, { pause: { duration: '1m' } }],
      { maxSurge: 1, maxUnavailable: 0, canaryService: 'canary', stableService: 'stable' },
    ),
    templates: [],
  },
  {
    name: 'canary step analysis',
    rollout: canaryRollout([{ setWeight: 20 }, { analysis: check() }, { setWeight: 60 }, { pause: {} }], {
      maxSurge: '50%',
      maxUnavailable: '50%',
    }),
    templates: [template('check')],
  },
  {
    name: 'canary background analysis',
    rollout: canaryRollout([{ setWeight: 50 }, { pause: { duration: '10s' } }], {
      analysis: { ...check(), startingStep: 1 },
      stableService: 'stable',
    }),
    templates: [template('check')],
  },
  { name: 'canary without steps', rollout: canaryRollout([], { maxUnavailable: 2 }), templates: [] },
  { name: 'blue-green', rollout: blueGreenRollout(), templates: [] },
  {
    name: 'blue-green manual',
    rollout: blueGreenRollout({
      autoPromotionEnabled: false,
      previewReplicaCount: 1,
      scaleDownDelaySeconds: 5,
    }),
    templates: [],
  },
  {
    name: 'blue-green analyses',
    rollout: blueGreenRollout({
      prePromotionAnalysis: check('pre'),
      postPromotionAnalysis: check('post'),
      autoPromotionSeconds: 20,
    }),
    templates: [template('pre'), template('post')],
  },
  routed('routed gateway', 'gateway', [
    { setWeight: 20 },
    { pause: {} },
    { setWeight: 60 },
    { pause: { duration: 30 } },
  ]),
  routed(
    'routed nginx',
    'nginx',
    [{ setWeight: 30 }, { analysis: check() }, { pause: { duration: '20s' } }],
    {
      scaleDownDelaySeconds: 10,
    },
  ),
  routed('routed smi', 'smi', [{ setWeight: 50 }, { pause: {} }], { abortScaleDownDelaySeconds: 0 }),
  routed(
    'routed istio subsets',
    'istio',
    [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: { duration: 20 } }],
    {
      scaleDownDelaySeconds: 5,
    },
  ),
  routed('routed dynamic', 'gateway', [{ setWeight: 40 }, { pause: {} }, { setWeight: 80 }, { pause: {} }], {
    dynamicStableScale: true,
  }),
  routed(
    'routed managed routes and canary scale',
    'gateway',
    [
      { setCanaryScale: { replicas: 2 } },
      { setWeight: 10 },
      { setHeaderRoute: BETA },
      { setMirrorRoute: { name: 'shadow', match: [{ path: { prefix: '/api' } }], percentage: 50 } },
      { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 50 },
      { pause: { duration: 10 } },
    ],
    { trafficRouting: { managedRoutes: [{ name: 'beta' }, { name: 'shadow' }] }, minPodsPerReplicaSet: 2 },
  ),
  ...exampleSeeds(),
];

const PHASES = new Set(['Healthy', 'Progressing', 'Paused', 'Degraded']);
const RUN_PHASES = [
  'Successful',
  'Successful',
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
  'Running',
] as const;
const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** A cluster holding what the Rollout names: its Services and AnalysisTemplates. */
function clusterFor(rollout: Rollout, seed: Seed): FakeCluster {
  const c = new FakeCluster(rollout);
  c.trackPods = false; // counts only: a tweaked spec may ask for 2^31 replicas
  const strategy = (rollout.spec?.strategy ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const s of [strategy.canary, strategy.blueGreen]) {
    if (typeof s !== 'object' || s === null) continue;
    for (const key of ['canaryService', 'stableService', 'activeService', 'previewService']) {
      const name = s[key];
      if (typeof name === 'string' && name !== '') c.addService(name);
    }
  }
  for (const t of seed.templates) c.addTemplate(t);
  if (seed.router) putRoutingObjects(c, seed.router);
  return c;
}

interface Counts {
  replicas: number;
  available: number;
}
const countsOf = (c: FakeCluster) =>
  new Map(
    c.replicaSets.map((rs): [string, Counts] => [
      rs.metadata.name,
      { replicas: rs.spec.replicas ?? 1, available: rs.status?.availableReplicas ?? 0 },
    ]),
  );
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** What is wrong with a plan, on its own: numbers, time, the status' shape. */
function planProblem(plan: RolloutPlan, rollout: Rollout): string | undefined {
  if (plan.createReplicaSet && !isCount(plan.createReplicaSet.spec.replicas))
    return `creates a ReplicaSet with ${plan.createReplicaSet.spec.replicas} replicas`;
  for (const u of plan.updateReplicaSets)
    if (u.replicas !== undefined && !isCount(u.replicas)) return `scales ${u.name} to ${u.replicas}`;
  if (plan.wakeAt && Number.isNaN(plan.wakeAt.getTime())) return 'wakes up at an invalid time';
  const s = plan.status;
  for (const field of [
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'HPAReplicas',
  ] as const)
    if (s[field] !== undefined && !isCount(s[field])) return `status.${field} is ${s[field]}`;
  const steps = rollout.spec.strategy?.canary?.steps;
  if (
    s.currentStepIndex !== undefined &&
    !(isCount(s.currentStepIndex) && s.currentStepIndex <= (steps?.length ?? 0))
  )
    return `status.currentStepIndex is ${s.currentStepIndex} of ${steps?.length} steps`;
  if (!PHASES.has(s.phase ?? '')) return `phase ${s.phase}`;
  for (const condition of s.conditions ?? []) {
    if (!condition.type || !condition.status || !condition.reason)
      return `condition ${JSON.stringify(condition)}`;
    if (Number.isNaN(Date.parse(condition.lastUpdateTime ?? '')))
      return `condition time ${condition.lastUpdateTime}`;
  }
  try {
    JSON.stringify(plan);
  } catch (error) {
    return `the plan is not JSON-serialisable: ${String(error)}`;
  }
  return undefined;
}

/** A canary's limits and its floor of available pods (blue-green: the whole of spec.replicas). */
function limitsOf(rollout: Rollout) {
  const spec = rollout.spec;
  const replicas = replicasOf(spec);
  const canary = spec.strategy?.blueGreen ? undefined : spec.strategy?.canary;
  const limits = canary
    ? { maxSurge: maxSurgeOf(canary), maxUnavailable: maxUnavailableOf(canary) }
    : undefined;
  const floor = limits ? replicas - resolveMaxUnavailable(limits, replicas) : replicas;
  return { replicas, limits, floor };
}

/** The safety invariants across one applied plan (pods not settled yet: removed ones are gone, added ones not ready). */
function safetyProblem(c: FakeCluster, before: Map<string, Counts>): string | undefined {
  const after = countsOf(c);
  const { replicas, limits, floor } = limitsOf(c.rollout);
  for (const svc of c.services.values()) {
    const hash = svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    if (!hash) continue;
    const rs = c.rs(hash);
    if (!rs) return `Service ${svc.metadata.name} selects ${hash}, which has no ReplicaSet`;
    // With maxUnavailable at 100% (a floor of 0 available pods) Argo's math may empty the stable
    // before the canary has a pod: the person allowed it, and there is nowhere better to point.
    if ((rs.spec.replicas ?? 1) === 0 && floor > 0)
      return `Service ${svc.metadata.name} selects ${hash}, scaled to 0`;
  }
  if (!limits) return undefined;
  const routedCanary = !!c.rollout.spec.strategy?.canary?.trafficRouting;
  const ceiling = routedCanary ? Number.POSITIVE_INFINITY : replicas + resolveMaxSurge(limits, replicas);
  const podsBefore = sum([...before.values()].map((x) => x.replicas));
  const podsAfter = sum([...after.values()].map((x) => x.replicas));
  if (podsAfter > ceiling && podsAfter > podsBefore)
    return `${podsAfter} pods planned, above ${replicas} replicas + maxSurge (${ceiling}); there were ${podsBefore}`;
  const availableBefore = sum([...before.values()].map((x) => x.available));
  // Right after the plan: a ReplicaSet keeps at most its new size of the pods that were available.
  const availableAfter = sum(
    [...after].map(([name, x]) => Math.min(x.replicas, before.get(name)?.available ?? 0)),
  );
  if (availableAfter < Math.min(availableBefore, floor))
    return `available pods fall from ${availableBefore} to ${availableAfter}, below replicas - maxUnavailable (${floor})`;
  return undefined;
}

const healthySeen = new WeakSet<FakeCluster>();

/**
 * Right after a plan (the state the controller decided on, as it left it), from the first Healthy
 * on: no Service selects a ReplicaSet without an available pod while another of the Rollout's
 * ReplicaSets has some (the invariant of issue #19's monitor), unless the floor of available pods is
 * 0 (see above). Before it (a first version that never came up), no traffic is served that a
 * Service could lose, and a blue-green's active Service waits for its promotion like any other.
 */
function servicesReady(c: FakeCluster): string | undefined {
  if (c.rollout.status?.phase === 'Healthy') healthySeen.add(c);
  if (!healthySeen.has(c) || limitsOf(c.rollout).floor === 0) return undefined;
  const servingSomewhere = c.replicaSets.some((rs) => (rs.status?.availableReplicas ?? 0) > 0);
  if (!servingSomewhere) return undefined;
  for (const svc of c.services.values()) {
    const hash = svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    if (hash && (c.rs(hash)?.status?.availableReplicas ?? 0) === 0)
      return `Service ${svc.metadata.name} selects ${hash}, whose pods are not ready, while another ReplicaSet has ready pods`;
  }
  return undefined;
}

/**
 * status.stableRS moves away from an existing stable ReplicaSet only to one whose pods are all
 * available (Argo's shouldFullPromote). A first deploy, whose stable has no ReplicaSet yet, has no
 * stable to lose.
 */
function stableProblem(c: FakeCluster, stableBefore: string | undefined): string | undefined {
  const stable = c.rollout.status?.stableRS;
  if (!stable || !stableBefore || stable === stableBefore || !c.rs(stableBefore)) return undefined;
  const available = c.rs(stable)?.status?.availableReplicas ?? 0;
  const replicas = replicasOf(c.rollout.spec);
  return available >= replicas
    ? undefined
    : `status.stableRS moved from ${stableBefore} to ${stable}, which has ${available} of ${replicas} pods available`;
}

/**
 * How much of a plan reaches the cluster: all of it; a prefix of its writes in apply order (the
 * controller killed, or a write failed, mid-way); or any subset of them that keeps apply-plan's
 * ordering promises: Services before scale-downs, routing objects in their order, and the status only
 * after every other write.
 */
type Reach = 'all' | 'prefix' | 'subset';

function applyReached(c: FakeCluster, plan: RolloutPlan, reach: Reach, dice: Dice): void {
  if (reach === 'all') {
    c.applyOnly(plan, () => true);
    return;
  }
  const writes = c.writesOf(plan);
  if (reach === 'prefix') {
    const cut = dice.int(writes.length + 1);
    c.applyOnly(plan, (_, i) => i < cut);
    return;
  }
  const chosen = writes.map(() => dice.chance(0.5));
  // apply-plan's promise: Services, then routing objects, before any scale-down
  const servicesAll = writes.every((w, i) => (w.kind !== 'service' && w.kind !== 'route') || chosen[i]);
  const current = new Map(c.replicaSets.map((rs) => [rs.metadata.name, rs.spec.replicas ?? 1]));
  const scalesDown = (i: number) => {
    const w = writes[i]!;
    const to = plan.updateReplicaSets.find((u) => u.name === w.name)?.replicas;
    return w.kind === 'replicaSet' && to !== undefined && to < (current.get(w.name) ?? 0);
  };
  const servicesFirst = writes.every((w, i) => w.kind !== 'service' || chosen[i]);
  // and the routing objects' writes in their order (a router orders its own: Istio's VirtualService
  // before or after its DestinationRule): one not written stops the ones after it
  const routesBefore = (i: number) => writes.every((w, j) => j >= i || w.kind !== 'route' || chosen[j]);
  const kept = writes.map(
    (w, i) =>
      chosen[i]! &&
      (servicesAll || !scalesDown(i)) &&
      (w.kind !== 'route' || (servicesFirst && routesBefore(i))),
  );
  const allOthers = writes.every((w, i) => w.kind === 'status' || kept[i]);
  c.applyOnly(plan, (w, i) => kept[i]! && (w.kind !== 'status' || allOthers));
}

/** One reconcile with every check; settles the pods after. */
function step(c: FakeCluster, reach: Reach = 'all', dice?: Dice, router?: Router): string | undefined {
  const before = countsOf(c);
  const stableBefore = c.rollout.status?.stableRS;
  const plan = c.decide();
  applyReached(c, plan, dice ? reach : 'all', dice ?? new Dice(0));
  const problem =
    planProblem(plan, c.rollout) ??
    safetyProblem(c, before) ??
    stableProblem(c, stableBefore) ??
    servicesReady(c) ??
    (router ? routedProblem(c, router) : undefined);
  c.settlePods();
  return problem;
}

/** People and analysis doing things between reconciles. */
function act(c: FakeCluster, dice: Dice): void {
  const open = c.runs.filter(
    (r) => !['Successful', 'Failed', 'Error', 'Inconclusive'].includes(r.status?.phase ?? ''),
  );
  if (open.length > 0 && dice.chance(0.4))
    c.setRunPhase(dice.pick(open).metadata.name!, dice.pick(RUN_PHASES));
  if (dice.chance(0.15)) c.patchStatus({ pauseConditions: [] }); // promote
  if (dice.chance(0.03)) c.patchStatus({ abort: true });
  if (c.rollout.status?.abort && dice.chance(0.2)) c.patchStatus({ abort: false }); // retry
  if (dice.chance(0.03)) c.patchStatus({ promoteFull: true });
  c.advance(dice.pick([0, 0, 1, 5, 10, 30, 61, 300, 3600]));
}

/**
 * A Rollout whose spec validates: rolled out, a new image mid-way. With `halfApplied`, each plan
 * reaches the cluster whole, as a prefix or as a subset (see Reach), and the images may go back to
 * an earlier revision or to one that never becomes ready.
 */
function rollOut(rollout: Rollout, seed: Seed, dice: Dice, halfApplied = false): string | undefined {
  const c = clusterFor(rollout, seed);
  if (dice.chance(0.15)) c.badImages.add('fuzz:2');
  if (halfApplied) c.badImages.add('fuzz:4-bad');
  const rounds = 8 + dice.int(16);
  const imageAt = dice.int(rounds);
  const images = [
    'fuzz:2',
    'fuzz:3',
    'fuzz:4-bad',
    rollout.spec.template?.spec?.containers?.[0]?.image ?? 'x',
  ];
  for (let round = 0; round < rounds; round++) {
    if (round === imageAt) c.setImage(dice.chance(0.9) ? 'fuzz:2' : 'fuzz:3');
    else if (halfApplied && round > imageAt && dice.chance(0.15)) c.setImage(dice.pick(images));
    const reach: Reach = halfApplied ? dice.pick(['all', 'prefix', 'prefix', 'subset'] as const) : 'all';
    const problem = step(c, reach, dice, seed.router);
    if (problem)
      return `round ${round} (${reach}): ${problem}${halfApplied ? `\n  last events: ${c.events.slice(-14).join('\n    ')}` : ''}`;
    act(c, dice);
  }
  // With the clock held, a level-triggered controller comes to rest: at worst a swap of every pod,
  // one pod per reconcile, takes 2 × replicas (see canary/replica-math.invariants.test.ts).
  const replicas = replicasOf(c.rollout.spec);
  if (replicas > 100) return undefined;
  const bound = 20 + 2 * replicas;
  for (let round = 0; round < bound; round++) {
    const plan = c.plans.at(-1);
    const problem = step(c, 'all', undefined, seed.router);
    if (problem) return `settling: ${problem}`;
    const last = c.plans.at(-1)!;
    const quiet =
      !last.createReplicaSet &&
      !last.rolloutAnnotations &&
      last.updateReplicaSets.length +
        last.deleteReplicaSets.length +
        last.updateServices.length +
        last.routeWrites.length ===
        0 &&
      last.createAnalysisRuns.length + last.terminateAnalysisRuns.length + last.deleteAnalysisRuns.length ===
        0 &&
      JSON.stringify(last.status) === JSON.stringify(plan?.status);
    if (quiet) return undefined;
  }
  return `no fixed point after ${bound} reconciles with the clock held`;
}

/** A spec that fails validation, applied over a healthy Rollout: Degraded, InvalidSpec, nothing touched. */
function refuse(rollout: Rollout, seed: Seed, errorPaths: string[]): string | undefined {
  const c = clusterFor(seed.rollout, seed);
  c.converge(30);
  for (let attempt = 0; attempt < 2; attempt++) {
    // decideRollout gets the broken spec itself, as the caches hold it (not a copy: it may be too
    // deep to copy); the rest of the snapshot is the healthy cluster's.
    const snapshot = {
      ...c.snapshot(),
      rollout: {
        ...c.rollout,
        spec: rollout.spec,
        metadata: { ...c.rollout.metadata, generation: (c.rollout.metadata.generation ?? 1) + 1 },
      },
    };
    const plan = decideRollout(snapshot, c.now);
    c.rollout.status = plan.status;
    const s = plan.status;
    const invalid = s.conditions?.find((x) => x.type === 'InvalidSpec');
    if (s.phase !== 'Degraded' || invalid?.status !== 'True')
      return `phase ${s.phase}, InvalidSpec ${invalid?.status}: ${s.message}`;
    const named = errorPaths.find((p) => p !== '' && !invalid.message?.includes(`${p}:`));
    if (named !== undefined && (invalid.message?.length ?? 0) < 1900)
      return `the InvalidSpec message does not name ${named}: ${invalid.message}`;
    const writes = [
      plan.createReplicaSet ? 'creates a ReplicaSet' : '',
      plan.updateReplicaSets.length ? `changes ${plan.updateReplicaSets.map((u) => u.name).join(', ')}` : '',
      plan.deleteReplicaSets.length ? 'deletes ReplicaSets' : '',
      plan.updateServices.length ? 'switches Services' : '',
      plan.createAnalysisRuns.length + plan.terminateAnalysisRuns.length + plan.deleteAnalysisRuns.length
        ? 'changes AnalysisRuns'
        : '',
      plan.deletePods.length ? 'deletes pods' : '',
    ].filter(Boolean);
    if (writes.length > 0) return `an invalid spec ${writes.join(', ')}`;
    const events = plan.events.map((e) => e.reason);
    const expected = attempt === 0 ? ['InvalidSpec'] : [];
    if (JSON.stringify(events) !== JSON.stringify(expected))
      return `events ${events.join(', ')} (attempt ${attempt})`;
  }
  return undefined;
}

test('every seed Rollout is valid and rolls out to Healthy', () => {
  const problems = SEEDS.flatMap((seed) => {
    const errors = validateObject(seed.rollout).findings.filter((f) => f.severity === 'error');
    if (errors.length > 0)
      return [`${seed.name}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`];
    const c = clusterFor(seed.rollout, seed);
    c.converge(30);
    return c.rollout.status?.phase === 'Healthy' ? [] : [`${seed.name}: ${c.rollout.status?.message}`];
  });
  expect(problems).toEqual([]);
});

test(`decideRollout never throws and keeps the safety invariants on ${CASES} mutated Rollouts`, () => {
  const failures: string[] = [];
  let valid = 0;
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const dice = new Dice(SEED + i);
    const seed = dice.pick(SEEDS);
    // Gentle mutations most of the time, so that many specs still validate and get rolled out.
    const options = dice.chance(0.6) ? { ops: GENTLE_OPS, count: 1 + dice.int(2) } : { ops: MUTATION_OPS };
    const { value, mutations } = mutate({ spec: seed.rollout.spec }, dice, options);
    const rollout = { ...structuredClone(seed.rollout), spec: (value as Partial<Rollout>)?.spec } as Rollout;
    const errors = validateObject(rollout).findings.filter((f) => f.severity === 'error');
    let problem: string | undefined;
    try {
      // The watch handlers route every Rollout by what it names, before anything validates it.
      referencedServices(rollout);
      referencedTemplateKeys(rollout);
      if (errors.length === 0) valid++;
      problem =
        errors.length === 0
          ? rollOut(rollout, seed, dice)
          : refuse(
              rollout,
              seed,
              errors.map((e) => e.path),
            );
    } catch (error) {
      const stack = (error as Error).stack ?? String(error);
      problem = `threw ${stack.split('\n').slice(0, 4).join('\n')}`;
    }
    if (problem) failures.push(`case ${i} (${seed.name}: ${describeMutations(mutations)}): ${problem}`);
  }
  expect(failures).toEqual([]);
  // Both kinds of case are exercised: the share of mutated specs that still validate.
  if (CASES >= 100) {
    expect(valid / CASES).toBeGreaterThan(0.2);
    expect(valid / CASES).toBeLessThan(0.8);
  }
});

test(`any part of the previous plan applied keeps the invariants, on ${CASES} Rollouts`, () => {
  // The controller may die, or a write fail, at any point of a plan: every reconcile must be right
  // from any mixture of applied and unapplied writes (issue #19). The seeds, gently mutated so that
  // they still validate, rolled out through plans that reach the cluster in part.
  const failures: string[] = [];
  let rolled = 0;
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const dice = new Dice(SEED ^ (0x5eed + i));
    const seed = dice.pick(SEEDS);
    const { value, mutations } = dice.chance(0.5)
      ? mutate({ spec: seed.rollout.spec }, dice, { ops: GENTLE_OPS, count: 1 })
      : { value: { spec: seed.rollout.spec }, mutations: [] };
    const rollout = { ...structuredClone(seed.rollout), spec: (value as Partial<Rollout>)?.spec } as Rollout;
    if (validateObject(rollout).findings.some((f) => f.severity === 'error')) continue;
    rolled++;
    let problem: string | undefined;
    try {
      problem = rollOut(rollout, seed, dice, true);
    } catch (error) {
      const stack = (error as Error).stack ?? String(error);
      problem = `threw ${stack.split('\n').slice(0, 4).join('\n')}`;
    }
    if (problem) failures.push(`case ${i} (${seed.name}: ${describeMutations(mutations)}): ${problem}`);
  }
  expect(failures).toEqual([]);
  expect(rolled).toBeGreaterThan(CASES / 2);
});
