// Fuzz: the YAML files of examples/ and the seed examples, damaged as text (cut short, bytes
// flipped, tabs, lines lost or doubled, anchors and aliases, an alias bomb, brackets thousands deep),
// go through lint's reading and checking. Every case must end in a report (YAML problems and
// findings, each with a line and a message), never an exception or a hang. Seeded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Dice, fuzzSettings } from '@ramp/api/testing';
import { billionLaughs } from '../testing/yaml-hostile';
import { lintSources } from './lint';

const { cases: CASES, seed: SEED } = fuzzSettings(2000, 0x7a41);
/** A case slower than this is a hang in the making (a normal one takes a millisecond or two). */
const SLOW_MS = 1500;

const repo = resolve(__dirname, '..', '..', '..', '..');
const seeds = resolve(repo, '..', 'shared', 'seed-examples');

function yamlFiles(folder: string): { name: string; text: string }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(folder, f), 'utf8') }));
}

const FILES = [
  ...yamlFiles(join(repo, 'examples')),
  ...yamlFiles(seeds),
  ...yamlFiles(join(seeds, 'as-published')),
];

const SPECIALS = [
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '*nope',
  '!',
  '!!binary ',
  '!!set ',
  '!!float ',
  '!custom ',
  '|',
  '>-',
  '"',
  "'",
  '#',
  '%',
  '@',
  '`',
  '?',
  '<<: ',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\uFEFF',
  '\u2028',
  '\ud800',
  '🚀',
  '\\',
  '.nan',
  '.inf',
  '~',
  '{{args.x}}',
  '\n---\n',
  '\n...\n',
];

type TextOp = (text: string, dice: Dice) => string;

const lineOp = (fn: (lines: string[], i: number, dice: Dice) => void): TextOp => {
  return (text, dice) => {
    const lines = text.split('\n');
    fn(lines, dice.int(lines.length), dice);
    return lines.join('\n');
  };
};
const at = (text: string, dice: Dice) => dice.int(text.length + 1);

