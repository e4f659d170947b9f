// An ALB listener rule's conditions, as the AWS Load Balancer Controller builds them from an Ingress
// path and its `<prefix>/conditions.<service name>` annotation (a JSON list of RuleCondition, read as
// Go reads JSON: keys case-insensitively), and as the load balancer evaluates them. Every condition of
// a rule must hold; a condition holds when any of its values does. Host names compare
// case-insensitively, paths case-sensitively (the path without its query string), both with the
// wildcards `*` (any characters) and `?` (one); HTTP header values and query strings
// case-insensitively with wildcards; methods exactly. `source-ip` is not modelled (it holds).
import { goJsonField, isObject } from './json-shape';
import type { RequestClass } from './request-mix';
import type { ProblemList } from './route-decision';

export type AlbCondition =
  | { field: 'http-header'; name: string; values: readonly RegExp[] }
  | { field: 'http-request-method'; values: readonly string[] }
  | { field: 'query-string'; values: readonly { key?: RegExp; value: RegExp }[] }
  | { field: 'source-ip' };

/** The conditions of one rule: host and path patterns (each a list of alternatives), and the others. */
export interface AlbConditions {
  hosts: readonly RegExp[];
  paths: readonly RegExp[];
  others: readonly AlbCondition[];
}

/** An ALB pattern (`*`, `?` wildcards) as an anchored regular expression. */
export function albPattern(pattern: string, caseInsensitive: boolean): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
}

/**
 * The conditions of an annotation's JSON (`at` names the annotation), with the rule's own host and
 * path patterns; undefined when the controller would refuse them (reported).
 */
export function parseAlbConditions(
  json: string | undefined,
  at: string,
  problems: ProblemList,
  own: { hosts: readonly string[]; paths: readonly string[] },
): AlbConditions | undefined {
  const hosts = [...own.hosts];
  const paths = [...own.paths];
  const others: AlbCondition[] = [];
  if (json !== undefined) {
    let list: unknown;
    try {
      list = JSON.parse(json);
    } catch {
      problems.add(at, 'not JSON: the controller refuses the Ingress; the path is left out');
      return undefined;
    }
    if (!Array.isArray(list)) {
      problems.add(
        at,
        'expected a JSON list of conditions: the controller refuses the Ingress; the path is left out',
      );
      return undefined;
    }
    for (const [i, condition] of list.entries()) {
      const read = readCondition(condition, `${at}[${i}]`, problems);
      if (read === undefined) return undefined;
      if (read === 'ignored') continue;
      if ('hosts' in read) hosts.push(...read.hosts);
      else if ('paths' in read) paths.push(...read.paths);
      else others.push(read);
    }
  }
  if (hosts.length === 0 && paths.length === 0 && others.length === 0) paths.push('/*');
  return {
    hosts: hosts.map((h) => albPattern(h, true)),
    paths: paths.map((p) => albPattern(p, false)),
    others,
  };
}

type ReadCondition = AlbCondition | { hosts: string[] } | { paths: string[] } | 'ignored';

function readCondition(condition: unknown, at: string, problems: ProblemList): ReadCondition | undefined {
  const refuse = (message: string) => {
    problems.add(at, `${message}: the controller refuses the Ingress; the path is left out`);
    return undefined;
  };
  if (!isObject(condition)) return refuse('expected a condition object');
  const field = goJsonField(condition, 'field');
  const config = (key: string): Record<string, unknown> | undefined => {
    const c = goJsonField(condition, key);
    return isObject(c) ? c : undefined;
  };
  const strings = (c: Record<string, unknown>): string[] | undefined => {
    const values = goJsonField(c, 'values');
    return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string')
      ? (values as string[])
      : undefined;
  };
  switch (field) {
    case 'host-header':
    case 'path-pattern':
    case 'http-request-method':
    case 'source-ip': {
      const key = {
        'host-header': 'hostHeaderConfig',
        'path-pattern': 'pathPatternConfig',
        'http-request-method': 'httpRequestMethodConfig',
        'source-ip': 'sourceIPConfig',
      }[field];
      const c = config(key);
      const values = c && strings(c);
      if (!values) return refuse(`a ${field} condition needs ${key}.values, a non-empty list of strings`);
      if (field === 'host-header') return { hosts: values };
      if (field === 'path-pattern') return { paths: values };
      if (field === 'http-request-method') return { field, values };
      problems.add(at, 'source-ip conditions are not modelled: the condition is taken to hold');
      return { field };
    }
    case 'http-header': {
      const c = config('httpHeaderConfig');
      const name = c && goJsonField(c, 'httpHeaderName');
      const values = c && strings(c);
      if (typeof name !== 'string' || name === '' || !values)
        return refuse(
          'an http-header condition needs httpHeaderConfig.httpHeaderName and a non-empty list of values',
        );
      return { field, name: name.toLowerCase(), values: values.map((v) => albPattern(v, true)) };
    }
    case 'query-string': {
      const c = config('queryStringConfig');
      const values = c && goJsonField(c, 'values');
      if (!Array.isArray(values) || values.length === 0)
        return refuse(
          'a query-string condition needs queryStringConfig.values, a non-empty list of {key, value}',
        );
      const pairs: { key?: RegExp; value: RegExp }[] = [];
      for (const pair of values) {
        const key = goJsonField(pair, 'key');
        const value = goJsonField(pair, 'value');
        if (
          typeof value !== 'string' ||
          value === '' ||
          (key !== undefined && key !== null && typeof key !== 'string')
        )
          return refuse('every query-string value needs a non-empty value (and an optional key)');
        pairs.push({
          ...(typeof key === 'string' ? { key: albPattern(key, true) } : {}),
          value: albPattern(value, true),
        });
      }
      return { field, values: pairs };
    }
    default:
      problems.add(
        `${at}.field`,
        `unknown condition field ${JSON.stringify(field)}: the controller ignores it`,
      );
      return 'ignored';
  }
}

/** Whether the request meets every condition; `host` is the request's (undefined: any host is accepted). */
export function albConditionsHold(
  c: AlbConditions,
  request: RequestClass,
  host: string | undefined,
): boolean {
  if (c.hosts.length > 0 && host !== undefined && !c.hosts.some((h) => h.test(host))) return false;
  if (c.paths.length > 0 && !c.paths.some((p) => p.test(request.path))) return false;
  return c.others.every((o) => conditionHolds(o, request));
}

function conditionHolds(o: AlbCondition, request: RequestClass): boolean {
  if (o.field === 'http-header') {
    const value = request.headers.get(o.name);
    return value !== undefined && o.values.some((v) => v.test(value));
  }
  if (o.field === 'http-request-method') return o.values.includes(request.method);
  if (o.field === 'query-string')
    return o.values.some((pair) =>
      [...request.query].some(([k, v]) => (pair.key === undefined || pair.key.test(k)) && pair.value.test(v)),
    );
  return true;
}
