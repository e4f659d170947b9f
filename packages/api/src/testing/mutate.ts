// Seeded mutations of JSON-like objects, for the fuzz tests of every package: start from a valid
// object, break it at random paths (delete a key, another type, a misspelled key, unknown keys,
// duplicated list items, deep nesting), and check that what reads it reports instead of throwing.
// Deterministic: the same random source gives the same mutations.
import { mulberry32 } from '@ramp/testkit';

export type Random = () => number;
export type Segment = string | number;

/** Dice over a seeded random source. */
export class Dice {
  readonly random: Random;

  constructor(seedOrRandom: number | Random) {
    this.random = typeof seedOrRandom === 'number' ? mulberry32(seedOrRandom) : seedOrRandom;
  }

  /** An integer in 0..n-1. */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[this.int(list.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }
}

export type MutationOp =
  | 'delete'
  | 'replace'
  | 'rename'
  | 'add-unknown'
  | 'duplicate'
  | 'nest'
  | 'retype'
  | 'edge-number'
  | 'tweak';

export const MUTATION_OPS: readonly MutationOp[] = [
  'delete',
  'replace',
  'rename',
  'add-unknown',
  'duplicate',
  'nest',
  'retype',
  'edge-number',
  'tweak',
];

/** Mutations that often keep an object valid (other values of the same type, optional fields gone). */
export const GENTLE_OPS: readonly MutationOp[] = ['tweak', 'tweak', 'delete', 'duplicate'];

export interface Mutation {
  op: MutationOp;
  /** Where, as findings write paths: `spec.strategy.canary.steps[0].setWeight` ('' for the root). */
  path: string;
  /** What was put there, briefly. */
  detail?: string;
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field path as findings write it: `a.b[2]["odd key"]`. */
export function fieldPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out = out === '' ? s : `${out}.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Every path in a JSON-like value (the root excluded), parents before children, up to `maxDepth`. */
export function pathsIn(value: unknown, maxDepth = 40): Segment[][] {
  const out: Segment[][] = [];
  const walk = (v: unknown, path: Segment[]) => {
    if (!isContainer(v) || path.length >= maxDepth) return;
    const keys: Segment[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      const p = [...path, k];
      out.push(p);
      walk((v as Record<string, unknown>)[k as string], p);
    }
  };
  walk(value, []);
  return out;
}

export function getAt(root: unknown, path: readonly Segment[]): unknown {
  let v = root;
  for (const s of path) {
    if (!isContainer(v) || !Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string, unknown>)[s as string];
  }
  return v;
}

/** Sets an own property (even `__proto__`, as a YAML parser does), never through a setter. */
export function setOwn(obj: Container, key: Segment, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A string that stresses whoever reads it. */
function hostileString(dice: Dice): string {
  return dice.pick([
    '',
    ' ',
    'NaN',
    'Infinity',
    '-1',
    '-0',
    '0',
    '1e308',
    '99999999999999999999',
    '0x1F',
    '1.5',
    '25%',
    '-5%',
    '101%',
    '1h',
    '-1h',
    '9999999999999h',
    '5 minutes',
    'true',
    'null',
    '~',
    '{{args.x}}',
    '{{args.}}',
    '{{ args.address }}',
    '{{',
    '}}',
    'a:b',
    'app=demo',
    '__proto__',
    'constructor',
    '\u0000',
    'é🚀\u202e\uFEFF',
    '\ud800',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a JavaScript template placeholder is the hostile input
    '${process.env.HOME}',
    '../../etc/passwd',
    'x'.repeat(300),
    'y'.repeat(10_000),
    'Rollout',
    'argoproj.io/v1alpha1',
  ]);
}

function edgeNumber(dice: Dice): number {
  return dice.pick([
    0,
    -0,
    -1,
    1,
    1.5,
    -2.5,
    100,
    101,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    5e-324,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ]);
}

/** A value of any kind a YAML document can hold (and a few it cannot, such as NaN read from `.nan`). */
export function hostileValue(dice: Dice): unknown {
  switch (dice.int(9)) {
    case 0:
      return null;
    case 1:
      return edgeNumber(dice);
    case 2:
    case 3:
      return hostileString(dice);
    case 4:
      return dice.chance(0.5);
    case 5:
      return dice.pick([[], [null], [1, 'a', {}], [[]], [{ name: 'x' }], ['{{args.x}}']]);
    case 6:
      return dice.pick([
        {},
        { '': null },
        { a: { b: { c: 1 } } },
        { name: 1 },
        JSON.parse('{"__proto__": {"polluted": 1}}'),
      ]);
    case 7:
      return nest(dice.pick([1, 'x', null, {}]), dice.pick([3, 50]), dice);
    default:
      return '{{args.x}}';
  }
}

/** `value` wrapped `depth` times in maps or lists. */
export function nest(value: unknown, depth: number, dice: Dice): unknown {
  const asList = dice.chance(0.5);
  let v = value;
  for (let i = 0; i < depth; i++) v = asList ? [v] : { a: v };
  return v;
}

/** The key with other letter case, or a typo. */
export function misspell(key: string, dice: Dice): string {
  if (key === '') return 'x';
  const i = dice.int(key.length);
  const variants = [
    key.charAt(0).toUpperCase() + key.slice(1),
    key.toLowerCase(),
    key.toUpperCase(),
    key.slice(0, i) + key.slice(i + 1),
    key.slice(0, i) + key.charAt(i) + key.slice(i),
    key.slice(0, i) + key.charAt(i + 1) + key.charAt(i) + key.slice(i + 2),
    `${key}s`,
    `${key} `,
    key.slice(0, i) + 'x' + key.slice(i + 1),
  ].filter((k) => k !== key);
  return variants.length > 0 ? dice.pick(variants) : `${key}x`;
}

const UNKNOWN_KEYS = [
  'extra',
  'foo',
  'unknownField',
  '__proto__',
  'constructor',
  'toString',
  '',
  ' ',
  'a.b',
  'ünï',
  '{{args.x}}',
  'spec',
  'status',
  'metadata',
];

/** Another plausible value of the same type: a count, a duration, a percentage, the other boolean. */
function tweaked(value: unknown, dice: Dice): unknown {
  if (typeof value === 'number') return dice.pick([0, 1, 2, 3, 5, 10, 30, 50, 99, 100, 600, 2 ** 31 - 1]);
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') {
    if (/%$/.test(value)) return dice.pick(['0%', '1%', '25%', '50%', '100%', '200%']);
    if (/^\d+(\.\d+)?(ns|us|ms|s|m|h)$/.test(value) || /^\d+$/.test(value))
      return dice.pick(['0', '0s', '1s', '10s', '1m', '90m', '1h30m', '24h', '2562047h']);
    return dice.pick([value, `${value}-2`, value.toUpperCase(), '']);
  }
  return value;
}

function retyped(value: unknown, dice: Dice): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (isMap(value)) return dice.chance(0.5) ? [value] : Object.keys(value).join(',');
  if (typeof value === 'number') return dice.pick([String(value), `${value}%`, `${value}s`, [value]]);
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) && value.trim() !== '' ? n : dice.pick([[value], { value }, value.length]);
  }
  if (typeof value === 'boolean') return String(value);
  return dice.pick([0, '', false]);
}

/** Applies one mutation to `root` in place; returns it, or undefined when the op does not apply here. */
function mutateOnce(holder: { root: unknown }, dice: Dice, ops: readonly MutationOp[]): Mutation | undefined {
  const op = dice.pick(ops);
  const paths = pathsIn(holder.root);
  if (paths.length === 0) {
    holder.root = hostileValue(dice);
    return { op: 'replace', path: '', detail: brief(holder.root) };
  }
  const path = dice.pick(paths);
  const key = path[path.length - 1]!;
  const parent = getAt(holder.root, path.slice(0, -1)) as Container;
  const value = (parent as Record<string, unknown>)[key as string];
  const where = fieldPath(path);
  const put = (v: unknown, detail: string): Mutation => {
    setOwn(parent, key, v);
    return { op, path: where, detail };
  };
  switch (op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      return { op, path: where };
    case 'replace': {
      const v = hostileValue(dice);
      return put(v, brief(v));
    }
    case 'edge-number': {
      const v = edgeNumber(dice);
      return put(v, brief(v));
    }
    case 'retype': {
      const v = retyped(value, dice);
      return put(v, brief(v));
    }
    case 'tweak': {
      if (isContainer(value)) return undefined;
      const v = tweaked(value, dice);
      return put(v, brief(v));
    }
    case 'nest': {
      const depth = dice.pick([2, 10, 100, 1000]);
      return put(nest(value, depth, dice), `${depth} levels`);
    }
    case 'rename': {
      if (Array.isArray(parent) || typeof key !== 'string') return undefined;
      const renamed = misspell(key, dice);
      delete parent[key];
      setOwn(parent, renamed, value);
      return { op, path: where, detail: JSON.stringify(renamed) };
    }
    case 'add-unknown': {
      const target = isContainer(value) ? value : parent;
      const targetPath = isContainer(value) ? where : fieldPath(path.slice(0, -1));
      const v = hostileValue(dice);
      if (Array.isArray(target)) {
        target.push(v);
        return { op, path: `${targetPath}[${target.length - 1}]`, detail: brief(v) };
      }
      const name = dice.pick(UNKNOWN_KEYS);
      setOwn(target, name, v);
      return {
        op,
        path: fieldPath([...(isContainer(value) ? path : path.slice(0, -1)), name]),
        detail: brief(v),
      };
    }
    case 'duplicate': {
      const list = Array.isArray(value) ? value : Array.isArray(parent) ? parent : undefined;
      if (!list || list.length === 0) return undefined;
      const i = dice.int(list.length);
      list.splice(i, 0, structuredClone(list[i]));
      return { op, path: Array.isArray(value) ? `${where}[${i}]` : fieldPath([...path.slice(0, -1), i]) };
    }
  }
}

/** A short description of a value, for a failing case's report. */
export function brief(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 17)}...(${v.length})` : v);
  if (v === undefined) return 'undefined';
  try {
    const text = JSON.stringify(v);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  } catch {
    return String(v);
  }
}

