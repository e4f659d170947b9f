/**
 * The Kubernetes CEL libraries testkit implements, over @bufbuild/cel's standard functions and its
 * strings extension (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring,
 * trim, join, format, strings.quote):
 * - IP: isIP, isCIDR, ip.isCanonical
 * - lists: isSorted, sum, min, max, indexOf, lastIndexOf
 * - regex: find, findAll (RE2, re2js), and matches on re2js
 * - sets: sets.contains, sets.equivalent, sets.intersects
 * The string functions charge their input length to the cost meter (cel-cost.ts).
 */
import {
  type CelFunc,
  type CelList,
  CelScalar,
  type CelValue,
  celEnv,
  celFunc,
  celList,
  celMethod,
  isCelError,
  listType,
  parse,
  plan,
} from '@bufbuild/cel';
import { RE2JS } from 're2js';
import { charge, chargeLength } from './cel-cost';
import { formatIp, parseCidr, parseIp } from './ip-address';

const { BOOL, DYN, INT, STRING } = CelScalar;
const LIST = listType(DYN);
const LIST_STRING = listType(STRING);

const operators = celEnv({ variables: {} });
const equalProgram = plan(operators, parse('a == b'));
const lessProgram = plan(operators, parse('a < b'));
const addProgram = plan(operators, parse('a + b'));

function evaluated(result: ReturnType<typeof equalProgram>): CelValue {
  if (isCelError(result)) throw result;
  return result;
}

function equal(a: CelValue, b: CelValue): boolean {
  return evaluated(equalProgram({ a, b })) === true;
}

function less(a: CelValue, b: CelValue): boolean {
  return evaluated(lessProgram({ a, b })) === true;
}

function items(list: CelList): CelValue[] {
  const out = Array.from(list);
  charge(out.length);
  return out;
}

const regexCache = new Map<string, RE2JS>();

/** An RE2 pattern compiled once (re2js, the RE2 port the repository uses). */
export function re2(pattern: string): RE2JS {
  let compiled = regexCache.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  chargeLength(text, pattern);
  const out: string[] = [];
  if (limit === 0n) return out;
  const matcher = re2(pattern).matcher(text);
  while (matcher.find()) {
    out.push(matcher.group() ?? '');
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

const ipFunctions: CelFunc[] = [
  celFunc('isIP', [STRING], BOOL, (s) => typeof parseIp(s) !== 'string'),
  celFunc('isCIDR', [STRING], BOOL, (s) => typeof parseCidr(s) !== 'string'),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => {
    const ip = parseIp(s);
    if (typeof ip === 'string') throw new Error(ip);
    return formatIp(ip) === s;
  }),
];

const listFunctions: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const all = items(this);
    return all.every((v, i) => i === 0 || !less(v, all[i - 1] ?? null));
  }),
  celMethod('sum', LIST, [], DYN, function () {
    const all = items(this);
    if (all.length === 0) return 0n;
    return all.slice(1).reduce((acc, v) => evaluated(addProgram({ a: acc, b: v })), all[0] ?? 0n);
  }),
  celMethod('min', LIST, [], DYN, function () {
    const all = items(this);
    if (all.length === 0) throw new Error('min called on empty list');
    return all.reduce((m, v) => (less(v, m) ? v : m));
  }),
  celMethod('max', LIST, [], DYN, function () {
    const all = items(this);
    if (all.length === 0) throw new Error('max called on empty list');
    return all.reduce((m, v) => (less(m, v) ? v : m));
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return BigInt(items(this).findIndex((v) => equal(v, x)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    const all = items(this);
    for (let i = all.length - 1; i >= 0; i--) if (equal(all[i] ?? null, x)) return BigInt(i);
    return -1n;
  }),
];

const regexFunctions: CelFunc[] = [
  celMethod('matches', STRING, [STRING], BOOL, function (pattern) {
    chargeLength(this, pattern);
    return re2(pattern).matcher(this).find();
  }),
  celFunc('matches', [STRING, STRING], BOOL, (text, pattern) => {
    chargeLength(text, pattern);
    return re2(pattern).matcher(text).find();
  }),
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return findAll(this, pattern, 1n)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], LIST_STRING, function (pattern) {
    return celList(findAll(this, pattern, -1n));
  }),
  celMethod('findAll', STRING, [STRING, INT], LIST_STRING, function (pattern, limit) {
    return celList(findAll(this, pattern, limit));
  }),
];

const stringFunctions: CelFunc[] = [
  celMethod('contains', STRING, [STRING], BOOL, function (s) {
    chargeLength(this, s);
    return this.includes(s);
  }),
  celMethod('startsWith', STRING, [STRING], BOOL, function (s) {
    chargeLength(s);
    return this.startsWith(s);
  }),
  celMethod('endsWith', STRING, [STRING], BOOL, function (s) {
    chargeLength(s);
    return this.endsWith(s);
  }),
];

const setFunctions: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => {
    const all = items(a);
    return items(b).every((x) => all.some((y) => equal(x, y)));
  }),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => {
    const as = items(a);
    const bs = items(b);
    return as.every((x) => bs.some((y) => equal(x, y))) && bs.every((x) => as.some((y) => equal(x, y)));
  }),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => {
    const bs = items(b);
    return items(a).some((x) => bs.some((y) => equal(x, y)));
  }),
];

/** Every function testkit adds to @bufbuild/cel's standard library and strings extension. */
export const kubernetesFunctions: CelFunc[] = [
  ...ipFunctions,
  ...listFunctions,
  ...regexFunctions,
  ...stringFunctions,
  ...setFunctions,
];
