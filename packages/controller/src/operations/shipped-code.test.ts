// What ships holds no test code: the product TypeScript project of every package the image or a
// user installs compiles no test and nothing under src/testing/, and the image builds only those.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../testing/operations/yaml';

const SHIPPED = ['api', 'kube', 'analysis', 'controller', 'cli'];

function productFiles(pkg: string): string[] {
  const configPath = join(REPO_ROOT, 'packages', pkg, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return parsed.fileNames.map((f) => relative(REPO_ROOT, f));
}

describe.each(SHIPPED)('@ramp/%s', (pkg) => {
  const files = productFiles(pkg);
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', pkg, 'package.json'), 'utf8'));

  test('its product project compiles its sources and no test scaffolding', () => {
    expect(files.length).toBeGreaterThan(3);
    expect(files.filter((f) => /\.test\.ts$|\/testing\//.test(f))).toEqual([]);
  });

  test('it ships dist/ only, and its product project references no test package', () => {
    expect(manifest.files).toEqual(['dist']);
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', pkg, 'tsconfig.json'), 'utf8'));
    const refs: string[] = (config.references ?? []).map((r: { path: string }) => r.path);
    expect(refs.filter((r) => /testkit|chaos|tsconfig\.test/.test(r))).toEqual([]);
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@ramp/testkit');
  });
});

test('the image builds the controller product project alone', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/tsc -b packages\/controller\n/);
  expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')).toMatch(/\*\*\/dist-test/);
});