export interface Mutated<T> {
  value: T;
  mutations: Mutation[];
}

export interface MutateOptions {
  /** How many mutations (default: 1 to 3). */
  count?: number;
  /** Which kinds, picked with repetition (default: all of MUTATION_OPS). */
  ops?: readonly MutationOp[];
}

/**
 * A copy of `value` with random mutations. The original is not touched. The copy may not even be
 * an object any more (the root itself can be replaced).
 */
export function mutate<T>(value: T, dice: Dice, options: MutateOptions = {}): Mutated<T> {
  const count = options.count ?? 1 + dice.int(3);
  const ops = options.ops ?? MUTATION_OPS;
  const holder = { root: structuredClone(value) as unknown };
  const mutations: Mutation[] = [];
  for (let tries = 0; mutations.length < count && tries < count * 10; tries++) {
    const m = mutateOnce(holder, dice, ops);
    if (m) mutations.push(m);
  }
  return { value: holder.root as T, mutations };
}

/** The mutations as one line, for the message of a failing case. */
export function describeMutations(mutations: readonly Mutation[]): string {
  return mutations
    .map((m) => `${m.op} ${m.path === '' ? '(root)' : m.path}${m.detail ? ` = ${m.detail}` : ''}`)
    .join('; ');
}

/**
 * How many cases a fuzz test runs, and from which seed: the test's defaults, or FUZZ_CASES and
 * FUZZ_SEED from the environment for a longer search (`FUZZ_CASES=100000 npx jest fuzz`).
 */
export function fuzzSettings(defaultCases: number, defaultSeed: number): { cases: number; seed: number } {
  const env = typeof process === 'undefined' ? {} : process.env;
  const cases = Number(env.FUZZ_CASES);
  const seed = Number(env.FUZZ_SEED);
  return {
    cases: Number.isInteger(cases) && cases > 0 ? cases : defaultCases,
    seed: Number.isInteger(seed) ? seed : defaultSeed,
  };
}
