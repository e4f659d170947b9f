// IntOrString values as Kubernetes scales them: 5 → 5, "25%" of 8 → 2 (rounded up or down).

export type IntOrPercent = number | string;

/** A valid IntOrString percent is digits followed by %. */
export function isPercent(value: unknown): value is string {
  return typeof value === 'string' && /^\d+%$/.test(value);
}

/**
 * Scales an IntOrString against a total, as intstr.GetScaledValueFromIntOrPercent does.
 * Returns undefined for a value that is neither an integer nor a percent.
 */
export function scaleIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (isPercent(value)) {
    const scaled = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  if (/^\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * An integer limit given as IntOrString (Argo's failureLimit, count, ...): "4" → 4; "{{args.x}}" → undefined.
 * Anything else (a list, a map: an object that skipped validation) is undefined too, never a crash.
 */
export function intFromIntOrString(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
