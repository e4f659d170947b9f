// operations/ (metrics, health, leader election, scope, RBAC) sits below runtime/: runtime wires the
// operations parts in, never the other way round.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

test('the product code of operations/ imports nothing from runtime/', () => {
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const offending = files.filter((name) =>
    /from '\.\.\/runtime\//.test(readFileSync(join(__dirname, name), 'utf8')),
  );
  expect(files.length).toBeGreaterThan(5);
  expect(offending).toEqual([]);
});
