import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../program';

const repo = resolve(__dirname, '..', '..', '..', '..');
const seeds = resolve(repo, '..', 'shared', 'seed-examples');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    io: { out: (s) => (out += s), err: (s) => (err += s), setExitCode: () => {} },
  });
  return { code, out, err };
}

describe('kubectl ramp lint', () => {
  test('the examples/ folder lints clean', async () => {
    const { code, out } = await run(['lint', '-f', join(repo, 'examples')]);
    expect(out).toMatch(/0 errors/);
    expect(code).toBe(0);
  });

  test('-o json gives the whole report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: x}\nspec: {}\n',
    );
    const { code, out } = await run(['lint', '-f', dir, '-o', 'json']);
    const report = JSON.parse(out);
    expect(code).toBe(1);
    expect(report.objects[0]).toMatchObject({ kind: 'Rollout', name: 'x', status: 'checked' });
    expect(report.objects[0].findings.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['spec.selector', 'spec.template', 'spec.strategy']),
    );
  });

  test('usage errors say what to do', async () => {
    expect(await run(['lint'])).toMatchObject({
      code: 1,
      err: 'error: lint needs at least one -f PATH (a file or a folder)\n',
    });
    expect((await run(['lint', '-f', 'x', '-o', 'yaml'])).err).toContain('use text or json');
    expect((await run(['nope'])).err).toContain("unknown command 'nope'");
  });

  const seedTest = existsSync(seeds) ? test : test.skip;

  seedTest(
    'the corrected seed examples pass and the Argo CD Application is skipped with a note',
    async () => {
      const { code, out } = await run(['lint', '-f', seeds]);
      expect(out).toContain(
        'argocd-application.yaml:1: Application/sgdecoding-online-scaled: skipped: not a kind Ramp checks',
      );
      expect(code).toBe(0);
    },
  );

  seedTest('the seed examples as published are rejected with the file, line and fix', async () => {
    const { code, out } = await run(['lint', '-f', join(seeds, 'as-published')]);
    expect(code).toBe(1);
    expect(out).toContain(
      'as-published/canary-rollout.yaml:2: Rollout/myapp-rollout: kind: is missing: the document has "Kind:" instead, and field names are case-sensitive; write "kind: Rollout"',
    );
    expect(out).toContain(
      'as-published/bluegreen-rollout.yaml:8: Rollout/bluegreen-rollout: spec.selector.matchLabels: expected a map, got the string "app:myapp"; YAML needs a space after the colon: write "app: myapp"',
    );
    expect(out).toContain('as-published/services.yaml:2: Service/myapp-active: kind: is missing');
    expect(out).toMatch(
      /as-published\/analysis.yaml:14: .*warning: divides number_of_request_receive_by_master_total by number_of_request_reject_total/,
    );
  });

  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  (kubectl ? test : test.skip)(
    'runs as a kubectl plugin: `kubectl ramp lint` with bin/ on PATH',
    async () => {
      const exec = promisify(execFile);
      const env = { ...process.env, PATH: `${join(repo, 'bin')}:${process.env.PATH}` };
      const ok = await exec(kubectl!, ['ramp', 'lint', '-f', join(repo, 'examples')], {
        env,
        timeout: 120_000,
      });
      expect(ok.stdout).toMatch(/0 errors/);
      const bad = await exec(kubectl!, ['ramp', 'lint', '-f', join(repo, 'package.json')], {
        env,
        timeout: 120_000,
      }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 1 });
      expect(bad.stderr).not.toMatch(/at .*\.js:\d+/); // never a stack trace
    },
    150_000,
  );
});
