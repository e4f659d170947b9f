// Whole requests handed out by weight, deterministically: every recipient is owed its exact share
// (n × weight / total), gets the whole part, and carries what it is still owed (or was given ahead)
// to the next call. Each call hands out exactly n, and over any run of calls every recipient's total
// stays within one request of its exact share: 80/20 over 1000 requests is 800/200, whether they
// come in one call or in a thousand. No randomness.

/** Below this, a float's error, not a request (1000 × 0.1 is 100.00000000000001). */
const EPSILON = 1e-9;

export interface Weighted<T extends string = string> {
  id: T;
  weight: number;
}

interface Ledger {
  credits: Map<string, number>;
  generation: number;
}

export class WeightedCarry {
  private readonly ledgers = new Map<string, Ledger>();
  private generation = 0;

  /**
   * Hands out `n` whole requests over `items` in proportion to their weights (items with weight ≤ 0,
   * or a total of 0, get nothing); `key` names the split, whose carried credits are kept apart.
   * Credits of ids no longer among `items` are dropped.
   */
  split(key: string, n: number, items: readonly Weighted[]): Map<string, number> {
    const ledger = this.ledger(key);
    const live = items.filter((i) => i.weight > 0 && Number.isFinite(i.weight));
    const present = new Set(live.map((i) => i.id));
    for (const id of [...ledger.credits.keys()]) if (!present.has(id)) ledger.credits.delete(id);
    const given = new Map<string, number>(items.map((i) => [i.id, 0]));
    const total = live.reduce((sum, i) => sum + i.weight, 0);
    if (n <= 0 || total <= 0) return given;
    let handed = 0;
    for (const item of live) {
      const owed = (ledger.credits.get(item.id) ?? 0) + (n * item.weight) / total;
      const whole = Math.max(0, Math.floor(owed + EPSILON));
      given.set(item.id, (given.get(item.id) ?? 0) + whole);
      ledger.credits.set(item.id, owed - whole);
      handed += whole;
    }
    // Exactly n: the ones owed most get the rest; if rounding gave one too many, the ones owed least give it back.
    while (handed < n) {
      const id = extreme(live, ledger.credits, (a, b) => a > b);
      given.set(id, (given.get(id) ?? 0) + 1);
      ledger.credits.set(id, (ledger.credits.get(id) ?? 0) - 1);
      handed++;
    }
    while (handed > n) {
      const id = extreme(
        live.filter((i) => (given.get(i.id) ?? 0) > 0),
        ledger.credits,
        (a, b) => a < b,
      );
      given.set(id, (given.get(id) ?? 0) - 1);
      ledger.credits.set(id, (ledger.credits.get(id) ?? 0) + 1);
      handed--;
    }
    return given;
  }

  /**
   * The whole part of `n × fraction` (0..1), carrying the rest under `key`: a mirror's 10% of 25
   * requests is 2 now and 3 next time.
   */
  take(key: string, n: number, fraction: number): number {
    const ledger = this.ledger(key);
    const share = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const owed = (ledger.credits.get('') ?? 0) + n * share;
    const whole = Math.max(0, Math.floor(owed + EPSILON));
    ledger.credits.set('', owed - whole);
    return whole;
  }

  /** Ends a round (a tick): the ledgers no split() or take() used since the last sweep are forgotten. */
  sweep(): void {
    for (const [key, ledger] of this.ledgers)
      if (ledger.generation < this.generation) this.ledgers.delete(key);
    this.generation++;
  }

  private ledger(key: string): Ledger {
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = { credits: new Map(), generation: this.generation };
      this.ledgers.set(key, ledger);
    }
    ledger.generation = this.generation;
    return ledger;
  }
}

function extreme(
  items: readonly Weighted[],
  credits: ReadonlyMap<string, number>,
  better: (a: number, b: number) => boolean,
): string {
  let best = items[0]!;
  for (const item of items) if (better(credits.get(item.id) ?? 0, credits.get(best.id) ?? 0)) best = item;
  return best.id;
}
