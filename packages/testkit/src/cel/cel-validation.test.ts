// The CEL glue on small schemas: where rules run, what self and oldSelf are, how failures are reported.
import type { Schema } from '../semantics/schema-validation';
import { rootWithSpec, withRules } from '../testing/crd-schemas';
import { validateCel } from './cel-validation';

const int: Schema = { type: 'integer' };
const str: Schema = { type: 'string' };

function messages(schema: Schema, obj: unknown, old?: unknown): string[] {
  return validateCel(schema, obj, old).causes.map((c) => `${c.field}: ${c.message}`);
}

describe('x-kubernetes-validations', () => {
  test('a rule on an object: self is the object, the failure is at its path with the type as value', () => {
    const schema = rootWithSpec(
      withRules(
        { type: 'object', properties: { min: int, max: int } },
        { rule: 'self.min <= self.max', message: 'min must not exceed max' },
      ),
    );
    expect(messages(schema, { spec: { min: 1, max: 2 } })).toEqual([]);
    expect(messages(schema, { spec: { min: 3, max: 2 } })).toEqual([
      'spec: Invalid value: "object": min must not exceed max',
    ]);
  });

  test('a rule at the root is reported at <nil>, and sees apiVersion, kind and metadata.name', () => {
    const schema = withRules(
      { type: 'object', properties: { spec: { type: 'object' } } },
      { rule: "self.metadata.name.startsWith('w-') && self.kind == 'Widget'" },
    );
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'x', namespace: 'n' },
      spec: {},
    };
    expect(messages(schema, obj)).toEqual([
      `<nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith('w-') && self.kind == 'Widget'`,
    ]);
    expect(messages(schema, { ...obj, metadata: { name: 'w-1' } })).toEqual([]);
  });

  test('rules on list items and map values apply to each, at [i] and [key]', () => {
    const schema = rootWithSpec({
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          items: withRules(int, { rule: 'self > 0 && self < 65536', message: 'not a port' }),
        },
        labels: {
          type: 'object',
          additionalProperties: withRules(str, { rule: "self != ''", message: 'empty' }),
        },
      },
    });
    expect(messages(schema, { spec: { ports: [80, 0, 70000], labels: { a: 'x', 'b.c/d': '' } } })).toEqual([
      'spec.ports[1]: Invalid value: "integer": not a port',
      'spec.ports[2]: Invalid value: "integer": not a port',
      'spec.labels[b.c/d]: Invalid value: "string": empty',
    ]);
  });

  test('messageExpression is evaluated; when it fails, message is used; no message: failed rule', () => {
    const schema = rootWithSpec(
      withRules(
        { type: 'object', properties: { n: int } },
        { rule: 'self.n < 10', messageExpression: "'n is ' + string(self.n) + ', more than 9'" },
        { rule: 'self.n < 5', messageExpression: 'self.missing', message: 'n must be < 5' },
        { rule: 'self.n < 3' },
      ),
    );
    expect(messages(schema, { spec: { n: 12 } })).toEqual([
      'spec: Invalid value: "object": n is 12, more than 9',
      'spec: Invalid value: "object": n must be < 5',
      'spec: Invalid value: "object": failed rule: self.n < 3',
    ]);
  });

  test('fieldPath moves the report, reason changes its kind', () => {
    const schema = rootWithSpec(
      withRules(
        { type: 'object', properties: { a: str, m: { type: 'object', additionalProperties: str } } },
        { rule: "self.a != 'x'", message: 'a must not be x', fieldPath: '.a', reason: 'FieldValueForbidden' },
        { rule: "!('k' in self.m)", message: 'no k', fieldPath: ".m['k']", reason: 'FieldValueRequired' },
        { rule: 'false', reason: 'FieldValueDuplicate' },
      ),
    );
    const { causes } = validateCel(schema, { spec: { a: 'x', m: { k: 'v' } } });
    expect(causes).toEqual([
      { reason: 'FieldValueForbidden', field: 'spec.a', message: 'Forbidden: a must not be x' },
      { reason: 'FieldValueRequired', field: 'spec.m[k]', message: 'Required value: no k' },
      { reason: 'FieldValueDuplicate', field: 'spec', message: 'Duplicate value: "object"' },
    ]);
  });

  test('transition rules: skipped on create, oldSelf is the old value on update, skipped where there is none', () => {
    const schema = rootWithSpec({
      type: 'object',
      properties: {
        name: withRules(str, { rule: 'self == oldSelf', message: 'name is immutable' }),
        size: withRules(int, { rule: 'self >= oldSelf', message: 'size cannot shrink' }),
      },
    });
    expect(messages(schema, { spec: { name: 'a', size: 1 } })).toEqual([]);
    expect(messages(schema, { spec: { name: 'b', size: 0 } }, { spec: { name: 'a', size: 1 } })).toEqual([
      'spec.name: Invalid value: "string": name is immutable',
      'spec.size: Invalid value: "integer": size cannot shrink',
    ]);
    expect(messages(schema, { spec: { name: 'b', size: 0 } }, { spec: {} })).toEqual([]);
  });

  test('optionalOldSelf: evaluated on create too, with oldSelf an optional', () => {
    const schema = rootWithSpec({
      type: 'object',
      properties: {
        n: withRules(int, {
          rule: 'oldSelf.hasValue() ? self >= oldSelf.value() : self == 1',
          message: 'starts at 1 and grows',
          optionalOldSelf: true,
        }),
      },
    });
    expect(messages(schema, { spec: { n: 2 } })).toEqual([
      'spec.n: Invalid value: "integer": starts at 1 and grows',
    ]);
    expect(messages(schema, { spec: { n: 1 } })).toEqual([]);
    expect(messages(schema, { spec: { n: 3 } }, { spec: { n: 2 } })).toEqual([]);
    expect(messages(schema, { spec: { n: 1 } }, { spec: { n: 2 } })).toEqual([
      'spec.n: Invalid value: "integer": starts at 1 and grows',
    ]);
  });

  test('old list items are found by key in map lists only', () => {
    const item = (rules: Schema) => ({
      type: 'object',
      required: ['name'],
      properties: {
        name: str,
        port: withRules(int, { rule: 'self == oldSelf', message: 'port is immutable' }),
      },
      ...rules,
    });
    const mapList = rootWithSpec({
      type: 'object',
      properties: {
        l: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: item({}),
        },
      },
    });
    const old = {
      spec: {
        l: [
          { name: 'a', port: 1 },
          { name: 'b', port: 2 },
        ],
      },
    };
    expect(
      messages(
        mapList,
        {
          spec: {
            l: [
              { name: 'b', port: 2 },
              { name: 'a', port: 1 },
            ],
          },
        },
        old,
      ),
    ).toEqual([]);
    expect(
      messages(
        mapList,
        {
          spec: {
            l: [
              { name: 'b', port: 3 },
              { name: 'c', port: 9 },
            ],
          },
        },
        old,
      ),
    ).toEqual(['spec.l[0].port: Invalid value: "integer": port is immutable']);
    const plainList = rootWithSpec({ type: 'object', properties: { l: { type: 'array', items: item({}) } } });
    expect(messages(plainList, { spec: { l: [{ name: 'a', port: 5 }] } }, old)).toEqual([]);
  });

  test('property names are escaped as the API server escapes them', () => {
    const schema = rootWithSpec(
      withRules(
        { type: 'object', properties: { namespace: str, 'x-y': str, 'a.b': str, c__d: str } },
        {
          rule: "self.__namespace__ == 'n' && self.x__dash__y == 'y' && self.a__dot__b == 'b' && self.c__underscores__d == 'd'",
        },
      ),
    );
    expect(messages(schema, { spec: { namespace: 'n', 'x-y': 'y', 'a.b': 'b', c__d: 'd' } })).toEqual([]);
  });

  test('runtime errors are reported, not thrown', () => {
    const schema = rootWithSpec(
      withRules(
        { type: 'object', properties: { a: str, l: { type: 'array', items: int } } },
        { rule: "self.a == 'x'", message: 'a must be x' },
        { rule: 'self.l[3] == 1' },
      ),
    );
    expect(messages(schema, { spec: { l: [1] } })).toEqual([
      'spec: Invalid value: "object": no such key: a evaluating rule: a must be x',
      'spec: Invalid value: "object": index out of bounds: 3 evaluating rule: self.l[3] == 1',
    ]);
  });

  test('ratcheting: on update an unchanged value failing a rule gives a warning, not an error', () => {
    const schema = rootWithSpec({
      type: 'object',
      properties: {
        a: withRules(str, { rule: "self != 'bad'", message: 'bad a' }),
        b: withRules(str, { rule: "self != 'bad'", message: 'bad b' }),
      },
    });
    const result = validateCel(schema, { spec: { a: 'bad', b: 'bad' } }, { spec: { a: 'bad', b: 'ok' } });
    expect(result.causes.map((c) => c.field)).toEqual(['spec.b']);
    expect(result.warnings).toEqual(['spec.a: Invalid value: "string": bad a']);
  });

  test('the cost is bounded: a rule that would run for hours stops with the API server error', () => {
    const schema = rootWithSpec({
      type: 'object',
      properties: {
        l: withRules(
          { type: 'array', items: int },
          { rule: 'self.all(a, self.all(b, self.all(c, self.all(d, a + b + c + d >= 0))))', message: 'slow' },
        ),
        after: withRules(int, { rule: 'self > 0', message: 'never checked' }),
      },
    });
    const started = Date.now();
    const result = validateCel(schema, { spec: { l: Array.from({ length: 200 }, (_, i) => i), after: 0 } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.l',
        message:
          'Invalid value: "array": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: slow',
      },
    ]);
  });
});
