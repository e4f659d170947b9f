// Where the e2e suite finds the repository, its launchers and kubectl.
import path from 'node:path';
export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin');
export const EXAMPLES = path.join(ROOT, 'examples');

export const KUBECTL = process.env['RAMP_E2E_KUBECTL'] ?? '/usr/bin/kubectl';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
