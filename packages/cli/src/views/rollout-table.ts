// `list rollouts` as a table: NAME STRATEGY STATUS STEP SET-WEIGHT READY DESIRED UP-TO-DATE AVAILABLE,
// with NAMESPACE first for all namespaces, as Argo's plugin prints it.
import { replicasOf } from '@ramp/api';
import { type RolloutObj, setWeightAt, stepsOf } from '../kube/model';
import { phaseOf } from './phase';

export interface RolloutRow {
  namespace: string;
  name: string;
  strategy: string;
  status: string;
  step: string;
  setWeight: string;
  ready: string;
  desired: number;
  upToDate: number;
  available: number;
}

export function rolloutRow(ro: RolloutObj): RolloutRow {
  const status = ro.status ?? {};
  const canary = ro.spec.strategy?.canary;
  const steps = stepsOf(ro);
  let step = '-';
  let setWeight = '-';
  if (canary) {
    if (status.currentStepIndex !== undefined && steps.length > 0)
      step = `${status.currentStepIndex}/${steps.length}`;
    setWeight = String(status.abort ? 0 : setWeightAt(steps, status.currentStepIndex ?? 0));
  }
  return {
    namespace: ro.metadata.namespace ?? '',
    name: ro.metadata.name,
    strategy: canary ? 'Canary' : ro.spec.strategy?.blueGreen ? 'BlueGreen' : 'unknown',
    status: phaseOf(ro).phase,
    step,
    setWeight,
    ready: `${status.readyReplicas ?? 0}/${status.replicas ?? 0}`,
    desired: replicasOf(ro.spec),
    upToDate: status.updatedReplicas ?? 0,
    available: status.availableReplicas ?? 0,
  };
}

const HEADER = [
  'NAME',
  'STRATEGY',
  'STATUS',
  'STEP',
  'SET-WEIGHT',
  'READY',
  'DESIRED',
  'UP-TO-DATE',
  'AVAILABLE',
];
/** Argo pads each column to about its header's width, so rows printed later still line up. */
const MIN_WIDTH = [10, 9, 12, 4, 10, 5, 7, 10, 9];

export function rowCells(row: RolloutRow, withNamespace: boolean): string[] {
  const cells = [
    row.name,
    row.strategy,
    row.status,
    row.step,
    row.setWeight,
    row.ready,
    String(row.desired),
    String(row.upToDate),
    String(row.available),
  ];
  return withNamespace ? [row.namespace, ...cells] : cells;
}

export interface TableLayout {
  withNamespace: boolean;
  widths: number[];
}

/** Column widths for these rows (at least Argo's), kept for the rows a watch prints later. */
export function tableLayout(rows: readonly RolloutRow[], withNamespace: boolean): TableLayout {
  const header = withNamespace ? ['NAMESPACE', ...HEADER] : HEADER;
  const min = withNamespace ? [9, ...MIN_WIDTH] : MIN_WIDTH;
  const widths = header.map((h, i) => Math.max(h.length, min[i] ?? 0));
  for (const row of rows) {
    rowCells(row, withNamespace).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return { withNamespace, widths };
}

export function formatLine(cells: readonly string[], layout: TableLayout): string {
  return `${cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((layout.widths[i] ?? 0) + 2)))
    .join('')
    .trimEnd()}\n`;
}

export function renderTable(rows: readonly RolloutRow[], layout: TableLayout): string {
  const header = layout.withNamespace ? ['NAMESPACE', ...HEADER] : HEADER;
  return [header, ...rows.map((r) => rowCells(r, layout.withNamespace))]
    .map((c) => formatLine(c, layout))
    .join('');
}
