/**
 * Hard limits of the condition language. Every limit is checked before the work it guards is done, so
 * a hostile or accidental expression is refused with a ConditionError instead of exhausting memory,
 * the call stack or the event loop.
 */
export const LIMITS = Object.freeze({
  /** Longest accepted expression source, in characters; checked before parsing. */
  maxSourceLength: 10_000,
  /** Deepest nesting of brackets, unary operators and sub-expressions while parsing. */
  maxNesting: 100,
  /** Deepest accepted syntax tree (e.g. a chain of 300 `.field` accesses is refused). */
  maxTreeDepth: 200,
  /** Deepest nesting of predicate closures such as `all(x, {any(#, {...})})`. */
  maxClosureDepth: 4,
  /** Most evaluation steps (one per node visited, closures count once per element) per evaluation. */
  maxSteps: 1_000_000,
  /** Longest string that `+` may produce, in UTF-16 code units (about 1 MB of ASCII). */
  maxStringLength: 1_000_000,
  /** Most characters all the `+` concatenations of one evaluation may produce together. */
  maxStringTotal: 10_000_000,
  /** Deepest array/map nesting that equality and result checks will walk. */
  maxValueDepth: 100,
  /** Longest regular expression accepted by `matches`, in characters. */
  maxRegexLength: 1_000,
  /** Longest string `matches` will scan, in characters. */
  maxRegexInput: 100_000,
  /** Largest compiled regular expression program (re2js instructions), e.g. after expanding `x{1000}`. */
  maxRegexProgram: 5_000,
  /** Most regex work per match: program size times input length (re2js is linear in both). */
  maxRegexWork: 10_000_000,
});
