// The Argo Rollouts compatibility corpus (../shared/argo-compat beside the repository, see its
// NOTICE.md), read as the tests read it: where it is, the folders walked, the placeholders Argo's e2e
// suite fills, its files in a stable order, and their documents as kubectl reads them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isScalar, parseAllDocuments, visit } from 'yaml';

/** The corpus folder; the tests that read it are skipped when it is absent (CI has it). */
export const COMPAT_CORPUS = resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'argo-compat');
export const COMPAT_CORPUS_PRESENT = existsSync(COMPAT_CORPUS);

/** The Gateway API plugin's examples: a folder per example, applied as a whole (`kubectl apply -f`). */
export const GATEWAY_EXAMPLES = 'gatewayapi-plugin/examples';

/** The folders walked, with whether their subfolders are: examples, e2e and traffic-routing fixtures, the plugin's examples. */
export const CORPUS_FOLDERS: readonly (readonly [folder: string, recursive: boolean])[] = [
  ['examples', true],
  ['test/e2e/functional', false],
  ...['alb', 'apisix', 'appmesh', 'header-routing', 'istio', 'mirror-route', 'smi', 'smi_ingress'].map(
    (f) => [`test/e2e/${f}`, false] as const,
  ),
  [GATEWAY_EXAMPLES, true],
];

/** Argo's e2e suite fills these placeholders before applying a fixture; so do we. */
export const fillPlaceholders = (text: string) => text.replace(/ROLLOUT_NAME|REPLACEME/g, 'e2e-fixture');

export interface CorpusFile {
  /** The path inside the corpus (`examples/canary.yaml`). */
  file: string;
  /** The walked folder it was found under (one of CORPUS_FOLDERS). */
  folder: string;
  path: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** The manifests of a corpus folder (its subfolders too with `recursive`), hidden entries skipped, sorted as lint reads a folder. */
export function corpusFiles(folder: string, recursive: boolean): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) walk(path);
      } else if (entry.isFile() && MANIFEST.test(entry.name)) {
        out.push({ file: relative(COMPAT_CORPUS, path), folder, path });
      }
    }
  };
  walk(join(COMPAT_CORPUS, folder));
  return out;
}

/** Every manifest of every walked folder. */
export const allCorpusFiles = (): CorpusFile[] =>
  CORPUS_FOLDERS.flatMap(([folder, recursive]) => corpusFiles(folder, recursive));

export interface CorpusDocument {
  /** Index of the document in its file. */
  index: number;
  /** The object, when kubectl could read the document. */
  value?: Record<string, unknown>;
  /** Why it cannot be read (a YAML error, a map used as a key), when it cannot. */
  problem?: string;
}

/**
 * The documents of a corpus file, placeholders filled, read as kubectl reads YAML (1.1 booleans,
 * merge keys, unique keys); empty documents left out.
 */
export function corpusDocuments(path: string): CorpusDocument[] {
  const text = fillPlaceholders(readFileSync(path, 'utf8'));
  return parseAllDocuments(text, { schema: 'yaml-1.1', merge: true, uniqueKeys: true })
    .map((doc, index): CorpusDocument => {
      const error = doc.errors[0];
      if (error) return { index, problem: error.message.split('\n')[0]! };
      let mapKey: string | undefined;
      visit(doc, {
        Pair(_, pair) {
          if (pair.key !== null && !isScalar(pair.key)) mapKey ??= String(pair.key);
        },
      });
      if (mapKey !== undefined) return { index, problem: `a map key is itself a map (${mapKey})` };
      const value: unknown = doc.toJS();
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { index, value: value as Record<string, unknown> }
        : { index };
    })
    .filter((d) => d.value !== undefined || d.problem !== undefined);
}
