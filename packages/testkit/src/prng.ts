// A tiny seeded PRNG for whatever must be random yet repeatable: testkit's fault injection, the chaos
// run's script, every package's fuzz tests (through @ramp/api/testing). The same seed gives the same
// sequence on every machine.

/** mulberry32: a tiny, good-enough 32-bit PRNG. Returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
