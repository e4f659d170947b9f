// Argo's StringMatch (a header value, a method or a path in setHeaderRoute / setMirrorRoute steps):
// exactly one of exact, prefix or regex.

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/**
 * A StringMatch as a Gateway API match: Exact for `exact`; RegularExpression for `regex`, and for
 * `prefix` (the prefix followed by `.*`, as the Gateway API plugin writes it). Undefined when none is
 * set (validation reports that).
 */
export function gatewayMatch(
  match: StringMatch,
): { type: 'Exact' | 'RegularExpression'; value: string } | undefined {
  if (match.exact) return { type: 'Exact', value: match.exact };
  if (match.prefix) return { type: 'RegularExpression', value: `${escapeRegex(match.prefix)}.*` };
  if (match.regex) return { type: 'RegularExpression', value: match.regex };
  return undefined;
}

/** `prefix` made literal inside a regular expression. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
