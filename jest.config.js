const { existsSync } = require('node:fs');

// Jest runs the TypeScript sources directly through swc (type checking is `tsc -b`, its own step).
// ESM-only dependencies are transformed too, so they load under jest's CommonJS module system.
const esmOnly = [
  'p-retry',
  'is-network-error',
  '@kubernetes/client-node',
  'jsonpath-plus',
  'jsep',
  'openid-client',
  'oauth4webapi',
  'jose',
];
const inStore = esmOnly.map((name) => name.replace('/', '\\+')).join('|');
const asLinked = esmOnly.join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', ...(existsSync(`${__dirname}/e2e`) ? ['<rootDir>/e2e'] : [])],
  testMatch: ['**/src/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^@ramp/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@ramp/([a-z-]+)/testing$': '<rootDir>/packages/$1/src/testing/index.ts',
  },
  transform: {
    '^.+\\.(t|j|mj|cj)s$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/(${inStore})@[^/]*/node_modules/)?(${asLinked})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
