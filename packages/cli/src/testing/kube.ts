// Helpers for the cluster verbs' tests (not used by the commands): an in-memory cluster with its
// workload simulator and the real controller running in this process, a kubeconfig file for it,
// Rollout builders, bounded waits, and runCli captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rollout } from '@ramp/api';
import { decideRollout, type RunningController, startController } from '@ramp/controller';
import { rolloutObject as kubeRolloutObject } from '@ramp/kube/testing';
import {
  type KubeObject,
  startTestCluster,
  type TestCluster,
  type TestClusterOptions,
  waitFor,
} from '@ramp/testkit';
import type { KubeDeps } from '../commands/cluster-verb';
import type { RolloutObj } from '../kube/model';
import { runCli } from '../program';

export { waitFor };

export const RO = 'argoproj.io/v1alpha1';

export interface Harness {
  cluster: TestCluster;
  /** The controller, unless the harness was started without it. */
  controller?: RunningController;
  kubeconfig: string;
  dir: string;
  /** Stops the controller and the cluster, removes the temp folder. */
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Run the real controller (default true); without it, tests write the status themselves. */
  controller?: boolean;
  /** Upstream CRDs to install (testkit's bundles: `gateway-api-experimental`, `smi`...). */
  crds?: TestClusterOptions['crds'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const cluster = await startTestCluster({
    simulator: true,
    readyDelayMs: 30,
    jobDurationMs: 50,
    ...(options.crds ? { crds: options.crds } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'ramp-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  cluster.writeKubeconfig(kubeconfig);
  const controller =
    options.controller === false
      ? undefined
      : await startController({
          kubeConfig: cluster.kubeConfig(),
          decide: decideRollout,
          qps: 1000,
          burst: 1000,
        });
  return {
    cluster,
    ...(controller ? { controller } : {}),
    kubeconfig,
    dir,
    async stop() {
      await controller?.stop(2000);
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `promise`, or a failure after `ms` (the timer cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates a namespace unless it exists. */
export function ensureNamespace(h: Harness, name: string): void {
  if (!h.cluster.store.get('v1', 'Namespace', name)) {
    h.cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
  }
}

export function rolloutObject(
  name: string,
  strategy: NonNullable<Rollout['spec']['strategy']>,
  extra: Partial<Rollout['spec']> = {},
  namespace = 'default',
): KubeObject {
  const rollout = kubeRolloutObject(name, { strategy, ...extra }, namespace);
  return { ...rollout, metadata: { name, namespace } } as unknown as KubeObject;
}

/** A canary with `steps` (default: setWeight 50 then a pause for a person). */
export const canary = (
  name: string,
  steps: unknown[] = [{ setWeight: 50 }, { pause: {} }],
  namespace?: string,
) => rolloutObject(name, { canary: { steps } } as NonNullable<Rollout['spec']['strategy']>, {}, namespace);

export const getRollout = (h: Harness, name: string, ns = 'default') =>
  h.cluster.store.get(RO, 'Rollout', name, ns) as unknown as RolloutObj | undefined;

/** Waits for the controller to report `phase` for the rollout's current spec. */
export function phaseIs(h: Harness, name: string, phase: string, timeoutMs = 5000, ns = 'default') {
  return waitFor(
    `rollout ${name} to be ${phase}`,
    () => {
      const ro = getRollout(h, name, ns);
      return (
        ro?.status?.phase === phase && ro.status.observedGeneration === String(ro.metadata.generation) && ro
      );
    },
    timeoutMs,
  );
}

/** Sets the image of the rollout's container `app` (the store's patch, as `kubectl set image` would). */
export function setImage(h: Harness, name: string, image: string): void {
  const ro = getRollout(h, name)!;
  const template = structuredClone(ro.spec.template!);
  template.spec!.containers[0]!.image = image;
  h.cluster.store.patch(RO, 'Rollout', name, 'default', { spec: { template } });
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * runCli in memory with the harness' kubeconfig (unless `h` is undefined), not a terminal; `onOut` sees
 * stdout as it comes (a watch's frames before the command ends).
 */
export async function kubectlRamp(
  h: Harness | undefined,
  args: string[],
  kube: KubeDeps = {},
  onOut: (text: string) => void = () => {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => {
      out += t;
      onOut(t);
    },
    err: (t: string) => (err += t),
    setExitCode: () => {},
  };
  const withConfig = h ? [...args, '--kubeconfig', h.kubeconfig] : args;
  const code = await runCli(withConfig, { io, kube: { tty: false, color: false, env: {}, ...kube } });
  return { code, out, err };
}

/**
 * Text made stable for a golden: each pod-template hash of `rollout` becomes `h<revision>`, pod suffixes
 * `xxxxx`, ages `AGE`, and runs of spaces two spaces (the widths move with the names and ages).
 */
export function normalise(h: Harness, rollout: string, text: string): string {
  let out = text;
  for (const rs of h.cluster.store.list('apps/v1', 'ReplicaSet', { namespace: 'default' })) {
    const hash = rs.metadata.labels?.['rollouts-pod-template-hash'];
    const revision = rs.metadata.annotations?.['rollout.argoproj.io/revision'];
    if (hash && rs.metadata.name === `${rollout}-${hash}`) out = out.replaceAll(hash, `h${revision}`);
  }
  return out
    .replace(/(-h\d+)-[a-z0-9]{5}\b/g, '$1-xxxxx')
    .replace(/\b\d+[smhdy](\d+[smhd])?\b/g, 'AGE')
    .replace(/(\S) {2,}/g, '$1  ')
    .replace(/ +$/gm, '');
}
