// The build: once, before any launcher runs, so parallel test files do not race to build.
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './commands';
import { ROOT, sleep } from './paths';

/**
 * Runs `tsc -b` (bounded) under a lock shared by the jest workers: the launchers build when a
 * source is newer than their entry point, and two builds at once would write the same files.
 */
export async function ensureBuilt(timeoutMs = 240_000): Promise<void> {
  const lock = path.join(os.tmpdir(), `ramp-e2e-build-${hashOf(ROOT)}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the whole bound is left over from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > timeoutMs) rmdirSync(lock);
      } catch {}
      if (Date.now() > deadline) throw new Error(`another e2e build held ${lock} for ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  try {
    const result = await run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b'], {
      timeoutMs: Math.max(1_000, deadline - Date.now()),
    });
    if (result.code !== 0)
      throw new Error(`tsc -b failed (${result.code}):\n${result.stdout}${result.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

function hashOf(text: string): string {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16);
}
