// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics: a standby tries every
// retry period (jittered) and takes the lease when it is free or its holder has not renewed it for the
// lease duration (measured on this replica's clock, from when it last saw the lease change); the leader
// renews every retry period and gives up when it could not renew within the renew deadline or sees
// another holder. Losing is final (the process exits and comes back as a standby). `release()` hands the
// lease over at once (holderIdentity cleared, leaseDurationSeconds 1, as client-go's ReleaseOnCancel).
// `isLeader()` is what fences writes: false once the renew deadline has passed, even before a timer fires.

import {
  type Clock,
  errorFields,
  isNotFound,
  type KubeClient,
  type Log,
  realClock,
  silentLog,
} from '@ramp/kube';
import { defaultIdentity, LEASES, type Lease, type LeaseSpec, microTime } from './lease';

export interface LeaderElectionTimings {
  /** How long a standby waits after the last renewal it saw before taking over (default 15 s). */
  leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up (default 10 s). */
  renewDeadlineMs: number;
  /** Time between attempts (default 2 s). */
  retryPeriodMs: number;
}

export const DEFAULT_TIMINGS: LeaderElectionTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** client-go's jitter of a standby's retries: each wait is retryPeriod × (1 + random × 1.2). */
export const JITTER_FACTOR = 1.2;

/** What is wrong with the timings (client-go's rules), or undefined. */
export function timingsProblem(t: LeaderElectionTimings): string | undefined {
  if (t.leaseDurationMs < 1000) return 'the lease duration must be at least 1s';
  if (t.leaseDurationMs <= t.renewDeadlineMs)
    return 'the lease duration must be longer than the renew deadline';
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs) {
    return `the renew deadline must be longer than ${JITTER_FACTOR} × the retry period`;
  }
  if (t.retryPeriodMs <= 0) return 'the retry period must be above 0';
  return undefined;
}

/** A write refused because this replica does not hold the lease (any more). */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
}

export interface LeaderElectorOptions extends Partial<LeaderElectionTimings> {
  /** A client of its own (not the controllers' fenced, rate-limited one). */
  client: KubeClient;
  namespace: string;
  name: string;
  identity?: string;
  clock?: Clock;
  random?: () => number;
  log?: Log;
  onStartedLeading?(): void;
  /** Leadership is lost (not called by release() or crash()). */
  onStoppedLeading?(reason: string): void;
  onNewLeader?(identity: string): void;
}

export type ElectorState = 'idle' | 'standby' | 'leading' | 'stopped';
type Attempt = 'acquired' | 'held' | 'failed';

