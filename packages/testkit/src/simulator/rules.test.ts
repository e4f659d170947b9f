/** The documented rules (bad images, exit codes, run durations) and the FakeClock, as pure functions. */
import type { KubeObject } from '../types';
import { FakeClock } from './clock';
import {
  badImagePredicate,
  type Container,
  exitCodeOf,
  exitCodes,
  imageTag,
  JOB_RESULT_ANNOTATION,
  runDurationMs,
} from './rules';

const sh = (script: string, image = 'busybox'): Container => ({
  name: 'c',
  image,
  command: ['sh', '-c'],
  args: [script],
});

test('bad images: a tag ending in "bad", or listed; a predicate replaces the rule', () => {
  expect(imageTag('registry.local:5000/team/app:v2-bad@sha256:abc')).toBe('v2-bad');
  expect(imageTag('registry.local:5000/app')).toBeUndefined();
  const rule = badImagePredicate(['nginx:1.27']);
  expect(['app:v2-bad', 'app:bad', 'r:5000/app:notbad', 'nginx:1.27'].every(rule)).toBe(true);
  expect(['app:v2', 'bad/app:v1', 'registry-bad:5000/app', 'app:bad-v1', 'nginx:1.28'].some(rule)).toBe(
    false,
  );
  expect(badImagePredicate((image) => image === 'x')('app:bad')).toBe(false);
});

test('exit codes: the last shell `exit N`, else 0', () => {
  expect(exitCodeOf(sh('sleep 5 && exit 1'))).toBe(1);
  expect(exitCodeOf(sh('exit 1; exit 0'))).toBe(0);
  expect(exitCodeOf(sh('exit 0 || exit 17'))).toBe(17);
  expect(exitCodeOf(sh('echo done'))).toBe(0);
  expect(exitCodeOf(sh('exit $?'))).toBe(0);
  expect(exitCodeOf(sh('./pre-exit 3 && my-exit 2'))).toBe(0);
  expect(exitCodeOf({ name: 'c', image: 'x', command: ['sh', '-c', 'exit 2'], args: [] })).toBe(2);
});

test('per-container results: bad images exit 1, the Job annotation forces the outcome', () => {
  const containers = [sh('exit 0'), { ...sh('exit 0', 'app:bad'), name: 'd' }];
  const isBad = badImagePredicate(undefined);
  expect([...exitCodes(containers, isBad).values()]).toEqual([0, 1]);
  const job = (result: string): KubeObject => ({
    metadata: { annotations: { [JOB_RESULT_ANNOTATION]: result } },
  });
  expect([
    ...exitCodes([sh('exit 0'), { ...sh('exit 5'), name: 'e' }], isBad, job('failure')).values(),
  ]).toEqual([1, 5]);
  expect([...exitCodes(containers, isBad, job('success')).values()]).toEqual([0, 0]);
});

test('run durations: at least jobDurationMs, longer with sleeps, capped at ten times', () => {
  expect(runDurationMs([sh('exit 1')], 1000)).toBe(1000);
  expect(runDurationMs([sh('sleep 3 && exit 1')], 1000)).toBe(3000);
  expect(runDurationMs([sh('sleep 1; sleep 0.5s')], 1000)).toBe(1500);
  expect(runDurationMs([sh('sleep 3600')], 1000)).toBe(10_000);
});

test('FakeClock: timers in due order (then set order), cancel, timers set by timers', () => {
  const clock = new FakeClock(0);
  const seen: string[] = [];
  clock.setTimer(20, () => seen.push(`b@${clock.now()}`));
  clock.setTimer(10, () => {
    seen.push(`a@${clock.now()}`);
    clock.setTimer(5, () => seen.push(`a2@${clock.now()}`));
  });
  clock.setTimer(20, () => seen.push(`c@${clock.now()}`));
  const cancel = clock.setTimer(15, () => seen.push('never'));
  cancel();
  clock.advance(9);
  expect(seen).toEqual([]);
  clock.advance(11);
  expect(seen).toEqual(['a@10', 'a2@15', 'b@20', 'c@20']);
  expect(clock.now()).toBe(20);
  expect(clock.pending).toBe(0);
  const loop = () => clock.setTimer(0, loop);
  loop();
  expect(() => clock.advance(0)).toThrow(/more than 100000 timers/);
});
