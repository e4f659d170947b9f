// YAML for the chart and kustomize tests. The controller does not depend on a YAML library (it needs
// none); the tests borrow `yaml`, the workspace's (a dependency of @ramp/api), through Node's resolver.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

interface YamlLibrary {
  parse(text: string): unknown;
  parseAllDocuments(text: string): { toJS(): unknown; errors: { message: string }[] }[];
  stringify(value: unknown): string;
}

export const REPO_ROOT = resolve(__dirname, '../../../../..');
const yaml = createRequire(join(REPO_ROOT, 'packages/api/package.json'))('yaml') as YamlLibrary;

export function parseYaml(text: string): unknown {
  return yaml.parse(text);
}

/** Every non-empty document of a multi-document YAML text; a syntax error throws. */
export function parseAllYaml(text: string): unknown[] {
  return yaml
    .parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
      return doc.toJS();
    })
    .filter((d) => d !== null && d !== undefined);
}

export function stringifyYaml(value: unknown): string {
  return yaml.stringify(value);
}
