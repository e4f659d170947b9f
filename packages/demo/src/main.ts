#!/usr/bin/env node
// pnpm demo: a whole rollout on the in-memory cluster. A good version goes out step by step to
// 100%, then a version that rejects half its requests is caught by the analysis and rolled back.
// Prints what it sees as it happens, then a summary; exits 0 when Ramp did both jobs. With
// --gateway-api the same story goes through an HTTPRoute whose weights Ramp sets (demo-mode.ts).
import { resolve } from 'node:path';
import { KubeApiError, RESOURCES } from '@ramp/kube';
import { AbortTimeline } from './abort-timeline';
import { type DemoMode, GATEWAY_API_MODE, SEED_MODE } from './demo-mode';
import { ABORT_SCALE_DOWN_DELAY_SECONDS } from './gateway-manifests';
import { prometheusReady } from './judge';
import { describe, type Observed, observe } from './live-view';
import { imageOf, seedCanary, withImage } from './manifests';
import { type Stack, startStack } from './stack';

const started = Date.now();
const clock = () => {
  const s = Math.floor((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const say = (line: string) => process.stdout.write(`${line}\n`);

class DemoFailure extends Error {}

/** Polls until `done` holds, printing a line on every change; fails after `limitSeconds`. */
async function watchUntil(
  stack: Stack,
  mode: DemoMode,
  name: string,
  what: string,
  limitSeconds: number,
  done: (o: Observed) => boolean,
) {
  const deadline = Date.now() + limitSeconds * 1000;
  let last = '';
  for (;;) {
    const o = await observe(stack.client, name, mode.route);
    const line = describe(o);
    if (line !== last) say(`  [${clock()}] ${line}`);
    last = line;
    if (done(o)) return o;
    if (Date.now() > deadline)
      throw new DemoFailure(`${what} did not happen within ${limitSeconds}s (last: ${line})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Healthy on `image`, as observed by the controller for the current spec (not a status left from
 * before); with a route, once the route is back to the stable Service alone (the reconcile after
 * the promotion switches the stable Service, then takes the canary's weight back to 0).
 */
const healthyAt = (image: string) => (o: Observed) => {
  const r = o.rollout;
  const status = r?.status;
  return (
    !!r &&
    status?.observedGeneration === String(r.metadata.generation) &&
    status.phase === 'Healthy' &&
    imageOf(r) === image &&
    status.stableRS === status.currentPodHash &&
    (o.route === undefined || o.route.canary === 0)
  );
};

async function run(stack: Stack, mode: DemoMode): Promise<void> {
  const rollout = seedCanary();
  const name = rollout.metadata.name!;
  const good = imageOf(rollout);
  const repo = good.slice(0, good.lastIndexOf(':'));
  const judge = stack.prometheus ? { prometheus: stack.prometheus.url } : { web: stack.traffic.url };
  for (const { resource, object } of mode.objects(judge))
    await stack.client.create(resource, object, 'default');
  say(`\napplied     ${mode.applied}`);
  say(`\n1. First deploy of ${good}: no steps, straight to 5 pods`);
  await watchUntil(stack, mode, name, 'the first deploy', 60, healthyAt(good));
  if (stack.prometheus) await prometheusReady(stack.prometheus.url);

  const v2 = `${repo}:v2`;
  say(`\n2. A good version, ${v2}: 20%, pause 30s, 60%, pause 30s, 100%, judged all along by the analysis`);
  await stack.client.patch(RESOURCES.rollouts, name, withImage(v2), { namespace: 'default', type: 'json' });
  await watchUntil(stack, mode, name, `the rollout of ${v2}`, 120, healthyAt(v2));

  const v3 = `${repo}:v3-errors`;
  say(`\n3. A bad version, ${v3}, which rejects half of its requests`);
  await stack.client.patch(RESOURCES.rollouts, name, withImage(v3), { namespace: 'default', type: 'json' });
  let trafficAt: number | undefined;
  let mostPods = 0;
  const abort = new AbortTimeline();
  const aborted = await watchUntil(stack, mode, name, 'the automatic rollback', 150, (o) => {
    const canary = o.replicaSets.find((rs) => rs.spec.template.spec?.containers[0]?.image === v3);
    const routed = !mode.route || (o.route?.canary ?? 0) > 0;
    if (!trafficAt && routed && (canary?.status?.availableReplicas ?? 0) > 0) trafficAt = Date.now();
    mostPods = Math.max(mostPods, canary?.status?.availableReplicas ?? 0);
    abort.see(o, canary);
    const stable = o.replicaSets.find((rs) => rs.spec.template.spec?.containers[0]?.image === v2);
    return (
      !!o.rollout?.status?.abort &&
      (canary?.spec.replicas ?? 0) === 0 &&
      (stable?.status?.availableReplicas ?? 0) === 5
    );
  });
  const detection = trafficAt ? (((abort.aborted() ?? Date.now()) - trafficAt) / 1000).toFixed(0) : '?';
  say('\nSummary');
  say(`  ${good} deployed, then ${v2} rolled out to 100% through every step with the analysis passing.`);
  say(
    `  ${v3} reached ${mostPods} of 5 pods; the analysis failed it and Ramp aborted, ${detection}s after it first took traffic:`,
  );
  say(`    ${aborted.rollout?.status?.message ?? ''}`);
  if (mode.route) say(`  ${abort.routeOrder(ABORT_SCALE_DOWN_DELAY_SECONDS)}`);
  say(`  Traffic is back on ${v2} with all 5 pods; the bad ReplicaSet is scaled to 0.`);
  say(`  Whole demo: ${clock()} (mm:ss).`);
}

/** What to try on the cluster the demo leaves running (`--keep`). */
function tryIt(stack: Stack, mode: DemoMode, name: string): void {
  const bin = resolve(__dirname, '../../../bin');
  const repo = 'ghcr.io/kaikiat/fyp-ci';
  say('\nThe in-memory cluster and the controller keep running; Ctrl-C stops them. In another terminal:');
  say(`  export KUBECONFIG=${stack.kubeconfig}`);
  say(`  export PATH=${bin}:$PATH      # kubectl finds the kubectl-ramp plugin there`);
  say(`  kubectl ramp get rollout ${name}                       # the tree: revisions, pods, analysis runs`);
  say(`  kubectl ramp set image ${name} master=${repo}:v4   # a new version: 20%, pause 30s, 60%, ...`);
  say(`  kubectl ramp get rollout ${name} --watch`);
  if (mode.route)
    say(`  kubectl get httproute ${mode.route} -o yaml       # the weights Ramp sets on its backendRefs`);
  say(`  kubectl ramp promote ${name}                           # end a pause now (--full: skip the rest)`);
  say(`  kubectl ramp abort ${name}                             # traffic back to the stable`);
  say(`  kubectl ramp retry rollout ${name}`);
  say(`  kubectl ramp status ${name}                            # waits; exits non-zero when Degraded`);
  say(`Without kubectl, run ${bin}/kubectl-ramp with the same arguments.`);
}

/** Resolves on Ctrl-C (or SIGTERM). */
const interrupted = () =>
  new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });

const USAGE = `usage: pnpm demo [--gateway-api] [--keep]
  --gateway-api  the same story through a Gateway API HTTPRoute (the CRDs of Gateway API v1.6.1
                 installed): Ramp sets the weights of its stable and canary backendRefs step by
                 step, the traffic follows them, the analysis judges the canary's own pods, and
                 each line shows the route's weights
  --keep         at the end, keep the in-memory cluster and the controller running (Ctrl-C stops
                 them), and print the kubectl ramp commands to try on them`;

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep');
  const mode = argv.includes('--gateway-api') ? GATEWAY_API_MODE : SEED_MODE;
  const unknown = argv.filter((a) => a !== '--keep' && a !== '--gateway-api');
  if (unknown.length > 0) {
    process.stderr.write(
      `${unknown.includes('--help') || unknown.includes('-h') ? '' : `unknown argument: ${unknown[0]}\n`}${USAGE}\n`,
    );
    return unknown.includes('--help') || unknown.includes('-h') ? 0 : 2;
  }
  say(
    `Ramp demo: progressive delivery on an in-memory Kubernetes cluster${mode.route ? ', through a Gateway API HTTPRoute' : ''}\n`,
  );
  let stack: Stack | undefined;
  let stopping = false;
  let kept = false;
  const onSignal = () => {
    if (kept) return; // the wait below ends, and the stack stops in order
    if (stopping) process.exit(130);
    stopping = true;
    say('\ninterrupted: stopping everything the demo started...');
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    stack = await startStack(say, mode);
    await run(stack, mode);
    if (!keep) {
      const again = mode.route ? 'pnpm demo --gateway-api --keep' : 'pnpm demo --keep';
      say(`\nRun \`${again}\` to keep the cluster running at the end and try kubectl ramp on it.`);
      return 0;
    }
    kept = true;
    tryIt(stack, mode, seedCanary().metadata.name!);
    await interrupted();
    say('\nstopping everything the demo started...');
    return 0;
  } catch (e) {
    const message =
      e instanceof KubeApiError || e instanceof DemoFailure || e instanceof Error ? e.message : String(e);
    process.stderr.write(`\ndemo failed: ${message}\n`);
    return 1;
  } finally {
    if (!stopping) await stack?.stop();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
