/** Loads CustomResourceDefinitions from `*.yaml` files (multi-document files too), or folders of them, at start. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import YAML from 'yaml';
import { isObject } from './types';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`CRD directory ${dir} does not exist`);
  if (statSync(dir).isFile()) return [dir];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

/**
 * The documents of a YAML file as Go's YAML parser (kubectl's) reads them. Istio's CRDs, as its charts
 * and Argo's end-to-end suite ship them, hold multi-line quoted descriptions whose continuation lines are
 * less indented than their key: kubectl and js-yaml accept them, the stricter `yaml` package refuses
 * them. A file `yaml` refuses is read again with js-yaml; one neither reads is an error naming the file.
 */
function readDocuments(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  const docs = YAML.parseAllDocuments(text);
  const refused = docs.find((doc) => doc.errors.length > 0);
  if (!refused) return docs.map((doc) => doc.toJS());
  try {
    return jsYaml.loadAll(text);
  } catch {
    throw new Error(`${file}: ${refused.errors[0]?.message}`);
  }
}

/** The CRD documents of one YAML file (multi-document too). */
export function readCrdFile(file: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const value of readDocuments(file)) {
    if (isObject(value) && value.kind === 'CustomResourceDefinition') out.push(value);
  }
  return out;
}

/** Every CRD document in the files and under the directories, with the file it came from. */
export function readCrds(dirs: string[]): { file: string; crd: Record<string, unknown> }[] {
  return dirs.flatMap((dir) =>
    yamlFiles(dir).flatMap((file) => readCrdFile(file).map((crd) => ({ file, crd }))),
  );
}

/** The repository's `crds/` folder, when this package sits in the Ramp repository and the folder has files. */
export function defaultCrdsDir(): string | undefined {
  const dir = path.resolve(__dirname, '..', '..', '..', 'crds');
  try {
    return existsSync(dir) &&
      readdirSync(dir).some((f) => /\.ya?ml$/.test(f) || statSync(path.join(dir, f)).isDirectory())
      ? dir
      : undefined;
  } catch {
    return undefined;
  }
}
