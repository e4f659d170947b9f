/**
 * Strategic merge patch for built-in kinds: lists merged by key where the real types say so
 * (containers by name, ports by containerPort or port, env by name, ...), other lists replaced.
 * Directives: `$patch` (merge, replace, delete), `$retainKeys`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>`.
 */
import { clone, isObject, type JsonObject } from '../types';
import { badRequest } from './status';

type ListStrategy = { mergeKey: string } | { primitiveSet: true };

/** Merge keys by field name, with the parent path deciding where a name is ambiguous (`ports`). */
function listStrategy(path: string[], field: string): ListStrategy | undefined {
  const parent = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
    case 'schedulingGates':
      return { mergeKey: 'name' };
    case 'volumeMounts':
      return { mergeKey: 'mountPath' };
    case 'volumeDevices':
      return { mergeKey: 'devicePath' };
    case 'hostAliases':
      return { mergeKey: 'ip' };
    case 'conditions':
      return { mergeKey: 'type' };
    case 'ownerReferences':
      return { mergeKey: 'uid' };
    case 'finalizers':
      return parent === 'metadata' ? { primitiveSet: true } : undefined;
    case 'ports':
      if (parent === '[]') return { mergeKey: 'containerPort' };
      if (parent === 'spec') return { mergeKey: 'port' };
      return undefined;
    case 'topologySpreadConstraints':
      return { mergeKey: 'topologyKey' };
    default:
      return undefined;
  }
}

function keyOf(item: unknown, mergeKey: string): string | undefined {
  if (!isObject(item)) return undefined;
  const value = item[mergeKey];
  return value === undefined ? undefined : JSON.stringify(value);
}

function mergeList(original: unknown[], patch: unknown[], path: string[], strategy: ListStrategy): unknown[] {
  if ('primitiveSet' in strategy) {
    const out = [...original];
    for (const item of patch)
      if (!out.some((o) => JSON.stringify(o) === JSON.stringify(item))) out.push(item);
    return out;
  }
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const out = original.map((item) => clone(item));
  for (const item of patch) {
    const key = keyOf(item, strategy.mergeKey);
    if (key === undefined) {
      throw badRequest(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${strategy.mergeKey}`,
      );
    }
    const index = out.findIndex((o) => keyOf(o, strategy.mergeKey) === key);
    if (isObject(item) && item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = mergeValue(out[index], item, [...path, '[]']);
    else out.push(stripDirectives(item));
  }
  return out;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function order(list: unknown[], wanted: unknown[], mergeKey: string | undefined): unknown[] {
  const id = (item: unknown) => (mergeKey ? keyOf(item, mergeKey) : JSON.stringify(item));
  const rank = new Map<string | undefined, number>();
  wanted.forEach((w, i) => {
    rank.set(id(w), i);
  });
  return list
    .map((item, i) => ({ item, i, r: rank.get(id(item)) }))
    .sort((a, b) => (a.r ?? Number.MAX_SAFE_INTEGER) - (b.r ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map((x) => x.item);
}

function mergeValue(original: unknown, patch: unknown, path: string[]): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isObject(original) ? clone(original) : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? patch.$retainKeys.map(String) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/') || key.startsWith('$deleteFromPrimitiveList/')) continue;
    if (key.startsWith('$')) throw badRequest(`unknown patch directive: ${key}`);
    if (value === null) {
      delete out[key];
      continue;
    }
    const strategy = listStrategy(path, key);
    const current = out[key];
    if (Array.isArray(value) && strategy && Array.isArray(current)) {
      out[key] = mergeList(current, value, [...path, key], strategy);
    } else if (Array.isArray(value)) {
      out[key] = value.map(stripDirectives);
    } else {
      const merged = mergeValue(current, value, [...path, key]);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    const deleteFrom = /^\$deleteFromPrimitiveList\/(.+)$/.exec(key);
    if (deleteFrom && Array.isArray(value)) {
      const field = deleteFrom[1]!;
      const current = out[field];
      if (Array.isArray(current)) {
        const drop = new Set(value.map((v) => JSON.stringify(v)));
        out[field] = current.filter((item) => !drop.has(JSON.stringify(item)));
      }
    }
    const setOrder = /^\$setElementOrder\/(.+)$/.exec(key);
    if (setOrder && Array.isArray(value)) {
      const field = setOrder[1]!;
      const current = out[field];
      const strategy = listStrategy(path, field);
      if (Array.isArray(current)) {
        out[field] = order(
          current,
          value,
          strategy && 'mergeKey' in strategy ? strategy.mergeKey : undefined,
        );
      }
    }
  }
  if (retainKeys) {
    for (const key of Object.keys(out)) if (!retainKeys.includes(key)) delete out[key];
  }
  return out;
}

/** Applies a strategic merge patch to a built-in object. */
export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeValue(original, patch, []);
}
