// Gateway API precedence between matches a request satisfies: each match's rank is a list of
// counts in the spec's order of criteria (larger wins), compared criterion by criterion; a full tie
// goes to the first rule in list order, which the callers keep by only replacing a strictly better
// match.

/** > 0 when rank `a` takes precedence over rank `b`, 0 on a tie. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
