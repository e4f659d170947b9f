import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stored } from '@ramp/kube/testing';
import { waitFor } from '@ramp/testkit';
import { find, type PromSample, parsePromText, sampleValue } from '../testing/operations/prom-text';
import {
  canaryRollout,
  createRollout,
  getRollout,
  RO,
  setImage,
  startTestController,
  startWorld,
  type TestController,
  type World,
  waitDone,
  webTemplate,
} from '../testing/operations/world';
import { type OperationsServers, startOperationsServers } from './http-servers';
import { CONTROLLER_PERMISSIONS, grantOfRequest, grants } from './rbac';

jest.setTimeout(30_000);
let world: World;
let ctl: TestController;
let servers: OperationsServers;
let latency = 20;
let metricServer: Server;

beforeAll(async () => {
  world = await startWorld();
  metricServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ latency }));
  });
  await new Promise<void>((resolve) => metricServer.listen(0, '127.0.0.1', resolve));
  ctl = startTestController(world);
  ctl.running.metrics.collectProcessMetrics();
  servers = await startOperationsServers({
    metrics: ctl.running.metrics,
    health: { notReady: ctl.running.notReady },
    metricsPort: 0,
    healthPort: 0,
    host: '127.0.0.1',
  });
  await ctl.running.ready;
});

afterAll(async () => {
  await ctl.running.stop(2000);
  await servers.close();
  metricServer.closeAllConnections();
  await new Promise((resolve) => metricServer.close(resolve));
  await world.stop();
});

async function scrape(): Promise<PromSample[]> {
  const res = await fetch(`http://127.0.0.1:${servers.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parsePromText(await res.text());
}

const shop = { namespace: 'default', name: 'shop' };

test('health: /healthz alive, /readyz ready once the caches synced (no election: always leading)', async () => {
  const base = `http://127.0.0.1:${servers.healthPort}`;
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect([ready.status, await ready.text()]).toEqual([200, 'ok\n']);
  expect((await fetch(`${base}/nope`)).status).toBe(404);
  expect((await fetch(`http://127.0.0.1:${servers.metricsPort}/healthz`)).status).toBe(404);
});

