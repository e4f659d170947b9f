// What the API server refuses in a CRD's x-kubernetes-validations, checked when the CRD is written.
import type { Schema } from '../semantics/schema-validation';
import { rootWithSpec, widgetCrd, withRules } from '../testing/crd-schemas';
import { validateCrdRules } from './crd-rules-validation';

const spec = (
  rules: Parameters<typeof withRules>[1][],
  properties: Record<string, Schema> = { a: { type: 'string' } },
) => rootWithSpec(withRules({ type: 'object', properties }, ...rules));

function causes(schema: Schema, versions?: string[]) {
  return validateCrdRules(widgetCrd(schema, versions));
}

describe('a CRD whose rules cannot be compiled is refused', () => {
  test('an unknown function: the compiler error, at the rule, with the rule as the value', () => {
    expect(causes(spec([{ rule: 'self.a.frobnicate()' }]))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
        message:
          'Invalid value: apiextensions.ValidationRule{Rule:"self.a.frobnicate()", Message:"", MessageExpression:"", ' +
          'Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: ' +
          "compilation failed: ERROR: <input>:1:18: undeclared reference to 'frobnicate' (in container '')\n" +
          ' | self.a.frobnicate()\n' +
          ' | .................^',
      },
    ]);
  });

  test('undefined fields, wrong result types, bad regular expressions, syntax errors', () => {
    const found = causes(
      spec([
        { rule: 'self.b == 1' },
        { rule: 'self.a' },
        { rule: "self.a.matches('(')" },
        { rule: 'self.a ==' },
      ]),
    ).map((c) => c.message?.replace(/^Invalid value: apiextensions\.ValidationRule\{.*?\}: /, ''));
    expect(found).toEqual([
      expect.stringContaining("compilation failed: ERROR: <input>:1:5: undefined field 'b'"),
      'cel expression must evaluate to a bool',
      'program instantiation failed: error parsing regexp: missing closing ): `(`',
      expect.stringMatching(/^compilation failed: ERROR: <input>:1:\d+: Syntax error: /),
    ]);
  });

  test('per-version paths when the versions differ; messageExpression, fieldPath and reason are checked', () => {
    const one = spec([
      { rule: 'true', messageExpression: 'self.a.size()' },
      { rule: 'true', fieldPath: '.nope' },
      { rule: 'true', reason: 'Nonsense' },
    ]);
    const found = validateCrdRules({
      spec: {
        versions: [
          { name: 'v1', schema: { openAPIV3Schema: one } },
          { name: 'v2', schema: { openAPIV3Schema: rootWithSpec({ type: 'object' }) } },
        ],
      },
    });
    expect(
      found.map((c) => `${c.field}: ${c.message?.replace(/apiextensions\.ValidationRule\{.*?\}/, 'RULE')}`),
    ).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].messageExpression: Invalid value: RULE: messageExpression must evaluate to a string',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].fieldPath: Invalid value: ".nope": fieldPath must be a valid path: does not refer to a valid field',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[2].reason: Unsupported value: "Nonsense": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
    ]);
  });

  test('oldSelf under a list that is not a map list is refused; under a map list it is fine', () => {
    const items = withRules(
      { type: 'object', properties: { name: { type: 'string' } } },
      { rule: 'self == oldSelf' },
    );
    const plain = rootWithSpec({ type: 'object', properties: { l: { type: 'array', items } } });
    expect(causes(plain).map((c) => c.message)).toEqual([
      'Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[l].items',
    ]);
    const mapList = rootWithSpec({
      type: 'object',
      properties: {
        l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items },
      },
    });
    expect(causes(mapList)).toEqual([]);
  });
});
