import jsep from 'jsep';
import { compileCondition, evaluateExpression } from './index';

const Jsep = Reflect.get(jsep, 'Jsep') as Record<string, unknown>;
const KEYS = [
  'hooks',
  'unary_ops',
  'binary_ops',
  'literals',
  'right_associative',
  'this_str',
  'isIdentifierStart',
];

describe('the private jsep grammar', () => {
  const before = KEYS.map((key) => Jsep[key]);
  const opsBefore = JSON.stringify([jsep.binary_ops, jsep.unary_ops, jsep.literals]);

  afterEach(() => {
    expect(KEYS.map((key) => Jsep[key])).toEqual(before);
    KEYS.forEach((key, i) => {
      expect(Jsep[key]).toBe(before[i]);
    });
    expect(JSON.stringify([jsep.binary_ops, jsep.unary_ops, jsep.literals])).toBe(opsBefore);
  });

  test('does not leak into jsep as others use it', () => {
    compileCondition('a and not b or c in [1] && x ?? y');
    expect(() => compileCondition('a = 1')).toThrow();
    expect(jsep('a && b').type).toBe('BinaryExpression');
    expect(jsep('a ? b : c').type).toBe('ConditionalExpression');
    expect(jsep('a and b').type).toBe('Compound'); // `and` is not an operator in jsep's own grammar
    expect(jsep('null').type).toBe('Literal');
    expect(jsep('this').type).toBe('ThisExpression');
  });

  test('is not affected by others configuring jsep', () => {
    const hook = function (this: jsep.HookScope, env: { node?: jsep.Expression }) {
      if (this.code !== 37) return; // '%'
      this.index++;
      env.node = { type: 'Literal', value: 'injected', raw: '%' };
    };
    jsep.addBinaryOp('=~', 6);
    jsep.addUnaryOp('@');
    jsep.addLiteral('NaN', Number.NaN);
    jsep.hooks.add('gobble-token', hook, true);
    try {
      expect(jsep('%').type).toBe('Literal');
      expect(() => compileCondition('%')).toThrow('unexpected "%"');
      expect(() => compileCondition('a =~ b')).toThrow('assignment is not supported');
      expect(() => compileCondition('@a')).toThrow('unexpected "@"');
      expect(() => evaluateExpression('NaN', {})).toThrow('unknown name NaN');
      expect(evaluateExpression('result', { result: 1 })).toBe(1);
    } finally {
      jsep.removeBinaryOp('=~');
      jsep.removeUnaryOp('@');
      jsep.removeLiteral('NaN');
      const hooks: unknown = Reflect.get(jsep.hooks, 'gobble-token');
      if (Array.isArray(hooks)) hooks.splice(hooks.indexOf(hook), 1);
    }
  });

  test('operator precedence follows expr-lang', () => {
    const cases: [string, unknown][] = [
      ['-2 ** 2', -4], // unary minus binds looser than **
      ['!true == false', true], // not binds tighter than comparisons...
      ['not false && false', false], // ...and than and/or
      ['1 + 2 * 3 ** 2', 19],
      ['2 ** 3 ** 2', 512], // right-associative
      ['10 - 4 - 3', 3], // left-associative
      ['1 + 2 < 4 == true', false], // (1 + 2 < 4) chained with (4 == true)
      ['true || false && false', true], // and before or
      ['false ? 1 : 2 + 3', 5],
      ['1 + nil ?? 2', 3], // ?? binds tightest: 1 + (nil ?? 2)
      ['"ab" + "c" in ["abc"]', true],
      ['[1, 2][0] + {a: 3}.a', 4],
    ];
    for (const [source, expected] of cases)
      expect([source, evaluateExpression(source, {})]).toEqual([source, expected]);
    // as in expr-lang, ?? cannot be followed by another operator without parentheses
    expect(() => evaluateExpression('nil ?? 2 * 3', {})).toThrow(
      '* and ?? cannot be mixed without parentheses',
    );
    expect(evaluateExpression('(nil ?? 2) * 3', {})).toBe(6);
  });
});
