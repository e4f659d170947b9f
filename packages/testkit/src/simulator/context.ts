/** What the simulator's parts share: the store, the clock, the settings, the seeded PRNG, the work queue. */

import type { Logger } from '../logger';
import { mulberry32 } from '../prng';
import { ApiError } from '../semantics/status';
import type { ClusterStore } from '../store/cluster-store';
import type { SimulatorClock } from './clock';
import { type BadImageRule, badImagePredicate } from './rules';

export interface SimulatorOptions {
  /** How long a pod takes from creation to Running and Ready. Default 100 ms (the CLI: 1000 ms). */
  readyDelayMs?: number;
  /** How long a run-to-completion pod (a Job's) runs once started. Default 100 ms (the CLI: 1000 ms). */
  jobDurationMs?: number;
  /** Interval between restarts of a crashing container. Default max(readyDelayMs, 1000). */
  crashRestartMs?: number;
  /** Images that never become ready, in addition to tags ending in `bad`; or a predicate replacing the rule. */
  badImage?: BadImageRule;
  /** Seed of the PRNG for pod names and IPs. Default 1. */
  seed?: number;
  /** Interval of the full resync (every ReplicaSet, Job and Pod is looked at). Default 5000 ms; 0: never. */
  resyncMs?: number;
  /** Where time comes from. Default: the real clock (one unref'd setTimeout). */
  clock?: SimulatorClock;
  logger?: Logger;
}

export interface Settings {
  readyDelayMs: number;
  jobDurationMs: number;
  crashRestartMs: number;
  resyncMs: number;
}

export function settingsOf(options: SimulatorOptions): Settings {
  const readyDelayMs = Math.max(0, options.readyDelayMs ?? 100);
  return {
    readyDelayMs,
    jobDurationMs: Math.max(0, options.jobDurationMs ?? 100),
    crashRestartMs: Math.max(1, options.crashRestartMs ?? Math.max(readyDelayMs, 1000)),
    resyncMs: Math.max(0, options.resyncMs ?? 5000),
  };
}

export type WorkKind = 'pod' | 'rs' | 'job';

/** The alphabet of generated name suffixes (the real one: no vowels, no 0/1/3). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class SimContext {
  readonly settings: Settings;
  isBad: (image: string) => boolean;
  private random: () => number;
  private seq = 0;
  private readonly createdSeq = new Map<string, number>();

  constructor(
    readonly store: ClusterStore,
    readonly clock: SimulatorClock,
    options: SimulatorOptions,
    readonly enqueue: (kind: WorkKind, namespace: string, name: string) => void,
    readonly logger?: Logger,
  ) {
    this.settings = settingsOf(options);
    this.isBad = badImagePredicate(options.badImage);
    this.random = mulberry32(options.seed ?? 1);
  }

  setBadImageRule(rule: BadImageRule | undefined): void {
    this.isBad = badImagePredicate(rule);
  }

  /** Five characters from the seeded PRNG, as a generateName suffix. */
  suffix(): string {
    let out = '';
    for (let i = 0; i < 5; i++) out += ALPHABET[Math.floor(this.random() * ALPHABET.length)];
    return out;
  }

  /** A fake pod IP in 10.244.0.0/16 (never contacted). */
  podIP(): string {
    return `10.244.${Math.floor(this.random() * 256)}.${2 + Math.floor(this.random() * 252)}`;
  }

  /** Remembers the order in which the simulator created pods (ties of creationTimestamp, in seconds). */
  noteCreated(uid: string | undefined): void {
    if (uid) this.createdSeq.set(uid, ++this.seq);
  }

  createdOrder(uid: string | undefined): number {
    return (uid && this.createdSeq.get(uid)) || 0;
  }

  forget(uid: string | undefined): void {
    if (uid) this.createdSeq.delete(uid);
  }

  /**
   * An error while reconciling: logged, never thrown out of a timer. Refusals the API may well answer (a
   * terminating namespace, an object gone meanwhile) are logged at debug level, anything else as a warning.
   */
  report(what: string, err: unknown): void {
    const line = `simulator: ${what}: ${err instanceof Error ? err.message : String(err)}`;
    if (err instanceof ApiError && [403, 404, 409].includes(err.code)) this.logger?.debug(line);
    else this.logger?.warn(line);
  }
}
