/**
 * Property names as CEL sees them, with Kubernetes' escaping: CEL reserved words become `__word__`, and in
 * names of the form `[a-zA-Z_.-/][a-zA-Z0-9_.-/]*`, `__` becomes `__underscores__`, `.` `__dot__`, `-` `__dash__`
 * and `/` `__slash__`. Any other name cannot be reached from CEL.
 */

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const ESCAPES: Record<string, string> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

/** The CEL field name of a property, or undefined when the property cannot be reached from CEL. */
export function escapePropertyName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z0-9_./-]+$/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (s) => ESCAPES[s] ?? s);
}
