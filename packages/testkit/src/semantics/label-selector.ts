/** Label selectors: the string form of `?labelSelector=` and the structured form of `spec.selector`. */
import { isObject } from '../types';
import { badRequest } from './status';

export type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type LabelSelector = Requirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function fail(input: string, why: string): never {
  throw badRequest(`unable to parse requirement: ${why} (in selector "${input}")`);
}

function checkKey(input: string, key: string): string {
  if (!KEY.test(key) || key.length > 316) fail(input, `invalid label key "${key}"`);
  return key;
}

function checkValue(input: string, value: string): string {
  if (!VALUE.test(value) || value.length > 63) fail(input, `invalid label value: "${value}"`);
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTop(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`; a syntax error is a 400, as on a real server. */
export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (!input || input.trim() === '') return [];
  const out: Requirement[] = [];
  for (const raw of splitTop(input)) {
    const part = raw.trim();
    if (part === '') fail(input, 'empty requirement');
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) {
      out.push({ key: checkKey(input, m[1]!), op: '!', values: [] });
      continue;
    }
    m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => checkValue(input, v.trim()));
      out.push({ key: checkKey(input, m[1]!), op: m[2] as Operator, values });
      continue;
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(part);
    if (m) {
      const sym = m[2]!;
      const op: Operator = sym === '!=' ? '!=' : sym === '>' ? 'gt' : sym === '<' ? 'lt' : '=';
      if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(m[3]!))
        fail(input, `for 'Gt', 'Lt' operators, the value must be an integer`);
      out.push({ key: checkKey(input, m[1]!), op, values: [checkValue(input, m[3]!)] });
      continue;
    }
    if (/^\S+$/.test(part)) {
      out.push({ key: checkKey(input, part), op: 'exists', values: [] });
      continue;
    }
    fail(input, `found '${part}', expected: identifier, '=', '!=', 'in' or 'notin'`);
  }
  return out;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  return selector.every((req) => {
    const value = Object.hasOwn(have, req.key) ? have[req.key] : undefined;
    switch (req.op) {
      case '=':
        return value === req.values[0];
      case '!=':
        return value !== req.values[0];
      case 'in':
        return value !== undefined && req.values.includes(value);
      case 'notin':
        return value === undefined || !req.values.includes(value);
      case 'exists':
        return value !== undefined;
      case '!':
        return value === undefined;
      case 'gt':
      case 'lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const n = Number(value);
        const bound = Number(req.values[0]);
        return req.op === 'gt' ? n > bound : n < bound;
      }
    }
    return false;
  });
}

/** A `metav1.LabelSelector` (matchLabels + matchExpressions) as requirements. */
export function fromLabelSelectorObject(selector: unknown): LabelSelector {
  if (!isObject(selector)) return [];
  const out: Requirement[] = [];
  if (isObject(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels))
      out.push({ key, op: '=', values: [String(value)] });
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expr of selector.matchExpressions) {
      if (!isObject(expr) || typeof expr.key !== 'string') continue;
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      const op: Operator =
        expr.operator === 'In'
          ? 'in'
          : expr.operator === 'NotIn'
            ? 'notin'
            : expr.operator === 'Exists'
              ? 'exists'
              : '!';
      out.push({ key: expr.key, op, values });
    }
  }
  return out;
}

/** The string form, as in a Scale's `status.selector`: `app=web,tier in (a,b)`. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map((r) => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
      }
      return '';
    })
    .sort()
    .join(',');
}
