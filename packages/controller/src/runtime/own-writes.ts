// A controller's own last writes to each object, until its cache shows them. After a write, the
// informer's cache still holds the version it replaced until the write's watch event arrives; a
// reconcile deciding on that version would do again what the write did (a Rollout: a second
// AnalysisRun, a run stopped, a scale undone, all landing before its status write fails on the guard;
// an AnalysisRun: the same measurement taken twice). Such a reconcile is skipped and its key looked
// at again soon; the write's watch event enqueues it when it arrives. The wait is bounded: past it the
// reconcile goes ahead (its guarded status write fails with a 409 if the cache really is behind), so
// a write whose event never comes cannot leave the object undecided.
import type { Clock } from '@ramp/kube';

/** How long a reconcile waits for the cache to show the controller's own last writes. */
export const CATCH_UP_MS = 5000;
/** How soon a key skipped for that is looked at again, should the watch event not come first. */
export const CATCH_UP_RECHECK_MS = 250;

export interface OwnWritesOptions {
  clock: Clock;
  /** Looks at the key again at `at` (the work queue's addAfter). */
  recheck: (key: string, at: Date) => void;
}

export class OwnWrites {
  /** Per key: the resourceVersions its last writes replaced, and when (one entry per object). */
  private readonly last = new Map<string, { replaced: readonly string[]; at: number }>();

  constructor(private readonly options: OwnWritesOptions) {}

  /** A reconcile's writes to `key` replaced these versions (oldest first); none: what was recorded stays. */
  wrote(key: string, replaced: readonly string[]): void {
    if (replaced.length > 0) this.last.set(key, { replaced, at: this.options.clock.now() });
  }

  /**
   * True (and the key looked at again soon) when the cached `version` is one the last writes to `key`
   * replaced, for at most CATCH_UP_MS after them; then false, and the record is dropped.
   */
  cacheBehind(key: string, version: string | undefined): boolean {
    const own = this.last.get(key);
    if (!own?.replaced.includes(version ?? '')) return false;
    const now = this.options.clock.now();
    if (now - own.at < CATCH_UP_MS) {
      this.options.recheck(key, new Date(now + CATCH_UP_RECHECK_MS));
      return true;
    }
    this.last.delete(key);
    return false;
  }

  /** The object is gone: its record too. */
  forget(key: string): void {
    this.last.delete(key);
  }
}
