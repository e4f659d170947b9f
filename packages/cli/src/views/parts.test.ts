// The small parts of the views: pod status words, kubectl's ages, frames and the redraw throttle.
import type { Pod } from '../kube/model';
import { FramePrinter, Throttle } from './frames';
import { podStatus } from './pod-info';
import { humanDuration } from './text';

const ago = (s: number) => new Date(Date.parse('2026-11-21T12:00:00Z') - s * 1000).toISOString();

test('pods: kubectl status words, ready containers and restarts', () => {
  const p = (status: Pod['status'], extra: Partial<Pod> = {}) =>
    podStatus({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status,
      ...extra,
    });
  expect(p({ phase: 'Pending' })).toEqual({ status: 'Pending', ready: '0/2', restarts: 0 });
  expect(
    p({
      phase: 'Pending',
      containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }],
    }).status,
  ).toBe('ContainerCreating');
  expect(
    p({ phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }).status,
  ).toBe('ExitCode:2');
  expect(
    p({
      phase: 'Running',
      initContainerStatuses: [{ name: 'i', restartCount: 1, state: { waiting: { reason: 'ErrImagePull' } } }],
    }),
  ).toEqual({ status: 'Init:ErrImagePull', ready: '0/2', restarts: 1 });
  expect(p({ phase: 'Running' }, { metadata: { name: 'p', deletionTimestamp: ago(1) } }).status).toBe(
    'Terminating',
  );
});

test('ages as kubectl prints them', () => {
  const cases: [number, string][] = [
    [-5, '<invalid>'],
    [0, '0s'],
    [119, '119s'],
    [125, '2m5s'],
    [600, '10m'],
    [3 * 3600 + 60, '3h1m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 3600, '3d1h'],
    [400 * 86400, '400d'],
    [3 * 365 * 86400 + 86400, '3y1d'],
  ];
  expect(cases.map(([s]) => humanDuration(s * 1000))).toEqual(cases.map(([, text]) => text));
});

test('frames: appended with a blank line and repeats left out; a throttle merges bursts', async () => {
  let out = '';
  const printer = new FramePrinter((t) => (out += t), 'append');
  for (const f of ['a\n', 'a\n', 'b\n']) printer.print(f);
  expect(out).toBe('a\n\nb\n');
  let redraw = '';
  new FramePrinter((t) => (redraw += t), 'redraw').print('x\n');
  expect(redraw).toBe('\u001b[H\u001b[2Jx\n');
  let calls = 0;
  const throttle = new Throttle(() => calls++, 50);
  for (let i = 0; i < 10; i++) throttle.trigger();
  await new Promise((r) => setTimeout(r, 20));
  expect(calls).toBe(1);
  throttle.trigger();
  throttle.trigger();
  await new Promise((r) => setTimeout(r, 20));
  expect(calls).toBe(1);
  await new Promise((r) => setTimeout(r, 60));
  expect(calls).toBe(2);
  throttle.cancel();
});