test("a rollout through an analysis step: Argo's metric names and values", async () => {
  const url = `http://127.0.0.1:${(metricServer.address() as AddressInfo).port}/`;
  world.cluster.store.create(stored(webTemplate('lat', url)));
  const steps = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'lat' }] } }];
  createRollout(world, canaryRollout('shop', 'shop:1', { steps }));
  await waitDone(world, 'shop', 'shop:1');
  await setImage(world, 'shop', 'shop:2');
  await waitDone(world, 'shop', 'shop:2');
  const done = { ...shop, type: 'Normal', reason: 'RolloutCompleted' };
  // the status is written before the events, and the caches follow the server: wait for both
  const s = await waitFor('the scrape to show the completed update', async () => {
    const samples = await scrape();
    const completed = sampleValue(samples, 'rollout_info', { ...shop, phase: 'Completed' }) === 1;
    // RolloutCompleted twice: the first deploy ("Initial deploy"), then the update, as Argo records them
    return completed && (sampleValue(samples, 'rollout_events_total', done) ?? 0) >= 2 ? samples : undefined;
  });
  expect(
    sampleValue(s, 'rollout_info', { ...shop, strategy: 'canary', traffic_router: '', phase: 'Completed' }),
  ).toBe(1);
  expect(sampleValue(s, 'rollout_info_replicas_desired', shop)).toBe(2);
  expect(sampleValue(s, 'rollout_info_replicas_available', shop)).toBe(2);
  expect(sampleValue(s, 'rollout_info_replicas_unavailable', shop)).toBe(0);
  expect(sampleValue(s, 'rollout_info_replicas_updated', shop)).toBe(2);
  expect(
    find(s, 'rollout_phase', shop)
      .map((x) => `${x.labels.phase}=${x.value}`)
      .sort(),
  ).toEqual(['Abort=0', 'Completed=1', 'Error=0', 'Paused=0', 'Progressing=0', 'Timeout=0']);
  expect(sampleValue(s, 'rollout_reconcile_count', shop)).toBeGreaterThan(2);
  expect(sampleValue(s, 'rollout_reconcile_bucket', { ...shop, le: '+Inf' })).toBeGreaterThan(2);
  expect(sampleValue(s, 'rollout_reconcile_error', shop) ?? 0).toBe(0);
  const events = { ...shop, type: 'Normal' };
  expect(sampleValue(s, 'rollout_events_total', { ...events, reason: 'RolloutCompleted' })).toBe(2);
  expect(
    sampleValue(s, 'rollout_events_total', { ...events, reason: 'RolloutStepCompleted' }),
  ).toBeGreaterThanOrEqual(2);
  const [run] = find(s, 'analysis_run_info', { namespace: 'default', phase: 'Successful' });
  const id = { namespace: 'default', name: run!.labels.name! };
  const m = { ...id, metric: 'latency' };
  expect(sampleValue(s, 'analysis_run_phase', { ...id, phase: 'Successful' })).toBe(1);
  expect(sampleValue(s, 'analysis_run_phase', { ...id, phase: 'Running' })).toBe(0);
  expect(sampleValue(s, 'analysis_run_metric_type', { ...m, type: 'Web' })).toBe(1);
  expect(
    sampleValue(s, 'analysis_run_metric_phase', { ...m, type: 'Web', dry_run: 'false', phase: 'Successful' }),
  ).toBe(1);
  expect(sampleValue(s, 'analysis_run_metric_value', m)).toBe(20);
  expect(sampleValue(s, 'analysis_run_metric_limit', { ...m, limit: 'failure' })).toBe(1);
  expect(sampleValue(s, 'analysis_run_metric_limit', { ...m, limit: 'consecutive_error' })).toBe(4);
  expect(sampleValue(s, 'analysis_run_metric_count', { ...m, result: 'successful' })).toBe(2);
  expect(sampleValue(s, 'analysis_run_metric_count', { ...m, result: 'failed' })).toBe(0);
  expect(sampleValue(s, 'analysis_run_reconcile_count', id)).toBeGreaterThan(0);
  // the work queues, the client, the process
  expect(sampleValue(s, 'workqueue_adds_total', { name: 'Rollouts' })).toBeGreaterThan(2);
  expect(sampleValue(s, 'workqueue_adds_total', { name: 'AnalysisRuns' })).toBeGreaterThan(0);
  expect(sampleValue(s, 'workqueue_depth', { name: 'Rollouts' })).toBeGreaterThanOrEqual(0);
  expect(sampleValue(s, 'workqueue_queue_duration_seconds_count', { name: 'Rollouts' })).toBeGreaterThan(2);
  expect(sampleValue(s, 'workqueue_work_duration_seconds_count', { name: 'AnalysisRuns' })).toBeGreaterThan(
    0,
  );
  expect(
    sampleValue(s, 'workqueue_longest_running_processor_seconds', { name: 'Rollouts' }),
  ).toBeGreaterThanOrEqual(0);
  const statusPatches = { kind: 'rollouts', ...shop, verb: 'Patch', status_code: '200' };
  expect(sampleValue(s, 'controller_clientset_k8s_request_total', statusPatches)).toBeGreaterThan(2);
  expect(
    sampleValue(s, 'controller_clientset_k8s_request_total', {
      kind: 'replicasets',
      verb: 'Create',
      name: 'N/A',
    }),
  ).toBe(2);
  expect(sampleValue(s, 'leader_election_master_status', { name: 'none' })).toBe(1);
  expect(find(s, 'ramp_controller_info')).toHaveLength(1);
  expect(sampleValue(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(find(s, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
});

test('an analysis that fails: the dashboard shows the value, the limit and the failed count, and the abort', async () => {
  latency = 500;
  await setImage(world, 'shop', 'shop:3');
  await waitFor('the abort', () => getRollout(world, 'shop')?.status?.abort === true, 10_000);
  await waitFor('the abort to settle', async () => {
    const s = await scrape();
    return sampleValue(s, 'rollout_info', { ...shop, phase: 'Abort' }) === 1;
  });
  const s = await scrape();
  const [run] = find(s, 'analysis_run_info', { namespace: 'default', phase: 'Failed' });
  const m = { namespace: 'default', name: run!.labels.name!, metric: 'latency' };
  expect(sampleValue(s, 'analysis_run_metric_value', m)).toBe(500);
  expect(sampleValue(s, 'analysis_run_metric_limit', { ...m, limit: 'failure' })).toBe(1);
  expect(sampleValue(s, 'analysis_run_metric_count', { ...m, result: 'failed' })).toBe(2);
  expect(
    sampleValue(s, 'analysis_run_metric_phase', { ...m, type: 'Web', dry_run: 'false', phase: 'Failed' }),
  ).toBe(1);
  expect(sampleValue(s, 'rollout_phase', { ...shop, phase: 'Abort' })).toBe(1);
  expect(sampleValue(s, 'rollout_events_total', { ...shop, type: 'Warning', reason: 'RolloutAborted' })).toBe(
    1,
  );
  expect(
    sampleValue(s, 'rollout_events_total', { ...shop, type: 'Warning', reason: 'AnalysisRunFailed' }),
  ).toBe(1);
});

test("a deleted Rollout's series go, with its AnalysisRuns'", async () => {
  const before = await scrape();
  const runs = find(before, 'analysis_run_info', { namespace: 'default' }).map((r) => r.labels.name);
  expect(runs.length).toBeGreaterThan(0);
  world.cluster.store.delete(RO, 'Rollout', 'shop', 'default');
  await waitFor(
    'the series to go',
    async () => {
      const s = await scrape();
      return s.every((x) => x.labels.name !== 'shop' && !runs.includes(x.labels.name)) ? s : undefined;
    },
    10_000,
  );
});

test('every request of the run is granted by the RBAC table (and nothing the code never asks for)', () => {
  const table = grants(CONTROLLER_PERMISSIONS);
  const asked = new Set(ctl.requests.records.map((r) => grantOfRequest(r.method, r.path, r.watch === true)));
  expect([...asked].filter((g) => !table.has(g))).toEqual([]);
});
