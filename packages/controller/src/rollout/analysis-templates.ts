// The templates a Rollout's analysis names, resolved with their compositions (spec.templates),
// and the args the Rollout gives them (value, podTemplateHashValue, fieldRef).
import type {
  AnalysisRunArgument,
  AnalysisTemplateRef,
  AnalysisTemplateSpec,
  Argument,
  Rollout,
} from '@ramp/api';
import type { RolloutSnapshot } from '../model/snapshot';

const MAX_TEMPLATE_DEPTH = 10;

export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

/** The templates in order, each composition expanded depth-first; a cycle or a missing template is an error. */
export function resolveTemplates(
  refs: readonly AnalysisTemplateRef[],
  snapshot: RolloutSnapshot,
  seen: readonly string[] = [],
): Resolved<AnalysisTemplateSpec[]> {
  const out: AnalysisTemplateSpec[] = [];
  for (const ref of refs) {
    const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    const id = `${kind}/${ref.templateName}`;
    if (seen.includes(id))
      return {
        ok: false,
        error: `${id} includes itself through spec.templates (${[...seen, id].join(' -> ')})`,
      };
    if (seen.length >= MAX_TEMPLATE_DEPTH)
      return { ok: false, error: `templates nest deeper than ${MAX_TEMPLATE_DEPTH} levels at ${id}` };
    const template = ref.clusterScope
      ? snapshot.clusterTemplates.get(ref.templateName)
      : snapshot.templates.get(ref.templateName);
    if (!template) {
      const where = ref.clusterScope
        ? ''
        : ` in namespace "${snapshot.rollout.metadata.namespace ?? 'default'}"`;
      return { ok: false, error: `${kind} "${ref.templateName}" not found${where}` };
    }
    if (template.spec.templates?.length) {
      const nested = resolveTemplates(template.spec.templates, snapshot, [...seen, id]);
      if (!nested.ok) return nested;
      out.push(...nested.value);
    }
    out.push(template.spec);
  }
  return { ok: true, value: out };
}

/** Reads `metadata.name`, `metadata.labels['app']`, `spec.replicas`, ... from an object (own fields only). */
export function fieldPathValue(object: unknown, fieldPath: string): string | undefined {
  const parts: string[] = [];
  const re = /([^.[\]]+)|\[['"]?([^'"\]]+)['"]?\]/g;
  for (const m of fieldPath.matchAll(re)) parts.push(m[1] ?? m[2]!);
  let value: unknown = object;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The Rollout's args for a run, with Rollout-side sources turned into values. */
export function rolloutArgs(
  rollout: Rollout,
  args: readonly AnalysisRunArgument[] | undefined,
  hashes: { stable?: string; latest: string },
): Resolved<Argument[]> {
  const out: Argument[] = [];
  for (const arg of args ?? []) {
    const from = arg.valueFrom;
    if (from?.podTemplateHashValue) {
      const value = from.podTemplateHashValue === 'Stable' ? (hashes.stable ?? hashes.latest) : hashes.latest;
      out.push({ name: arg.name, value });
    } else if (from?.fieldRef) {
      const value = fieldPathValue(rollout, from.fieldRef.fieldPath);
      if (value === undefined) {
        return {
          ok: false,
          error: `arg "${arg.name}": the Rollout has no value at ${from.fieldRef.fieldPath}`,
        };
      }
      out.push({ name: arg.name, value });
    } else {
      out.push({ name: arg.name, value: arg.value ?? '' });
    }
  }
  return { ok: true, value: out };
}
