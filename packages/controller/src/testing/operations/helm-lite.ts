// Just enough of Helm's template language to render this repository's chart in a test (there is no
// helm binary here): `{{ .Values.a.b }}` (with `| quote` and `| default X`), `.Release.*`, `.Chart.*`,
// `{{ include "x" . }}` (a placeholder), `toYaml X | nindent N`, and the blocks `if` (`.Values.x`,
// `not .Values.x`), `else`, `with`, `range` and `end`, on lines of their own or inline. Templates stay
// in that subset; anything else fails loudly, so a template the test cannot read is noticed.
import { stringifyYaml } from './yaml';

export type Values = Record<string, unknown>;

export interface RenderContext {
  values: Values;
  release?: { Name: string; Namespace: string; Service?: string };
  chart?: { Name: string; Version: string; AppVersion: string };
}

const TOKEN = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/** Go template truthiness: false, 0, nil, "" and empty collections are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

export function lookup(values: unknown, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Every `.Values.a.b` path a template uses. */
export function valuePaths(template: string): string[] {
  return [...template.matchAll(/\.Values((?:\.[A-Za-z_][\w]*)+)/g)].map((m) => m[1]!.slice(1));
}

function scalar(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

type Frame = {
  kind: 'if' | 'with' | 'range';
  active: boolean;
  taken: boolean;
  start: number;
  dot: unknown;
};

/** One template's source and tokens, rendered (a range's body again for each item). */
class Renderer {
  private readonly release: NonNullable<RenderContext['release']>;
  private readonly chart: NonNullable<RenderContext['chart']>;
  readonly source: string;
  private readonly tokens: RegExpExecArray[];

  constructor(
    template: string,
    private readonly ctx: RenderContext,
  ) {
    this.release = ctx.release ?? { Name: 'ramp', Namespace: 'ramp-system', Service: 'Helm' };
    this.chart = ctx.chart ?? { Name: 'ramp', Version: '0.0.0', AppVersion: '0.0.0' };
    this.source = template.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}\n?/g, '');
    this.tokens = [...this.source.matchAll(TOKEN)];
  }

  evaluate(expr: string, dot: unknown): unknown {
    const e = expr.trim();
    if (e === '.') return dot;
    if (e.startsWith('.Values')) return lookup(this.ctx.values, e.slice('.Values'.length));
    if (e.startsWith('.Release.')) return lookup(this.release, e.slice('.Release.'.length));
    if (e.startsWith('.Chart.')) return lookup(this.chart, e.slice('.Chart.'.length));
    if (e.startsWith('not ')) return !truthy(this.evaluate(e.slice(4), dot));
    if (/^"[^"]*"$/.test(e)) return e.slice(1, -1);
    throw new Error(`helm-lite: cannot evaluate "${e}"`);
  }

  private expression(body: string, dot: unknown): string {
    const [head = '', ...pipes] = body.split('|').map((p) => p.trim());
    const include = /^include "([^"]+)"/.exec(head);
    if (include) {
      const n = /^nindent (\d+)$/.exec(pipes[0] ?? '');
      return n ? `\n${' '.repeat(Number(n[1]))}helm-lite/include: ${include[1]}` : `included-${include[1]}`;
    }
    const toYaml = /^toYaml (.+)$/.exec(head);
    if (toYaml) {
      const n = /^nindent (\d+)$/.exec(pipes[0] ?? '');
      if (!n) throw new Error(`helm-lite: toYaml needs nindent: ${body}`);
      const pad = ' '.repeat(Number(n[1]));
      const text = stringifyYaml(this.evaluate(toYaml[1]!, dot)).trimEnd();
      return `\n${text
        .split('\n')
        .map((l: string) => pad + l)
        .join('\n')}`;
    }
    let value = this.evaluate(head, dot);
    for (const pipe of pipes) {
      if (pipe === 'quote') value = JSON.stringify(scalar(value));
      else if (pipe.startsWith('default ')) value = truthy(value) ? value : this.evaluate(pipe.slice(8), dot);
      else throw new Error(`helm-lite: unknown pipe "${pipe}"`);
    }
    return scalar(value);
  }

  /** The source from `from` to `to` with `dot` as `.`. */
  run(from: number, to: number, dot: unknown, trimEnd = false): string {
    let out = '';
    let pos = from;
    const stack: Frame[] = [];
    const active = () => stack.every((f) => f.active);
    for (const m of this.tokens) {
      const at = m.index ?? 0;
      if (at < from || at >= to) continue;
      const trimLeft = m[0].startsWith('{{-');
      let text = this.source.slice(pos, at);
      if (trimLeft) text = text.replace(/\s+$/, '');
      if (active()) out += text;
      pos = at + m[0].length;
      if (m[0].endsWith('-}}')) while (/\s/.test(this.source[pos] ?? '')) pos++;
      const body = m[1] ?? '';
      const top = stack[stack.length - 1];
      const frameDot = top ? top.dot : dot;
      if (!this.block(body, stack, { pos, at, trimLeft, frameDot, active }, (t) => (out += t)) && active()) {
        out += this.expression(body, frameDot);
      }
    }
    if (stack.length > 0) throw new Error(`helm-lite: unclosed ${stack[stack.length - 1]!.kind}`);
    const rest = this.source.slice(pos, to);
    if (pos < to) out += trimEnd ? rest.replace(/\s+$/, '') : rest;
    return out;
  }

  /** `if`, `with`, `range`, `else` and `end`: true when `body` is one of them. */
  private block(
    body: string,
    stack: Frame[],
    at: { pos: number; at: number; trimLeft: boolean; frameDot: unknown; active: () => boolean },
    emit: (text: string) => void,
  ): boolean {
    const word = body.split(/\s+/)[0];
    const top = stack[stack.length - 1];
    if (word === 'if' || word === 'with' || word === 'range') {
      const value = at.active() ? this.evaluate(body.slice(word.length), at.frameDot) : undefined;
      const on = truthy(value);
      const frame: Frame = {
        kind: word,
        active: on,
        taken: on,
        start: at.pos,
        dot: word === 'with' ? value : at.frameDot,
      };
      if (word === 'range') {
        if (on && at.active()) frame.dot = value;
        frame.active = false;
      }
      stack.push(frame);
    } else if (word === 'else') {
      if (top?.kind !== 'if') throw new Error('helm-lite: else without if');
      top.active = !top.taken;
    } else if (word === 'end') {
      const frame = stack.pop();
      if (!frame) throw new Error('helm-lite: end without a block');
      if (frame.kind === 'range' && Array.isArray(frame.dot) && at.active()) {
        for (const item of frame.dot) emit(this.run(frame.start, at.at, item, at.trimLeft));
      }
    } else {
      return false;
    }
    return true;
  }
}

export function render(template: string, ctx: RenderContext): string {
  const renderer = new Renderer(template, ctx);
  return renderer.run(0, renderer.source.length, ctx.values);
}
