// Checks a value against one of our schemas: types, required fields, enums, integer ranges and
// unknown fields. Every problem is collected (never only the first) with its path and a fix.
import { EMBEDDED } from '../schema/dsl';
import { describeValue, type Findings, joinPath } from './findings';
import { didYouMean } from './suggest';

type Schema = Record<string, unknown>;

const isRecord = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function literalValues(schema: Schema): string[] | undefined {
  if (!Array.isArray(schema.anyOf)) return undefined;
  const values = schema.anyOf.map((s) => (isRecord(s) && typeof s.const === 'string' ? s.const : undefined));
  return values.length > 0 && values.every((v): v is string => v !== undefined) ? values : undefined;
}

/** A hint for a map written where YAML needed "key: value" with a space. */
function missingSpaceHint(value: unknown): string {
  if (typeof value === 'string') {
    const m = /^([^\s:]+):(\S.*)$/.exec(value.trim());
    if (m) return `; YAML needs a space after the colon: write "${m[1]}: ${m[2]}" on its own line`;
  }
  return '';
}

function typeError(findings: Findings, path: string, expected: string, value: unknown, fix: string): void {
  findings.error(path, `expected ${expected}, got ${describeValue(value)}${fix}`, 'type');
}

export function checkSchema(value: unknown, schema: Schema, path: string, findings: Findings): void {
  if (value === null || value === undefined) return; // optional-and-absent; required is checked by the parent

  if (schema[EMBEDDED] === true) {
    if (!isPlainObject(value)) typeError(findings, path, 'a map', value, missingSpaceHint(value));
    return;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value === 'number' && !Number.isInteger(value)) {
      typeError(
        findings,
        path,
        'an integer or a string',
        value,
        '; use a whole number or a percentage such as "25%"',
      );
    } else if (typeof value !== 'number' && typeof value !== 'string') {
      typeError(findings, path, 'an integer or a string', value, '');
    }
    return;
  }
  if (typeof schema.const === 'string') {
    if (value !== schema.const)
      findings.error(path, `must be "${schema.const}", got ${describeValue(value)}`);
    return;
  }
  const literals = literalValues(schema);
  if (literals) {
    if (typeof value !== 'string' || !literals.includes(value)) {
      const hint = typeof value === 'string' ? didYouMean(value, literals) : '';
      findings.error(path, `must be one of ${literals.join(', ')}, got ${describeValue(value)}${hint}`);
    }
    return;
  }

  switch (schema.type) {
    case 'object':
      checkObject(value, schema, path, findings);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        const fix = isPlainObject(value) ? '; write each item on its own line starting with "- "' : '';
        typeError(findings, path, 'a list', value, fix);
        return;
      }
      if (isRecord(schema.items)) {
        const items = schema.items;
        value.forEach((item, i) => {
          const itemPath = joinPath(path, i);
          if (item === null || item === undefined)
            findings.error(itemPath, 'is empty; remove the "-" or give the item', 'required');
          else checkSchema(item, items, itemPath, findings);
        });
      }
      return;
    case 'integer': {
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
        typeError(findings, path, 'an integer', value, `; write ${value.trim()} without quotes`);
      } else if (typeof value !== 'number') {
        typeError(findings, path, 'an integer', value, '');
      } else if (!Number.isInteger(value)) {
        typeError(findings, path, 'an integer', value, '; use a whole number');
      } else {
        const [min, max] = INT_RANGE[String(schema.format)] ?? INT_RANGE.int64!;
        if (value < min || value > max) findings.error(path, `${value} is out of range; use ${min}..${max}`);
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string') {
        const fix = typeof value === 'number' || typeof value === 'boolean' ? `; quote it: "${value}"` : '';
        typeError(findings, path, 'a string', value, fix);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        const fix =
          value === 'true' || value === 'false' ? `; write ${value} without quotes` : '; use true or false';
        typeError(findings, path, 'true or false', value, fix);
      }
      return;
    case 'number':
      if (typeof value !== 'number') typeError(findings, path, 'a number', value, '');
      return;
  }
}

function checkObject(value: unknown, schema: Schema, path: string, findings: Findings): void {
  if (!isPlainObject(value)) {
    typeError(findings, path, 'a map', value, missingSpaceHint(value));
    return;
  }
  const patterns = schema.patternProperties;
  if (isRecord(patterns)) {
    const [valueSchema] = Object.values(patterns);
    if (isRecord(valueSchema)) {
      for (const [key, v] of Object.entries(value)) {
        const childPath = joinPath(path, key);
        if (v === null && valueSchema.type === 'string') {
          findings.error(
            childPath,
            `has no value; write "${key}: <value>", or quote an empty value as ""`,
            'type',
          );
        } else checkSchema(v, valueSchema, childPath, findings);
      }
    }
    return;
  }
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const name of required) {
    if (value[name] === undefined || value[name] === null) {
      findings.error(joinPath(path, name), `is required; add "${name}:"`, 'required');
    }
  }
  for (const [key, v] of Object.entries(value)) {
    const child = properties[key];
    if (isRecord(child)) {
      checkSchema(v, child, joinPath(path, key), findings);
    } else if (schema.additionalProperties === false) {
      const allowed = Object.keys(properties);
      const hint = didYouMean(key, allowed);
      const list = hint ? '' : `; the fields allowed here are: ${allowed.join(', ')}`;
      findings.error(joinPath(path, key), `unknown field "${key}"${hint}${list}`, 'unknown-field');
    }
  }
}
