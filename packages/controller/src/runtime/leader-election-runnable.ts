// Leader election as a runnable of the controller's group: a LeaderElector on its own client (lease
// renewals never wait behind the controllers' rate limit). Starting it begins trying for the lease;
// stopping it releases the lease (after the workers stopped); a crash releases nothing.
import type { KubeConfig } from '@kubernetes/client-node';
import { type Clock, KubeClient, type Log, type RequestRecord } from '@ramp/kube';
import { type LeaderElectionTimings, LeaderElector } from '../operations/leader-election';
import type { Runnable } from './runnable-group';

export interface LeaderElectionConfig extends Partial<LeaderElectionTimings> {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease (argo-rollouts-controller-lock, suffixed with the instance id). */
  name: string;
  /** This replica's identity (default hostname_uuid). */
  identity?: string;
}

export interface LeaderElectionRunnableOptions {
  config: LeaderElectionConfig;
  kubeConfig: KubeConfig;
  clock: Clock;
  random?: () => number;
  log: Log;
  onRequest: (record: RequestRecord) => void;
  /** This replica became the leader. */
  onLeading(): void;
  /** This replica lost the lease (for good). */
  onLost(reason: string): void;
}

export class LeaderElectionRunnable implements Runnable {
  readonly name = 'leader election';
  readonly client: KubeClient;
  readonly elector: LeaderElector;
  /** Resolves with the reason when the lease is lost (never when it is released or on a crash). */
  readonly lost: Promise<string>;

  constructor(options: LeaderElectionRunnableOptions) {
    const { config, clock } = options;
    this.client = new KubeClient(options.kubeConfig, {
      qps: 10,
      burst: 20,
      clock,
      onRequest: options.onRequest,
      timeoutMs: Math.max(1000, (config.renewDeadlineMs ?? 10_000) / 2),
    });
    let lose: (reason: string) => void = () => {};
    this.lost = new Promise<string>((resolve) => {
      lose = resolve;
    });
    this.elector = new LeaderElector({
      ...config,
      client: this.client,
      clock,
      random: options.random,
      log: options.log,
      onStartedLeading: options.onLeading,
      onStoppedLeading: (reason) => {
        options.onLost(reason);
        lose(reason);
      },
    });
  }

  start(): void {
    this.elector.start();
  }

  /** Hands the lease over when this replica holds it. */
  async stop(): Promise<void> {
    await this.elector.release();
  }

  crash(): void {
    this.elector.crash();
  }
}
