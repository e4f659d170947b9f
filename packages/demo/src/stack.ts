// Starts what the demo runs on, in this process: the in-memory cluster with its workload
// simulator (and the mode's upstream CRDs), the controller, the traffic app (over the ready pods,
// or following the mode's route), and Prometheus when it is installed. stop() ends them all, in
// reverse order, also on Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideRollout, type RunningController, startController } from '@ramp/controller';
import { KubeClient } from '@ramp/kube';
import {
  findPrometheusBinary,
  startPrometheus,
  startTestCluster,
  startTrafficApp,
  type TestCluster,
  type TrafficApp,
} from '@ramp/testkit';
import type { DemoMode } from './demo-mode';

export interface Stack {
  cluster: TestCluster;
  client: KubeClient;
  controller: RunningController;
  traffic: TrafficApp;
  prometheus?: { url: string; stop(): Promise<void> };
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startStack(say: (line: string) => void, mode: DemoMode): Promise<Stack> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => {});
    stops.length = 0;
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), 'ramp-demo-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const cluster = await startTestCluster({
      simulator: true,
      readyDelayMs: 800,
      logLevel: 'warn',
      ...(mode.crds.length > 0 ? { crds: mode.crds } : {}),
    });
    stops.push(() => cluster.stop());
    const kubeconfig = join(dir, 'kubeconfig');
    cluster.writeKubeconfig(kubeconfig);
    say(`cluster     in-memory API server at ${cluster.url} (kubeconfig: ${kubeconfig})`);
    const client = new KubeClient(cluster.kubeConfig());
    stops.push(() => client.close());
    if (mode.setup) {
      for (const { resource, object } of mode.setup.objects) await client.create(resource, object, 'default');
      say(mode.setup.say);
    }
    const controller = await startController({ kubeConfig: cluster.kubeConfig(), decide: decideRollout });
    stops.push(() => controller.stop(5000).then(() => undefined));
    say('controller  ramp-controller running, caches synced');
    const traffic = await startTrafficApp({
      kubeConfig: cluster.kubeConfig(),
      namespace: 'default',
      ...mode.traffic,
      requestsPerSecond: 100,
    });
    stops.push(() => traffic.close());
    say(
      'route' in mode.traffic
        ? `traffic     100 requests/s the way ${traffic.status().following} routes them (its weights, then each Service's ready pods); a version tagged *-errors rejects 50% (${traffic.url}/metrics)`
        : `traffic     100 requests/s over the ready pods; a version tagged *-errors rejects 50% (${traffic.url}/metrics)`,
    );
    let prometheus: Stack['prometheus'];
    if (findPrometheusBinary()) {
      const p = await startPrometheus({ scrapeTargets: [traffic.target], scrapeIntervalSeconds: 1 });
      stops.push(() => p.stop());
      prometheus = { url: p.url, stop: () => p.stop() };
      say(`prometheus  ${p.url}, scraping the traffic app every second`);
    } else {
      say(
        'prometheus  not installed (apt-get install -y prometheus): judging through the web provider against the traffic app instead',
      );
    }
    return { cluster, client, controller, traffic, ...(prometheus ? { prometheus } : {}), kubeconfig, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
