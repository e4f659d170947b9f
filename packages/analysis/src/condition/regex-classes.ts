/** Code point sets for regular expression classes, as flat `[lo, hi, lo, hi, ...]` ranges (ASCII, as in RE2). */
export const MAX_CODE_POINT = 0x10ffff;
export const DIGIT = [48, 57];
export const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
export const SPACE = [9, 10, 12, 13, 32, 32];
export const POSIX: Readonly<Record<string, readonly number[]>> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  ascii: [0, 127],
  blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127],
  digit: DIGIT,
  graph: [33, 126],
  lower: [97, 122],
  print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  word: WORD,
  xdigit: [48, 57, 65, 70, 97, 102],
};
export const PERL_CLASSES: Readonly<Record<string, readonly number[]>> = { d: DIGIT, w: WORD, s: SPACE };

/** The ranges not in `ranges`, over all code points. */
export function complement(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let next = 0;
  for (const [lo, hi] of pairs) {
    if (lo > next) out.push(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}
