// Real processes: two ramp-controller replicas on one Lease; the leader is SIGKILLed mid-rollout, the
// standby takes over within the lease duration and finishes; SIGTERM then releases the lease at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@ramp/testkit';
import { ControllerProcess } from '../testing/operations/controller-process';
import {
  canaryRollout,
  createRollout,
  getRollout,
  setImage,
  startWorld,
  type World,
  waitDone,
} from '../testing/operations/world';
import { LEASE_NAME, type Lease } from './lease';

jest.setTimeout(60_000);
const ELECTION = [
  '--leader-election-lease-duration=2s',
  '--leader-election-renew-deadline=1500ms',
  '--leader-election-retry-period=400ms',
];
let world: World;
let dir: string;
const processes: ControllerProcess[] = [];

beforeAll(async () => {
  world = await startWorld();
  dir = mkdtempSync(join(tmpdir(), 'ramp-failover-'));
  world.cluster.writeKubeconfig(join(dir, 'kubeconfig'));
});

afterAll(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exit(5000)));
  await world.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startProcess(): ControllerProcess {
  const args = ['--kubeconfig', join(dir, 'kubeconfig'), '--metrics-port=0', '--health-port=0', ...ELECTION];
  const p = ControllerProcess.start(args, { POD_NAMESPACE: 'default' });
  processes.push(p);
  return p;
}

const lease = () =>
  world.cluster.store.get('coordination.k8s.io/v1', 'Lease', LEASE_NAME, 'default') as unknown as
    | Lease
    | undefined;

test('SIGKILL the leader: the standby takes over within the lease duration and finishes; SIGTERM releases the lease', async () => {
  const a = startProcess();
  const aId = await a.identity();
  await a.line('a to lead', (l) => l.msg === 'became the leader');
  const b = startProcess();
  const bId = await b.identity();
  const health = `http://127.0.0.1:${await b.healthPort()}`;
  await waitFor('b to be ready as a standby', async () => (await fetch(`${health}/readyz`)).status === 200);
  expect(lease()?.spec?.holderIdentity).toBe(aId);

  createRollout(
    world,
    canaryRollout('failover', 'failover:1', { steps: [{ setWeight: 50 }, { pause: { duration: '3s' } }] }),
  );
  await waitDone(world, 'failover', 'failover:1');
  await setImage(world, 'failover', 'failover:2');
  await waitFor(
    'the pause',
    () => (getRollout(world, 'failover')?.status?.pauseConditions?.length ?? 0) > 0,
    10_000,
  );

  const killedAt = Date.now();
  a.kill('SIGKILL');
  expect((await a.exit()).signal).toBe('SIGKILL');
  await waitFor('b to take the lease', () => lease()?.spec?.holderIdentity === bId, 10_000);
  const takeover = Date.now() - killedAt;
  // the lease duration (2 s) from b's last sight of a renewal, plus at most one jittered retry (2.2 × 400 ms), plus slack for a loaded machine
  expect(takeover).toBeLessThan(2000 + 880 + 2000);
  expect(lease()?.spec?.leaseTransitions).toBe(1);
  await waitDone(world, 'failover', 'failover:2', 15_000);
  const metricsUrl = `http://127.0.0.1:${await b.metricsPort()}/metrics`;
  const completed =
    'rollout_info{namespace="default",name="failover",strategy="canary",traffic_router="",phase="Completed"} 1';
  const metrics = await waitFor('b to report the rollout completed', async () => {
    const text = await (await fetch(metricsUrl)).text();
    return text.includes(completed) ? text : undefined;
  });
  expect(metrics).toContain(`leader_election_master_status{name="${LEASE_NAME}"} 1`);

  b.kill('SIGTERM');
  expect(await b.exit()).toEqual({ code: 0, signal: null });
  expect(lease()?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  expect(b.lines.map((l) => l.msg)).toEqual(
    expect.arrayContaining(['became the leader', 'stopping', 'released the leader lease', 'stopped']),
  );
  expect(b.lines.filter((l) => l.unparsed)).toEqual([]);
});
