// A label selector as a string, the way Kubernetes writes one (metav1.FormatLabelSelector): every
// requirement sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, values sorted.
// Argo Rollouts writes status.selector this way, and the HPA reads it through the scale subresource.
import type { LabelSelector } from '../schema/common';

/** The requirements of a selector as strings, sorted by key; empty when it has none. */
export function labelSelectorTerms(selector: LabelSelector | undefined): string[] {
  const terms: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    terms.push({ key, text: `${key}=${value}` });
  }
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : e.operator === 'DoesNotExist'
              ? `!${e.key}`
              : undefined;
    if (text !== undefined) terms.push({ key: e.key, text });
  }
  // a stable sort by key, as Kubernetes' ByKey
  return terms.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((t) => t.text);
}

/** metav1.FormatLabelSelector: the terms joined by commas, `<none>` for a selector without any. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const terms = labelSelectorTerms(selector);
  return terms.length > 0 ? terms.join(',') : '<none>';
}

/**
 * Whether `labels` satisfy the selector, as metav1.LabelSelectorAsSelector reads it: every matchLabels
 * pair and every matchExpression (In, NotIn, Exists, DoesNotExist). An empty selector matches
 * everything; an expression with an unknown operator matches nothing.
 */
export function selectorMatches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> = {},
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && values.includes(labels[e.key]!)
        : e.operator === 'NotIn'
          ? !has || !values.includes(labels[e.key]!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}
