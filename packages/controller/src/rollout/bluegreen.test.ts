import { POD_TEMPLATE_HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION } from '../model/names';
import { FakeCluster } from '../testing/rollout/fake-cluster';
import { blueGreenRollout, template } from '../testing/rollout/fixtures';

const selectorOf = (c: FakeCluster, svc: string) =>
  c.services.get(svc)?.spec.selector?.[POD_TEMPLATE_HASH_LABEL];

function checkInvariants(c: FakeCluster): void {
  for (const svc of c.services.values()) {
    const hash = svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL];
    if (hash)
      expect({ svc: svc.metadata.name, up: (c.rs(hash)?.status?.availableReplicas ?? 0) > 0 }).toEqual({
        svc: svc.metadata.name,
        up: true,
      });
  }
  const stable = c.rollout.status?.stableRS;
  const active = selectorOf(c, 'bg-active');
  if (stable && active === stable) expect(c.rs(stable)?.spec.replicas).toBe(c.rollout.spec.replicas);
}

function setup(extra: Record<string, unknown> = {}): FakeCluster {
  const c = new FakeCluster(blueGreenRollout(extra));
  c.addService('bg-active');
  c.addService('bg-preview');
  c.addTemplate(template('check'));
  c.converge(30, () => checkInvariants(c));
  expect(c.rollout.status?.phase).toBe('Healthy');
  return c;
}

describe('blue-green', () => {
  test('the first deploy goes straight to active', () => {
    const c = setup();
    const hash = c.rollout.status!.currentPodHash!;
    expect(selectorOf(c, 'bg-active')).toBe(hash);
    expect(c.rollout.status).toMatchObject({
      stableRS: hash,
      blueGreen: { activeSelector: hash },
      HPAReplicas: 2,
      selector: `app=bg,${POD_TEMPLATE_HASH_LABEL}=${hash}`,
    });
  });

  test('manual promotion: preview serves the new version, active the old, promote switches, old scaled down after the delay', () => {
    const c = setup({ autoPromotionEnabled: false });
    const old = c.rollout.status!.stableRS!;
    c.setImage('bg:2');
    c.converge(30, () => checkInvariants(c));
    const next = c.rollout.status!.currentPodHash!;
    expect(selectorOf(c, 'bg-preview')).toBe(next);
    expect(selectorOf(c, 'bg-active')).toBe(old);
    expect(c.rollout.status).toMatchObject({ phase: 'Paused', message: 'BlueGreenPause' });
    expect(c.counts()).toEqual({ 'bg:1': 2, 'bg:2': 2 });
    c.patchStatus({ pauseConditions: [] });
    c.converge(30, () => checkInvariants(c));
    expect(selectorOf(c, 'bg-active')).toBe(next);
    expect(c.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: next });
    expect(c.rs(old)?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]).toBe('2026-01-01T00:00:30Z');
    expect(c.counts()).toEqual({ 'bg:1': 2, 'bg:2': 2 });
    expect(c.plans.at(-1)?.wakeAt?.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    c.advance(30);
    c.converge();
    expect(c.counts()).toEqual({ 'bg:1': 0, 'bg:2': 2 });
    expect(
      c.events.some((e) => e.startsWith("SwitchService: Switched selector for service 'bg-active'")),
    ).toBe(true);
  });

  test('previewReplicaCount, then full scale before the switch', () => {
    const c = setup({ autoPromotionEnabled: false, previewReplicaCount: 1 });
    c.setImage('bg:2');
    c.converge();
    expect(c.counts()).toEqual({ 'bg:1': 2, 'bg:2': 1 });
    c.patchStatus({ pauseConditions: [] });
    c.converge(30, () => checkInvariants(c));
    expect(c.counts()).toEqual({ 'bg:1': 2, 'bg:2': 2 });
    expect(c.rollout.status?.phase).toBe('Healthy');
  });

  test('autoPromotionSeconds promotes by itself', () => {
    const c = setup({ autoPromotionSeconds: 20 });
    c.setImage('bg:2');
    c.converge();
    expect(c.rollout.status?.phase).toBe('Paused');
    c.advance(20);
    c.converge();
    expect(c.rollout.status?.phase).toBe('Healthy');
  });

  test('pre-promotion analysis gates the switch; its failure aborts and keeps active on the old version', () => {
    const c = setup({
      prePromotionAnalysis: {
        templates: [{ templateName: 'check' }],
        args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
      },
    });
    const old = c.rollout.status!.stableRS!;
    c.setImage('bg:2');
    c.converge();
    const run = c.runs.find((r) => r.metadata.name?.endsWith('-pre'))!;
    expect(run).toBeDefined();
    expect(selectorOf(c, 'bg-active')).toBe(old);
    c.setRunPhase(
      run.metadata.name!,
      'Failed',
      'Metric "ok" assessed Failed due to failed (1) > failureLimit (0)',
    );
    c.converge(30, () => checkInvariants(c));
    expect(c.rollout.status?.phase).toBe('Degraded');
    expect(selectorOf(c, 'bg-active')).toBe(old);
    expect(selectorOf(c, 'bg-preview')).toBe(old);
    c.advance(30);
    c.converge();
    expect(c.counts()).toEqual({ 'bg:1': 2, 'bg:2': 0 });
  });

  test('post-promotion analysis failure switches active back to the stable version', () => {
    const c = setup({
      postPromotionAnalysis: { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] },
    });
    const old = c.rollout.status!.stableRS!;
    c.setImage('bg:2');
    c.converge(30, () => checkInvariants(c));
    const next = c.rollout.status!.currentPodHash!;
    expect(selectorOf(c, 'bg-active')).toBe(next);
    expect(c.rollout.status?.stableRS).toBe(old);
    const post = c.runs.find((r) => r.metadata.name?.endsWith('-post'))!;
    c.setRunPhase(post.metadata.name!, 'Failed', 'boom');
    c.converge(30, () => checkInvariants(c));
    expect(selectorOf(c, 'bg-active')).toBe(old);
    expect(c.rollout.status).toMatchObject({ phase: 'Degraded', abort: true });
  });

  test('post-promotion analysis success completes the update', () => {
    const c = setup({
      postPromotionAnalysis: { templates: [{ templateName: 'check' }], args: [{ name: 'hash', value: 'x' }] },
    });
    c.setImage('bg:2');
    c.converge();
    c.setRunPhase(c.runs.find((r) => r.metadata.name?.endsWith('-post'))!.metadata.name!, 'Successful');
    c.converge(30, () => checkInvariants(c));
    expect(c.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: c.rollout.status?.currentPodHash });
  });

  test('the scale-down deadline is rounded up to a whole second, never shortening the delay', () => {
    const c = setup({ autoPromotionEnabled: false });
    const old = c.rollout.status!.stableRS!;
    c.setImage('bg:2');
    c.converge();
    c.patchStatus({ pauseConditions: [] });
    c.now = new Date('2026-01-01T00:00:00.400Z');
    c.converge();
    expect(c.rs(old)?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]).toBe('2026-01-01T00:00:31Z');
  });
});
