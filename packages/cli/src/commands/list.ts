// `list rollouts [-A] [-w]`: the table, then (with -w) a line for every rollout whose row changes.
import type { Command } from 'commander';
import { LiveList } from '../kube/live-list';
import { RES, type RolloutObj } from '../kube/model';
import type { ProgramDeps } from '../program';
import {
  formatLine,
  type RolloutRow,
  renderTable,
  rolloutRow,
  rowCells,
  tableLayout,
} from '../views/rollout-table';
import { addClusterFlags, clusterAction, formatValue, outputFormat, type VerbContext } from './cluster-verb';

interface ListOptions {
  allNamespaces?: boolean;
  watch?: boolean;
  output?: string;
}

const byKey = (a: RolloutRow, b: RolloutRow) =>
  a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
const keyOf = (row: RolloutRow) => `${row.namespace}/${row.name}`;

async function listRollouts(ctx: VerbContext, opts: ListOptions): Promise<void> {
  const format = outputFormat(opts.output);
  const namespace = opts.allNamespaces ? undefined : ctx.session.namespace;
  const printed = new Map<string, string>();
  let print: (row: RolloutRow) => void = () => {};
  const live = new LiveList<RolloutObj>(ctx.session, RES.rollouts, { namespace }, (change) => {
    if (change.type === 'RELISTED') {
      for (const ro of live.values) print(rolloutRow(ro));
    } else if (change.type !== 'DELETED') {
      print(rolloutRow(change.object));
    }
  });
  await live.load();
  const rows = live.values.map(rolloutRow).sort(byKey);
  const layout = tableLayout(rows, opts.allNamespaces === true);
  if (format !== 'text') {
    if (!opts.watch) {
      ctx.io.out(formatValue(rows, format));
      return;
    }
    print = (row) => ctx.io.out(formatValue(row, format, true));
  } else {
    if (rows.length === 0 && !opts.watch) {
      ctx.io.err(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found.\n');
      return;
    }
    ctx.io.out(renderTable(rows, layout));
    print = (row) => ctx.io.out(formatLine(rowCells(row, layout.withNamespace), layout));
  }
  if (!opts.watch) return;
  const write = print;
  print = (row) => {
    const text = JSON.stringify(row);
    if (printed.get(keyOf(row)) === text) return;
    printed.set(keyOf(row), text);
    write(row);
  };
  for (const row of rows) {
    if (format === 'text') printed.set(keyOf(row), JSON.stringify(row));
    else print(row);
  }
  const interrupt = ctx.interrupt();
  try {
    await live.follow(interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

export function registerList(program: Command, deps: ProgramDeps): void {
  const list = program.command('list').description('List rollouts');
  addClusterFlags(
    list
      .command('rollouts')
      .aliases(['rollout', 'ro'])
      .description('The rollouts of a namespace (or all): strategy, status, step, weight and replicas')
      .option('-w, --watch', 'then print a line for each rollout whose row changes, until Ctrl-C')
      .option('-o, --output <format>', 'json or yaml instead of the table'),
    { allNamespaces: true },
  ).action(clusterAction<ListOptions>(deps, (ctx, _operands, opts) => listRollouts(ctx, opts)));
}
