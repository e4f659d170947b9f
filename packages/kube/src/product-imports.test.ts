// The package's product code stands alone: it never imports @ramp/testkit or its own testing/ folder
// (test scaffolding, which may use testkit), and none of the packages above it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function productSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : productSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

test('product code imports neither @ramp/testkit, nor testing/, nor a package above @ramp/kube', () => {
  const offending = productSources(__dirname).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
      .map((m) => m[1]!)
      .filter((spec) => /^@ramp\/(?!api$)|testing/.test(spec))
      .map((spec) => `${relative(__dirname, file)}: ${spec}`),
  );
  expect(productSources(__dirname).length).toBeGreaterThan(10);
  expect(offending).toEqual([]);
});
