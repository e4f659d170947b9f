/**
 * The token grammar, as jsep's `gobble-token`, `after-token` and `gobble-spaces` hooks: number and string
 * literals (Go syntax), unary operators with expr-lang precedence, `#`/`#index` and `.field` (closure
 * pointers), `{...}` (a predicate closure, or a map literal when it starts with `key:`), refusals of
 * backticks and regex literals, token start offsets for messages, comments and Unicode white space.
 * Identifiers, `true`/`false`/`nil`, `[arrays]`, `(groups)`, member access and calls are left to jsep.
 */
import { parseError } from './errors';
import { climb } from './grammar-operators';
import {
  isDigit,
  isIdentifierStart,
  scanNumber,
  scanString,
  scanWord,
  skipSpacesAndComments,
  UNARY_PRECEDENCE,
} from './lexer';
import { LIMITS } from './limits';
import { current, type HookEnv, make, type Scope, type Tree, tooDeep } from './parse-state';

function unary(scope: Scope, operator: string, length: number, start: number): Tree {
  scope.index += length;
  const argument = climb(scope, UNARY_PRECEDENCE[operator]!);
  if (!argument) throw parseError(scope.expr, `expected an expression after ${operator}`, scope.index);
  return make('UnaryExpression', start, { operator, argument, prefix: true });
}

/** `{ expr }` is a predicate closure; `{}` and `{ key: value, ... }` are map literals. */
function braces(scope: Scope, start: number): Tree {
  const src = scope.expr;
  scope.index++;
  scope.gobbleSpaces();
  if (src.charAt(scope.index) === '}') {
    scope.index++;
    return make('MapLiteral', start, { entries: [] });
  }
  if (mapKeyAt(src, scope.index)) return mapLiteral(scope, start);
  const body = scope.gobbleExpression();
  if (!body) throw parseError(src, 'expected an expression inside { }', scope.index);
  scope.gobbleSpaces();
  if (src.charAt(scope.index) !== '}') throw parseError(src, 'expected } to close {', scope.index);
  scope.index++;
  return make('Closure', start, { body });
}

function mapKeyAt(src: string, at: number): { key: string; end: number } | undefined {
  const code = src.charCodeAt(at);
  let key: { key: string; end: number };
  if (code === 34 || code === 39) {
    const { value, end } = scanString(src, at);
    key = { key: value, end };
  } else if (isDigit(code)) {
    const { end } = scanNumber(src, at);
    key = { key: src.slice(at, end), end };
  } else if (isIdentifierStart(code)) {
    const word = scanWord(src, at);
    key = { key: word, end: at + word.length };
  } else {
    return undefined;
  }
  const colon = skipSpacesAndComments(src, key.end);
  return src.charAt(colon) === ':' ? { key: key.key, end: colon + 1 } : undefined;
}

function mapLiteral(scope: Scope, start: number): Tree {
  const src = scope.expr;
  const entries: Tree[] = [];
  for (;;) {
    scope.gobbleSpaces();
    if (src.charAt(scope.index) === '}' && entries.length > 0) break;
    const at = scope.index;
    const key = mapKeyAt(src, at);
    if (!key) throw parseError(src, 'expected a map key (a name, a string or a number) followed by :', at);
    scope.index = key.end;
    const value = scope.gobbleExpression();
    if (!value) throw parseError(src, `expected a value for key "${key.key}"`, scope.index);
    entries.push(make('Entry', at, { key: key.key, value }));
    scope.gobbleSpaces();
    const ch = src.charAt(scope.index);
    if (ch === ',') scope.index++;
    else if (ch === '}') break;
    else throw parseError(src, 'expected , or } in map literal', scope.index);
  }
  scope.index++;
  return scope.gobbleTokenProperty(make('MapLiteral', start, { entries }));
}

function readToken(scope: Scope, start: number): Tree | undefined {
  const src = scope.expr;
  const ch = src.charAt(start);
  const code = src.charCodeAt(start);
  const nextCode = src.charCodeAt(start + 1);
  if (isDigit(code) || (ch === '.' && isDigit(nextCode))) {
    const { value, end } = scanNumber(src, start);
    scope.index = end;
    return make('Literal', start, { value, raw: src.slice(start, end) });
  }
  if (ch === '"' || ch === "'") {
    const { value, end } = scanString(src, start);
    scope.index = end;
    return scope.gobbleTokenProperty(make('Literal', start, { value, raw: src.slice(start, end) }));
  }
  if (ch === '#') {
    const name = scanWord(src, start + 1);
    scope.index = start + 1 + name.length;
    return scope.gobbleTokenProperty(make('Pointer', start, { name }));
  }
  if (ch === '.') {
    if (!isIdentifierStart(nextCode)) throw parseError(src, 'unexpected "."', start);
    return scope.gobbleTokenProperty(make('Pointer', start, { name: '' })); // `.field` is `#.field`
  }
  if (ch === '{') return braces(scope, start);
  if (ch === '-' || ch === '+' || ch === '!') return unary(scope, ch, 1, start);
  if (ch === '`') {
    throw parseError(
      src,
      'backtick strings and template literals are not supported; use "..." or \'...\'',
      start,
    );
  }
  if (ch === '/') {
    throw parseError(
      src,
      'regular expression literals are not supported; use: text matches "pattern"',
      start,
    );
  }
  if (isIdentifierStart(code) && scanWord(src, start) === 'not') return unary(scope, 'not', 3, start);
  return undefined; // identifiers, true/false/nil, [arrays] and (groups) are jsep's
}

export function gobbleToken(this: Scope, env: HookEnv): void {
  const s = current();
  const start = this.index;
  s.starts.push(start);
  if (s.starts.length > LIMITS.maxNesting) tooDeep(this, start);
  const tree = readToken(this, start);
  if (tree) env.node = tree;
}

export function afterToken(this: Scope, env: HookEnv): void {
  const start = current().starts.pop();
  const tree = env.node;
  if (tree && typeof tree === 'object' && tree.start === undefined && start !== undefined) tree.start = start;
}

export function gobbleSpaces(this: Scope): void {
  this.index = skipSpacesAndComments(this.expr, this.index);
}