export class LeaderElector {
  readonly identity: string;
  readonly timings: LeaderElectionTimings;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Log;
  private current: ElectorState = 'idle';
  private observed: { spec: LeaseSpec; json: string; at: number } | undefined;
  private renewedAt = Number.NEGATIVE_INFINITY;
  private contactAt: number | undefined;
  private cancelTick: (() => void) | undefined;
  private cancelDeadline: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private leader: string | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.timings = {
      leaseDurationMs: options.leaseDurationMs ?? DEFAULT_TIMINGS.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_TIMINGS.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? DEFAULT_TIMINGS.retryPeriodMs,
    };
    const problem = timingsProblem(this.timings);
    if (problem) throw new Error(`leader election: ${problem}`);
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.log = (options.log ?? silentLog).child({ lease: `${options.namespace}/${options.name}` });
  }

  get state(): ElectorState {
    return this.current;
  }

  /** The holder this replica last saw (itself included). */
  get currentLeader(): string | undefined {
    return this.leader;
  }

  /** Starts trying to acquire the lease. */
  start(): void {
    if (this.current !== 'idle') return;
    this.current = 'standby';
    this.log.info({ identity: this.identity }, 'attempting to acquire the leader lease');
    this.schedule(0);
  }

  /** True while this replica leads and its last renewal is younger than the renew deadline. */
  isLeader(): boolean {
    return this.current === 'leading' && this.clock.now() < this.renewedAt + this.timings.renewDeadlineMs;
  }

  /** Throws NotLeaderError unless this replica leads (a KubeClient writeGuard). */
  readonly guard = (req?: { method: string; path: string }): void => {
    if (!this.isLeader()) {
      const what = req ? `${req.method} ${req.path}` : 'the write';
      throw new NotLeaderError(`${what} refused: this replica does not hold the leader lease`);
    }
  };

  /** The API server answered about the lease within the lease duration (readiness of a standby). */
  inContact(): boolean {
    return this.contactAt !== undefined && this.clock.now() - this.contactAt <= this.timings.leaseDurationMs;
  }

  /** Stops, and hands the lease over when this replica holds it; resolves true when it was released. */
  async release(): Promise<boolean> {
    const wasLeading = this.current === 'leading';
    this.halt();
    await this.inFlight;
    if (!wasLeading) return false;
    const { client, name, namespace } = this.options;
    try {
      const lease = await client.get<Lease>(LEASES, name, namespace);
      if (lease.spec?.holderIdentity !== this.identity) return false;
      const now = microTime(this.clock.now());
      const spec: LeaseSpec = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: lease.spec.leaseTransitions ?? 0,
      };
      await client.replace<Lease>(LEASES, { ...lease, spec });
      this.log.info({ identity: this.identity }, 'released the leader lease');
      return true;
    } catch (err) {
      this.log.warn(errorFields(err), 'could not release the leader lease; it expires by itself');
      return false;
    }
  }

  /** Resolves when no attempt is in flight (tests driving a fake clock). */
  async whenIdle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Test hook for a SIGKILL: stops at once, renewing nothing and releasing nothing. */
  crash(): void {
    this.halt();
  }

  private halt(): void {
    this.current = 'stopped';
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.cancelDeadline?.();
    this.cancelDeadline = undefined;
  }

  private schedule(ms: number): void {
    this.cancelTick?.();
    this.cancelTick = this.clock.setTimer(ms, () => this.tick());
  }

  private tick(): void {
    this.cancelTick = undefined;
    if (this.current === 'stopped') return;
    const sentAt = this.clock.now();
    const attempt = this.tryAcquireOrRenew(sentAt).catch((err: unknown): Attempt => {
      this.log.debug(errorFields(err), 'leader lease attempt failed');
      return 'failed';
    });
    this.inFlight = attempt.then((result) => {
      this.inFlight = undefined;
      this.afterAttempt(result, sentAt);
    });
  }

  private afterAttempt(result: Attempt, sentAt: number): void {
    if (this.current === 'stopped') return;
    const { retryPeriodMs, renewDeadlineMs } = this.timings;
    if (result === 'acquired') {
      this.renewedAt = sentAt;
      this.armDeadline();
      this.schedule(retryPeriodMs);
      if (this.current === 'standby') {
        this.current = 'leading';
        this.log.info({ identity: this.identity }, 'became the leader');
        this.options.onStartedLeading?.();
      }
      return;
    }
    if (this.current === 'leading') {
      if (result === 'held') {
        this.lose(`the lease is held by ${this.leader ?? 'another replica'}`);
      } else if (this.clock.now() >= this.renewedAt + renewDeadlineMs) {
        this.lose('the lease could not be renewed within the renew deadline');
      } else {
        this.schedule(retryPeriodMs);
      }
      return;
    }
    this.schedule(retryPeriodMs * (1 + this.random() * JITTER_FACTOR));
  }

  private armDeadline(): void {
    this.cancelDeadline?.();
    const left = this.renewedAt + this.timings.renewDeadlineMs - this.clock.now();
    this.cancelDeadline = this.clock.setTimer(left, () => {
      this.cancelDeadline = undefined;
      if (this.current === 'leading' && !this.isLeader()) {
        this.lose('the lease could not be renewed within the renew deadline');
      }
    });
  }

  private lose(reason: string): void {
    this.halt();
    this.log.error({ identity: this.identity, reason }, 'lost the leader lease');
    this.options.onStoppedLeading?.(reason);
  }

  private async tryAcquireOrRenew(now: number): Promise<Attempt> {
    const { client, name, namespace } = this.options;
    let lease: Lease;
    try {
      lease = await client.get<Lease>(LEASES, name, namespace);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.contactAt = this.clock.now();
      const fresh: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: this.record(now, undefined),
      };
      this.observe(await client.create<Lease>(LEASES, fresh, namespace));
      return 'acquired';
    }
    this.contactAt = this.clock.now();
    this.observe(lease);
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseSeconds()) * 1000;
    if (holder && holder !== this.identity && (this.observed?.at ?? 0) + durationMs > this.clock.now()) {
      return 'held';
    }
    if (this.current === 'stopped') return 'failed';
    this.observe(await client.replace<Lease>(LEASES, { ...lease, spec: this.record(now, spec) }));
    return 'acquired';
  }

  private leaseSeconds(): number {
    return Math.max(1, Math.round(this.timings.leaseDurationMs / 1000));
  }

  private record(now: number, old: LeaseSpec | undefined): LeaseSpec {
    const mine = old?.holderIdentity === this.identity;
    const transitions = old?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.leaseSeconds(),
      acquireTime: mine && old?.acquireTime ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: old === undefined ? 0 : mine ? transitions : transitions + 1,
    };
  }

  private observe(lease: Lease): void {
    const spec = lease.spec ?? {};
    const json = JSON.stringify(spec);
    if (json !== this.observed?.json) this.observed = { spec, json, at: this.clock.now() };
    const holder = spec.holderIdentity;
    if (holder && holder !== this.leader) {
      this.leader = holder;
      if (holder !== this.identity) this.log.info({ leader: holder }, 'new leader elected');
      this.options.onNewLeader?.(holder);
    }
  }
}
