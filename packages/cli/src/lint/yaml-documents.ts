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

/** Parses every document of a YAML text. Never throws: problems are returned per document. */
export function parseYamlDocuments(text: string): YamlDocument[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter: lines,
    schema: 'yaml-1.1',
    merge: true,
    uniqueKeys: true,
    prettyErrors: true,
    logLevel: 'error',
  });
  const docs = Array.isArray(parsed) ? parsed : [];
  return docs.map((doc, index) => {
    const positions = new Map<string, Position>();
    const problems: YamlProblem[] = doc.errors.map((e) => ({
      position: e.linePos?.[0] ?? lines.linePos(e.pos[0]),
      message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    }));
    const start = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    if (problems.length === 0) {
      recordPositions(text, doc.contents as Node | null, '', lines, positions, problems);
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        problems.push({ position: start, message: `cannot read this document: ${(e as Error).message}` });
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
