// A chaos run told to a person: the failure message a test throws (the seed, each violated invariant
// with the state that showed it, the Rollouts that did not converge, the idle writes, the script's last
// actions and the controller's log tail), and a row of the bench's table.
import type { ChaosReport } from './run';

const LAST_ACTIONS = 25;
const SHOWN_VIOLATIONS = 5;

export function formatFailure(r: ChaosReport): string {
  const parts = [
    `chaos seed ${r.seed} FAILED (rerun: node bench/chaos.js --seeds ${r.seed}): ${r.violationCount} invariant violation(s), ` +
      `converged ${r.converged}, idle writes ${r.idleWrites ?? 'not measured'}` +
      (r.failure ? `\nrun failure: ${r.failure}` : ''),
  ];
  for (const v of r.violations.slice(0, SHOWN_VIOLATIONS)) {
    parts.push(
      `VIOLATION ${v.invariant} — ${v.rollout}: ${v.message}\n` +
        `  at +${(v.atMs / 1000).toFixed(2)}s of the run, during ${v.during}, for ${v.states} state(s); state after ${v.cause}:\n` +
        v.state.replace(/^/gm, '    '),
    );
  }
  if (r.violations.length > SHOWN_VIOLATIONS)
    parts.push(`(${r.violationCount - SHOWN_VIOLATIONS} more violations not shown)`);
  if (r.unconverged.length > 0) parts.push(`NOT CONVERGED:\n${r.unconverged.join('\n')}`);
  if ((r.idleWrites ?? 0) > 0) parts.push(`WRITES WHILE IDLE: ${JSON.stringify(r.idleWritesBy)}`);
  if (r.crashes.length > 0) parts.push(`controller crashes:\n${r.crashes.join('\n')}`);
  parts.push(
    `the script's last actions (of ${r.actionLog.length}):\n${r.actionLog.slice(-LAST_ACTIONS).join('\n')}`,
  );
  parts.push(`controller log tail:\n${r.controllerLog}`);
  if (r.serverWarnings.length > 0) parts.push(`testkit warnings:\n${r.serverWarnings.join('\n')}`);
  return parts.join('\n\n');
}

export const TABLE_HEADER = [
  'seed',
  'actions',
  'kills',
  'crashes',
  'states checked',
  'violations',
  'converge s',
  'idle writes',
  'API errors/conflicts',
  'wall s',
];

export function tableRow(r: ChaosReport): string[] {
  return [
    String(r.seed),
    `${r.actions}+${r.finaleActions}`,
    String(r.kills),
    String(r.crashes.length),
    String(r.statesChecked),
    String(r.violationCount),
    r.convergeMs !== undefined ? (r.convergeMs / 1000).toFixed(1) : 'no',
    r.idleWrites !== undefined ? String(r.idleWrites) : '-',
    `${r.injectedErrors}/${r.conflicts}`,
    (r.wallMs / 1000).toFixed(0),
  ];
}

/** Columns padded to their widest cell. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
