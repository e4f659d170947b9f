/** The bounded history of changes (like etcd's, compacted) and the fan-out of new changes to watchers. */
import type { KubeObject, WatchEventType } from '../types';

export interface StoreEvent {
  /** The resourceVersion this change was written at. */
  rv: number;
  type: WatchEventType;
  /** Resource key, `plural.group` (`rollouts.argoproj.io`, `pods`). */
  key: string;
  /** The object after the change (for DELETED: its last state). Shared: never mutate. */
  object: KubeObject;
  /** The object before the change (MODIFIED only): lets filtered watches send DELETED/ADDED on (un)matching. */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export class WatchHub {
  private history: StoreEvent[] = [];
  private compactedRv = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(private capacity: number) {}

  publish(event: StoreEvent): void {
    this.history.push(event);
    while (this.history.length > this.capacity) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRv = dropped.rv;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The changes after `rv`, or undefined when some of them were compacted away (a 410 Gone). */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestAvailable(): number {
    return this.compactedRv;
  }

  /** Forgets all history up to `rv`, as an etcd compaction: older watches and continue tokens get 410. */
  compact(rv: number): void {
    this.history = this.history.filter((e) => e.rv > rv);
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
