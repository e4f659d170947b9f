// Kubernetes resource quantities ("500m", "128Mi", "1.5", "2e3"), parsed to a number for
// comparison. Follows k8s.io/apimachinery/pkg/api/resource's grammar. A decimal quantity is read as
// one decimal number, so its value is the double nearest the exact quantity ("9m" is 0.009, as
// "0.009" is, and "500m" is 0.5); a binary suffix scales exactly.

/** The decimal suffixes, as powers of ten. */
const DECIMAL: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * The quantity's value, or undefined when `value` is not a quantity: a string in the grammar, or a
 * finite number (a JSON number, as SMI TrafficSplit weights and resources may be written).
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const mantissa = m[1]!;
  const suffix = m[3] ?? '';
  const scale = BINARY[suffix];
  if (scale !== undefined) return Number(mantissa) * scale;
  return Number(`${mantissa}${m[2] ?? `e${DECIMAL[suffix]}`}`);
}

export const QUANTITY_HINT = 'use a quantity such as 500m, 0.5, 128Mi or 1Gi';
