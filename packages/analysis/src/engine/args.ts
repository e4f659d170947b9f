// Args: resolving their values (plain, from a Secret, from a field of the owning object) and
// substituting `{{args.name}}` everywhere in a metric before it is measured.
import type { Argument, Metric } from '@ramp/api';

/**
 * Resolves `valueFrom` sources. The controller resolves in the cluster (Secrets of the run's
 * namespace, fields of the Rollout); the CLI from its flags. A source the resolver does not offer,
 * or a lookup that throws, makes the run Error with the reason.
 */
export interface ArgResolver {
  /** The value of `ref.key` in the Secret `ref.name` (in the namespace of the run). */
  secretKeyRef?(ref: { name: string; key: string }, argName: string): Promise<string>;
  /** The value at `ref.fieldPath` (e.g. metadata.labels['env']) of the object the run belongs to. */
  fieldRef?(ref: { fieldPath: string }, argName: string): Promise<string>;
}

export interface ResolvedArg {
  name: string;
  value: string;
  /** From a Secret: the value is redacted from everything the engine writes. */
  secret?: boolean;
}
export type ResolvedArgs = readonly ResolvedArg[];

/** An arg that cannot be given a value, or a placeholder no arg fills. */
export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

/** Argo's wording for an arg without a value. */
export const notSupplied = (name: string) => `argument "${name}" was not supplied`;

/**
 * Every arg's value. As in Argo, every declared arg must have one (whether or not a metric uses it);
 * a Secret's value wins over a plain value.
 */
export async function resolveArgs(
  args: readonly Argument[] | undefined,
  resolver?: ArgResolver,
): Promise<ResolvedArgs> {
  const out: ResolvedArg[] = [];
  for (const arg of args ?? []) {
    const from = arg.valueFrom;
    if (from?.secretKeyRef) {
      if (!resolver?.secretKeyRef) {
        throw new ArgsError(`argument "${arg.name}": valueFrom.secretKeyRef cannot be resolved here`);
      }
      out.push({
        name: arg.name,
        value: await lookup(() => resolver.secretKeyRef!(from.secretKeyRef!, arg.name)),
        secret: true,
      });
    } else if (arg.value !== undefined) {
      out.push({ name: arg.name, value: arg.value });
    } else if (from?.fieldRef) {
      if (!resolver?.fieldRef) {
        throw new ArgsError(`argument "${arg.name}": valueFrom.fieldRef cannot be resolved here`);
      }
      out.push({ name: arg.name, value: await lookup(() => resolver.fieldRef!(from.fieldRef!, arg.name)) });
    } else {
      throw new ArgsError(notSupplied(arg.name));
    }
  }
  return out;
}

async function lookup(get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (err) {
    throw new ArgsError(err instanceof Error ? err.message : String(err));
  }
}

/** The secret values among resolved args, for redaction. */
export const secretValues = (args: ResolvedArgs): string[] =>
  args.filter((a) => a.secret).map((a) => a.value);

const PLACEHOLDER = /\{\{\s*args\.([A-Za-z0-9_.-]+?)\s*\}\}/g;

/** A text with its `{{args.x}}` replaced; throws ArgsError naming the first placeholder no arg fills. */
export function substituteText(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new ArgsError(`failed to resolve ${whole}`);
    return value;
  });
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

/**
 * The metric with `{{args.x}}` substituted in every string: queries, addresses, URLs, headers,
 * conditions, the job spec, and limits or counts given as strings ("{{args.limit}}").
 */
export function substituteMetric(metric: Metric, args: ResolvedArgs): Metric {
  const values = new Map(args.map((a) => [a.name, a.value]));
  return mapStrings(metric, (s) => substituteText(s, values)) as Metric;
}
