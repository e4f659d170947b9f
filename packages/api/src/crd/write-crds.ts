// Writes crds/*.yaml from the schemas: `pnpm gen:crds`. A test fails when the files drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KINDS } from '../schema/kinds';
import { buildCrd, crdFileName } from './crds';
import { renderCrdYaml } from './render';

const outDir = resolve(process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'crds'));
mkdirSync(outDir, { recursive: true });
for (const info of KINDS) {
  const file = join(outDir, crdFileName(info));
  writeFileSync(file, renderCrdYaml(buildCrd(info)));
  console.log(`wrote ${file}`);
}
