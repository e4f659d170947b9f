/**
 * CEL optional values, for rules with `optionalOldSelf: true` (oldSelf is then `optional.none()` on create):
 * `optional.of(x)`, `optional.none()`, `.hasValue()`, `.value()`, `.orValue(x)`, `.or(o)`. An optional is
 * a map with two reserved keys, which rules cannot write.
 */
import { CelScalar, type CelValue, celFunc, celMap, celMethod, isCelMap } from '@bufbuild/cel';

const MARK = '@optional';
const VALUE = '@value';

export function optionalOf(value: CelValue): CelValue {
  return celMap(
    new Map<string, CelValue>([
      [MARK, true],
      [VALUE, value],
    ]),
  );
}

export function optionalNone(): CelValue {
  return celMap(new Map<string, CelValue>([[MARK, false]]));
}

function asOptional(value: CelValue, name: string): { present: boolean; value: CelValue } {
  if (!isCelMap(value) || typeof value.get(MARK) !== 'boolean') {
    throw new Error(`no such overload: ${name}`);
  }
  return { present: value.get(MARK) === true, value: value.get(VALUE) ?? null };
}

export const optionalFunctions = [
  celFunc('optional.of', [CelScalar.DYN], CelScalar.DYN, (v) => optionalOf(v)),
  celFunc('optional.none', [], CelScalar.DYN, () => optionalNone()),
  celMethod('hasValue', CelScalar.DYN, [], CelScalar.BOOL, function () {
    return asOptional(this, 'hasValue').present;
  }),
  celMethod('value', CelScalar.DYN, [], CelScalar.DYN, function () {
    const o = asOptional(this, 'value');
    if (!o.present) throw new Error('optional.none() dereference');
    return o.value;
  }),
  celMethod('orValue', CelScalar.DYN, [CelScalar.DYN], CelScalar.DYN, function (other) {
    const o = asOptional(this, 'orValue');
    return o.present ? o.value : other;
  }),
  celMethod('or', CelScalar.DYN, [CelScalar.DYN], CelScalar.DYN, function (other) {
    return asOptional(this, 'or').present ? this : other;
  }),
];
