import { kubeTime } from './kube-time';

test('kubeTime writes whole seconds in UTC', () => {
  expect(kubeTime(new Date('2026-11-21T10:00:00.999Z'))).toBe('2026-11-21T10:00:00Z');
  expect(kubeTime(new Date('2026-11-21T12:00:00+02:00'))).toBe('2026-11-21T10:00:00Z');
});

test('for every four-digit year it is the ISO string cut at the seconds (what the controller wrote before)', () => {
  const first = Date.parse('0000-01-01T00:00:00.000Z');
  const last = Date.parse('9999-12-31T23:59:59.999Z');
  for (let i = 0; i <= 1000; i++) {
    const date = new Date(first + Math.floor(((last - first) * i) / 1000) + (i % 1000));
    expect(kubeTime(date)).toBe(`${date.toISOString().slice(0, 19)}Z`);
  }
});
