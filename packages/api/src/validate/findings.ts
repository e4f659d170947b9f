// A finding is one problem in one object: where (field path), what, and how to fix it.

export type Severity = 'error' | 'warning';

/**
 * What kind of problem: lint and the controller treat `unsupported` as "Ramp cannot run this" (not
 * yet, or never: the message says which).
 */
export type FindingCode =
  | 'invalid'
  | 'required'
  | 'type'
  | 'unknown-field'
  | 'unsupported'
  | 'reference'
  | 'suspicious';

export interface Finding {
  severity: Severity;
  code: FindingCode;
  /** Field path in the object, e.g. `spec.strategy.canary.steps[2].setWeight`; '' for the whole object. */
  path: string;
  /** What is wrong and how to fix it, in one sentence or two. */
  message: string;
}

/** Collects findings while rules walk an object. */
export class Findings {
  readonly list: Finding[] = [];

  error(path: string, message: string, code: FindingCode = 'invalid'): void {
    this.list.push({ severity: 'error', code, path, message });
  }

  warn(path: string, message: string, code: FindingCode = 'suspicious'): void {
    this.list.push({ severity: 'warning', code, path, message });
  }

  /** `instead`: what Ramp runs in its place ("Ramp runs ...; use one of them"), said before the way out. */
  unsupported(path: string, what: string, instead?: string): void {
    const fix = instead === undefined ? 'remove it' : `${instead}, remove it,`;
    this.list.push({
      severity: 'error',
      code: 'unsupported',
      path,
      message: `${what} is not supported by Ramp yet (see docs/compatibility.md); ${fix} or run this object with Argo Rollouts`,
    });
  }

  /** A field Ramp will never run: `why` not, and `instead`, what to use ("route with ... instead"). */
  neverSupported(path: string, what: string, why: string, instead: string): void {
    this.list.push({
      severity: 'error',
      code: 'unsupported',
      path,
      message: `${what} will not be supported by Ramp: ${why} (see docs/compatibility.md); ${instead}, remove it, or run this object with Argo Rollouts`,
    });
  }

  get hasErrors(): boolean {
    return this.list.some((f) => f.severity === 'error');
  }
}

/** `a.b` + `c` → `a.b.c`; index segments become `[i]`. */
export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(segment)) return `${base}[${JSON.stringify(segment)}]`;
  return base === '' ? segment : `${base}.${segment}`;
}

/** Describes a value for a message: `the string "3"`, `a list`, `nothing (null)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
      return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}
