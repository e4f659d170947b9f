// The Rollout as the API server stores it. Structural-schema pruning drops null values of fields
// that are not nullable, so a real cluster never hands the controller `duration: ~` or
// `analysis: null`; lint reads YAML with its nulls and validation treats them as absent. Deciding on
// this form keeps the two in step: a null is absent, never a value. The pod template is kept whole
// in the CRD (x-kubernetes-preserve-unknown-fields), so it is left as written (its hash must not move).
import type { Rollout } from '@ramp/api';

/** Deeper than this, nothing is pruned: validation refuses such objects before they are decided on. */
const MAX_DEPTH = 120;

function withoutNulls(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue;
    // defineProperty: a key named __proto__ stays a key, as JSON.parse makes it
    Object.defineProperty(out, key, {
      value: withoutNulls(v, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A copy of the Rollout with the null fields of its spec dropped (spec.template aside). */
export function storedForm(rollout: Rollout): Rollout {
  const spec = rollout.spec as unknown;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return rollout;
  const { template, ...rest } = spec as Rollout['spec'];
  const pruned = withoutNulls(rest, 1) as Rollout['spec'];
  return { ...rollout, spec: template === undefined || template === null ? pruned : { ...pruned, template } };
}
