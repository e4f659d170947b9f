// Lets `node -r register-ts.cjs packages/controller/src/main.ts` run the TypeScript sources as jest does
// (swc, CommonJS; `@ramp/x` resolved to packages/x/src), so a test can spawn real controller
// processes without building the repository first. Test support only.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '../../../../..');
const swc = require(require.resolve('@swc/core', { paths: [root] }));
const options = {
  jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@ramp\/([a-z-]+)$/.exec(request);
  if (m) return path.join(root, 'packages', m[1], 'src', 'index.ts');
  return resolveFilename.call(this, request, parent, ...rest);
};
