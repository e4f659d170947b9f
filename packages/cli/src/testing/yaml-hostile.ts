// Hostile YAML for the lint tests (yaml-documents.test.ts and its fuzz test).

/** The "billion laughs" alias bomb: `levels` anchors, each a list of nine aliases of the previous one. */
export function billionLaughs(levels: number): string {
  const lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) {
    const prev = `*l${i - 1}`;
    lines.push(`lol${i}: &l${i} [${Array(9).fill(prev).join(', ')}]`);
  }
  return lines.join('\n');
}
