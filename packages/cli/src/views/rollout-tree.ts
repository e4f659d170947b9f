// `get rollout` as text: the header (status, strategy, weights, traffic, images, replicas) and the tree
// of routing objects, revisions, ReplicaSets, pods and AnalysisRuns, laid out like Argo's
// `kubectl argo rollouts get rollout`.
import type { AnalysisRunInfo, ReplicaSetInfo, RolloutInfo, RsTag } from './rollout-info';
import { age, type Color, columns, field, humanDuration, noPaint, type Paint } from './text';
import { routeRow, trafficLines, verifiedLine } from './traffic-lines';

export interface RenderOptions {
  now: Date;
  paint?: Paint;
}

const ICON_COLOR: Record<string, Color> = {
  '◷': 'yellow',
  '◌': 'blue',
  '⚠': 'red',
  '?': 'yellow',
  '✔': 'green',
  '✖': 'red',
};
const TAG_COLOR: Record<RsTag, Color> = {
  canary: 'yellow',
  stable: 'green',
  active: 'green',
  preview: 'blue',
};

const ICON = { rollout: '⟳', revision: '#', replicaSet: '⧉', pod: '□', analysisRun: 'α' };

function prefixes(isLast: boolean, sub: string): [string, string] {
  return isLast ? [`${sub}└──`, `${sub}   `] : [`${sub}├──`, `${sub}│  `];
}

/** The scale-down delay left, as `delay:30s`, or `delay:passed`. */
export function scaleDownDelay(deadline: string, now: Date): string {
  const t = Date.parse(deadline);
  if (Number.isNaN(t)) return '';
  return t < now.getTime() ? 'delay:passed' : `delay:${humanDuration(t - now.getTime())}`;
}

export function renderHeader(info: RolloutInfo, paint: Paint = noPaint): string {
  const icon = paint(info.icon, ICON_COLOR[info.icon]);
  let out =
    field('Name:', info.name) +
    field('Namespace:', info.namespace) +
    field('Status:', `${icon} ${info.status}`);
  if (info.message) out += field('Message:', info.message);
  out += field('Strategy:', info.strategy);
  if (info.strategy === 'Canary') {
    if (info.step !== undefined) out += field('  Step:', info.step);
    out += field('  SetWeight:', info.setWeight ?? 0) + field('  ActualWeight:', info.actualWeight ?? 0);
    if (info.traffic) out += verifiedLine(info.traffic);
  }
  if (info.traffic) out += trafficLines(info.traffic, paint);
  info.images.forEach((img, i) => {
    const tags = img.tags.map((t) => paint(t, TAG_COLOR[t])).join(', ');
    out += field(i === 0 ? 'Images:' : '', tags ? `${img.image} (${tags})` : img.image);
  });
  const r = info.replicas;
  out += 'Replicas:\n';
  out += field('  Desired:', r.desired) + field('  Current:', r.current) + field('  Updated:', r.updated);
  out += field('  Ready:', r.ready) + field('  Available:', r.available);
  return out;
}

export function renderTree(info: RolloutInfo, opts: RenderOptions): string {
  const paint = opts.paint ?? noPaint;
  const colored = (icon: string) => paint(icon, ICON_COLOR[icon]);
  const rows: string[][] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([
    `${ICON.rollout} ${info.name}`,
    'Rollout',
    `${colored(info.icon)} ${info.status}`,
    age(info.created, opts.now),
    '',
  ]);
  const routes = info.traffic?.objects ?? [];
  const topLevel = routes.length + info.revisions.length;
  routes.forEach((route, i) => {
    rows.push(routeRow(route, prefixes(i === topLevel - 1, '')[0], opts.now, paint));
  });
  info.revisions.forEach((rev, r) => {
    const [prefix, sub] = prefixes(routes.length + r === topLevel - 1, '');
    rows.push([`${prefix}${ICON.revision} revision:${rev.revision}`, '', '', '', '']);
    const children = rev.replicaSets.length + rev.analysisRuns.length;
    rev.replicaSets.forEach((rs, i) => {
      rows.push(...replicaSetRows(rs, prefixes(i === children - 1, sub), opts.now, paint));
    });
    rev.analysisRuns.forEach((run, i) => {
      const [p] = prefixes(rev.replicaSets.length + i === children - 1, sub);
      rows.push(analysisRunRow(run, p, opts.now, paint));
    });
  });
  return columns(rows);
}

function replicaSetRows(
  rs: ReplicaSetInfo,
  [prefix, sub]: [string, string],
  now: Date,
  paint: Paint,
): string[][] {
  const tagColor = rs.tags.map((t) => TAG_COLOR[t]).at(-1);
  const info = rs.tags.map((t) => paint(t, TAG_COLOR[t]));
  if (rs.scaleDownDeadline) info.push(scaleDownDelay(rs.scaleDownDeadline, now));
  const rows = [
    [
      `${prefix}${ICON.replicaSet} ${paint(rs.name, tagColor)}`,
      'ReplicaSet',
      `${paint(rs.icon, ICON_COLOR[rs.icon])} ${rs.status}`,
      age(rs.created, now),
      info.filter(Boolean).join(','),
    ],
  ];
  rs.pods.forEach((pod, i) => {
    const [p] = prefixes(i === rs.pods.length - 1, sub);
    const podInfo = [`ready:${pod.ready}`];
    if (pod.restarts > 0) podInfo.push(`restarts:${pod.restarts}`);
    rows.push([
      `${p}${ICON.pod} ${pod.name}`,
      'Pod',
      `${paint(pod.icon, ICON_COLOR[pod.icon])} ${pod.status}`,
      age(pod.created, now),
      podInfo.join(','),
    ]);
  });
  return rows;
}

function analysisRunRow(run: AnalysisRunInfo, prefix: string, now: Date, paint: Paint): string[] {
  const counts: string[] = [];
  const count = (icon: string, n: number) => n > 0 && counts.push(`${paint(icon, ICON_COLOR[icon])} ${n}`);
  count('✔', run.successful);
  count('✖', run.failed);
  count('?', run.inconclusive);
  count('⚠', run.error);
  const running = run.status === 'Running' || run.status === 'Pending';
  return [
    `${prefix}${ICON.analysisRun} ${paint(run.name, running ? 'blue' : undefined)}`,
    'AnalysisRun',
    `${paint(run.icon, ICON_COLOR[run.icon])} ${run.status}`,
    age(run.created, now),
    counts.join(','),
  ];
}

/** The whole `get rollout` page: header, a blank line, the tree. */
export function renderRollout(info: RolloutInfo, opts: RenderOptions): string {
  return `${renderHeader(info, opts.paint)}\n${renderTree(info, opts)}`;
}
