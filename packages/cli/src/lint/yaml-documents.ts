// Reads YAML files as kubectl does (multi-document, YAML 1.1 booleans) and remembers where each
// field stands, so a finding on `spec.replicas` can name its file and line.
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

export interface YamlProblem {
  position: Position;
  message: string;
}

export interface YamlDocument {
  /** Index of the document in its file (0-based). */
  index: number;
  /** The document as plain data; undefined for an empty document (`---` with nothing after it). */
  value: unknown;
  /** Where the document starts. */
  position: Position;
  /** Field path (as findings write it) → the line of its key or item. */
  positions: Map<string, Position>;
  /** Syntax errors and structures kubectl cannot read. */
  problems: YamlProblem[];
}

/** Largest file we read: a manifest folder is not a place for 10 MB documents. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(segment)) return `${base}[${JSON.stringify(segment)}]`;
  return base === '' ? segment : `${base}.${segment}`;
}

function recordPositions(
  source: string,
  node: Node | null | undefined,
  path: string,
  lines: LineCounter,
  positions: Map<string, Position>,
  problems: YamlProblem[],
): void {
  if (!node) return;
  const at = (offset: number | undefined): Position => lines.linePos(offset ?? 0);
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (key && !isScalar(key)) {
        const text = key.range ? source.slice(key.range[0], key.range[1]).trim() : String(key);
        problems.push({
          position: at(key.range?.[0]),
          message: `a map key is itself a ${isSeq(key) ? 'list' : 'map'} (${text}), which kubectl cannot read; if you meant text such as {{args.name}}, put it in quotes`,
        });
        continue;
      }
      const name = isScalar(key) ? String(key.value) : '';
      const childPath = joinPath(path, name);
      positions.set(childPath, at(key?.range?.[0] ?? node.range?.[0]));
      recordPositions(source, pair.value as Node | null, childPath, lines, positions, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const childPath = joinPath(path, i);
      const n = item as Node | null;
      positions.set(childPath, at(n?.range?.[0] ?? node.range?.[0]));
      recordPositions(source, n, childPath, lines, positions, problems);
    });
  } else if (isAlias(node)) {
    // Aliases resolve to the anchored node; its positions are recorded where it was defined.
  }
}

/** Most alias expansions one document may make (the yaml library's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * Deepest bracket nesting read. The yaml library recurses once per bracket (slowly, and into a stack
 * overflow some hundreds deep), so deeper text is refused before it is parsed. Brackets are counted
 * as written, quoted or not: no manifest comes near this many unclosed ones.
 */
export const MAX_FLOW_DEPTH = 200;

/** Where brackets first nest deeper than MAX_FLOW_DEPTH, or undefined. */
function tooDeepFlow(text: string): Position | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line++;
      lineStart = i + 1;
    } else if (ch === 91 || ch === 123) {
      if (++depth > MAX_FLOW_DEPTH) return { line, col: i - lineStart + 1 };
    } else if ((ch === 93 || ch === 125) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** The yaml library's resource errors, in words a person can act on. */
function readableYamlError(code: string | undefined, message: string): string {
  if (code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(message)) {
    return 'the document nests too deeply to read (hundreds of brackets or indentation levels); a Kubernetes object nests a few dozen levels at most: look for unclosed [ or {';
  }
  if (/alias count/i.test(message)) {
    return `the document's aliases (*name) expand into too many copies (more than ${MAX_ALIAS_COUNT}), as an alias bomb does; write the values out or use fewer aliases`;
  }
  return message;
}

/**
 * The path of the first map or list that contains itself (an alias inside its own anchor:
 * `a: &x [*x]`), or undefined. Such a document is infinite: kubectl cannot send it.
 */
function selfReference(value: unknown): string | undefined {
  const onPath = new Set<object>();
  const stack: [unknown, string, boolean][] = [[value, '', false]];
  while (stack.length > 0) {
    const [v, path, leaving] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (leaving) {
      onPath.delete(v);
      continue;
    }
    if (onPath.has(v)) return path;
    onPath.add(v);
    stack.push([v, path, true]);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push([v[i], joinPath(path, i), false]);
    else for (const [k, item] of Object.entries(v)) stack.push([item, joinPath(path, k), false]);
  }
  return undefined;
}

/** One problem for the whole text, at `position`: nothing of it could be read. */
const unreadable = (position: Position, message: string): YamlDocument[] => [
  { index: 0, value: undefined, position, positions: new Map(), problems: [{ position, message }] },
];

/** The yaml library's documents; throws only what the library lets through (a stack overflow). */
function parseAll(text: string, lines: LineCounter) {
  const parsed = parseAllDocuments(text, {
    lineCounter: lines,
    schema: 'yaml-1.1',
    merge: true,
    uniqueKeys: true,
    prettyErrors: true,
    logLevel: 'error',
  });
  return Array.isArray(parsed) ? parsed : [];
}

/** Parses every document of a YAML text. Never throws: problems are returned per document. */
export function parseYamlDocuments(text: string): YamlDocument[] {
  const deep = tooDeepFlow(text);
  if (deep) {
    return unreadable(
      deep,
      `brackets nest more than ${MAX_FLOW_DEPTH} levels deep here; a Kubernetes object nests a few dozen levels at most: look for unclosed [ or {`,
    );
  }
  const lines = new LineCounter();
  let docs: ReturnType<typeof parseAll>;
  try {
    docs = parseAll(text, lines);
  } catch (e) {
    // The parser recurses once per bracket or indentation level and lets a stack overflow through.
    return unreadable(
      { line: 1, col: 1 },
      readableYamlError(undefined, e instanceof Error ? e.message : String(e)),
    );
  }
  return docs.map((doc, index) => {
    const positions = new Map<string, Position>();
    const problems: YamlProblem[] = doc.errors.map((e) => ({
      position: e.linePos?.[0] ?? lines.linePos(e.pos[0]),
      message: readableYamlError(
        e.code,
        e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      ),
    }));
    const start = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    if (problems.length === 0) {
      try {
        recordPositions(text, doc.contents as Node | null, '', lines, positions, problems);
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (e) {
        const message = readableYamlError(undefined, e instanceof Error ? e.message : String(e));
        problems.push({ position: start, message: `cannot read this document: ${message}` });
      }
      const loop = problems.length === 0 ? selfReference(value) : undefined;
      if (loop !== undefined) {
        value = undefined;
        problems.push({
          position: positions.get(loop) ?? start,
          message: `${loop || 'the document'} contains itself through an alias (*name inside its own &name), so it never ends and kubectl cannot send it; write the values out`,
        });
      }
    }
    return { index, value, position: start, positions, problems };
  });
}

/** The line for a field path: the path itself, else its nearest ancestor, else the document start. */
export function positionOf(doc: YamlDocument, path: string): Position {
  let p = path;
  while (p !== '') {
    const found = doc.positions.get(p) ?? sameButForCase(doc, p);
    if (found) return found;
    p = p.replace(/(\[[^\]]*\]|\.[^.[]+|^[^.[]+)$/, '');
  }
  return doc.position;
}

/** A field written with other letter case (`Kind:` for `kind:`) stands where the finding points. */
function sameButForCase(doc: YamlDocument, path: string): Position | undefined {
  const lower = path.toLowerCase();
  for (const [p, position] of doc.positions) if (p.toLowerCase() === lower) return position;
  return undefined;
}