const TEXT_OPS: Record<string, TextOp> = {
  truncate: (t, d) => t.slice(0, at(t, d)),
  flip: (t, d) => {
    let out = t;
    for (let k = 1 + d.int(4); k > 0; k--) {
      const i = d.int(Math.max(out.length, 1));
      const ch = d.chance(0.7) ? d.pick(SPECIALS) : String.fromCharCode(d.int(0x3000));
      out = out.slice(0, i) + ch + out.slice(i + 1);
    }
    return out;
  },
  insert: (t, d) => {
    const i = at(t, d);
    return t.slice(0, i) + d.pick(SPECIALS) + t.slice(i);
  },
  tabs: lineOp((lines, i) => {
    lines[i] = lines[i]!.replace(/^( +)/, (s) => '\t'.repeat(Math.ceil(s.length / 2)));
  }),
  'delete-line': lineOp((lines, i) => {
    lines.splice(i, 1);
  }),
  'duplicate-line': lineOp((lines, i) => {
    lines.splice(i, 0, lines[i]!);
  }),
  'swap-lines': lineOp((lines, i, d) => {
    const j = d.int(lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }),
  indent: lineOp((lines, i, d) => {
    lines[i] = d.chance(0.5) ? ' '.repeat(1 + d.int(3)) + lines[i] : lines[i]!.replace(/^ {1,3}/, '');
  }),
  'anchor-alias': (t, d) => {
    const lines = t.split('\n');
    const values = lines.map((l, i) => (/:\s*\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (values.length === 0) return t;
    const a = d.pick(values);
    const b = d.pick(values);
    lines[a] = lines[a]!.replace(/:\s*/, ': &x ');
    lines[b] = lines[b]!.replace(/:\s*.*$/, d.chance(0.5) ? ': *x' : ': *missing');
    return lines.join('\n');
  },
  'self-alias': (t, d) => {
    const lines = t.split('\n');
    const maps = lines.map((l, i) => (/^\s*[\w-]+:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (maps.length === 0) return `${t}\nloop: &loop\n  again: *loop\n`;
    const i = d.pick(maps);
    const indent = /^\s*/.exec(lines[i]!)![0];
    lines[i] = `${lines[i]} &loop`;
    lines.splice(i + 1, 0, `${indent}  again: *loop`);
    return lines.join('\n');
  },
  'merge-key': lineOp((lines, i, d) => {
    const indent = /^\s*/.exec(lines[i]!)![0];
    lines.splice(i, 0, `${indent}<<: ${d.pick(['*x', '5', '[1, 2]', '{a: 1}', '*nope'])}`);
  }),
  'alias-bomb': (t, d) => `${t}\n---\n${billionLaughs(d.pick([3, 6, 10]))}\n`,
  'deep-flow': (t, d) => {
    const n = d.pick([50, 150, 500, 20_000]);
    const open = d.chance(0.5) ? '[' : '{a: ';
    const close = open === '[' ? ']' : '}';
    const i = at(t, d);
    const closing = d.chance(0.8) ? close.repeat(n) : '';
    return `${t.slice(0, i)}${open.repeat(n)}1${closing}${t.slice(i)}`;
  },
  'deep-block': (t, d) => {
    const n = d.pick([50, 150, 300]);
    const lines = Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`);
    return `${t}\ndeep:\n${lines.map((l) => ` ${l}`).join('\n')} 1\n`;
  },
  'long-line': lineOp((lines, i, d) => {
    lines[i] = `${lines[i]}${'x'.repeat(d.pick([1000, 30_000]))}`;
  }),
  separators: lineOp((lines, i, d) => {
    lines.splice(
      i,
      0,
      d.pick(['---', '...', '--- |', '---\n---', '%YAML 1.2\n---', '%TAG ! tag:x,2000:\n---']),
    );
  }),
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  bom: (t) => `\uFEFF${t}`,
  empty: () => '',
  'only-comments': () => '# nothing here\n---\n# nor here\n',
};
const OP_NAMES = Object.keys(TEXT_OPS);

function damage(text: string, dice: Dice): { text: string; ops: string[] } {
  const ops: string[] = [];
  let out = text;
  for (let k = 1 + dice.int(3); k > 0; k--) {
    const name = dice.pick(OP_NAMES);
    ops.push(name);
    out = TEXT_OPS[name]!(out, dice);
  }
  return { text: out, ops };
}

const UNCLEAR = /\[object Object\]|Maximum call stack|\bundefined\b/;

/** Lints one damaged file (sometimes with an intact one beside it); returns what went wrong, or undefined. */
function check(text: string, companion?: { name: string; text: string }): string | undefined {
  let report: ReturnType<typeof lintSources>;
  const started = performance.now();
  try {
    report = lintSources([
      { path: 'damaged.yaml', text },
      ...(companion ? [{ path: companion.name, text: companion.text }] : []),
    ]);
  } catch (error) {
    return `lint threw ${(error as Error).stack ?? String(error)}`;
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) return `lint took ${Math.round(ms)} ms`;
  for (const p of report.fileProblems) {
    if (!Number.isInteger(p.line) || p.line < 1) return `file problem without a line: ${p.message}`;
    if (typeof p.message !== 'string' || p.message.trim() === '') return 'file problem without a message';
    if (UNCLEAR.test(p.message)) return `unclear file problem: ${p.message}`;
  }
  let errors = report.fileProblems.length;
  for (const o of report.objects) {
    for (const f of o.findings) {
      if (!Number.isInteger(f.line) || f.line < 1) return `finding without a line: ${f.path}`;
      if (typeof f.path !== 'string') return 'finding without a path';
      if (typeof f.message !== 'string' || f.message.trim() === '')
        return `finding without a message at ${f.path}`;
      if (!['error', 'warning'].includes(f.severity)) return `finding with severity ${String(f.severity)}`;
      if (f.severity === 'error') errors++;
    }
  }
  if (report.errors !== errors) return `errors counted ${report.errors}, listed ${errors}`;
  try {
    JSON.stringify(report);
  } catch (error) {
    return `the report is not JSON-serialisable: ${String(error)}`;
  }
  return undefined;
}

test('the seed files lint without YAML problems before they are damaged', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(5);
  const problems = FILES.flatMap((f) =>
    lintSources([{ path: f.name, text: f.text }]).fileProblems.map(
      (p) => `${f.name}:${p.line}: ${p.message}`,
    ),
  );
  expect(problems).toEqual([]);
});

test(`lint reports, never throws or hangs, on ${CASES} damaged YAML files`, () => {
  const failures: string[] = [];
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const dice = new Dice(SEED + i);
    const file = dice.pick(FILES);
    const { text, ops } = damage(file.text, dice);
    const problem = check(text, dice.chance(0.2) ? dice.pick(FILES) : undefined);
    if (problem) failures.push(`case ${i} (${file.name}: ${ops.join(', ')}): ${problem}`);
  }
  expect(failures).toEqual([]);
});
