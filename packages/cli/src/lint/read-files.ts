// Expands the -f arguments of lint into YAML files: files as given, folders read for
// *.yaml / *.yml / *.json (hidden entries skipped), in a stable order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FILE_BYTES } from './yaml-documents';

export interface SourceFile {
  path: string;
  /** The text, or why it could not be read. */
  text?: string;
  error?: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

function walk(dir: string, recursive: boolean, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) walk(full, recursive, out);
    } else if (entry.isFile() && MANIFEST.test(entry.name)) out.push(full);
  }
}

function readOne(path: string): SourceFile {
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES)
      return { path, error: `is ${size} bytes; lint reads files of at most ${MAX_FILE_BYTES} bytes` };
    const buffer = readFileSync(path);
    if (buffer.includes(0))
      return { path, error: 'is not a text file (it contains NUL bytes); give a YAML file' };
    return { path, text: buffer.toString('utf8') };
  } catch (e) {
    return { path, error: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * Every file named, and the manifests in the named folders (their subfolders too with
 * `recursive`, as kubectl's -R). A missing path is reported, not thrown.
 */
export function readSources(paths: string[], recursive = false): SourceFile[] {
  const files: SourceFile[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      files.push({ path, error: 'does not exist; check the path given to -f' });
      continue;
    }
    if (isDir) {
      const found: string[] = [];
      walk(path, recursive, found);
      if (found.length === 0) files.push({ path, error: 'is a folder with no .yaml, .yml or .json files' });
      for (const f of found) files.push(readOne(f));
    } else {
      files.push(readOne(path));
    }
  }
  return files;
}
