// A Kubernetes resource.Quantity as a number: what SMI TrafficSplit v1alpha1 weights are ("500m",
// "1", "2k"; a JSON number is read as it is). Suffixes: binary Ki Mi Gi Ti Pi Ei, decimal n u m k
// M G T P E, or a decimal exponent (1e3).

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
/** Powers of ten. */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The quantity's value, or undefined when it is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[2]!;
  const exponent = /^[eE]([+-]?\d+)$/.exec(suffix);
  const power = exponent ? Number(exponent[1]) : DECIMAL[suffix];
  if (power !== undefined) return power < 0 ? number / 10 ** -power : number * 10 ** power;
  const scale = BINARY[suffix];
  return scale === undefined ? undefined : number * scale;
}
