// `get rollout NAME [-w]` (header and tree, redrawn on every change with -w; a routed canary's routing
// objects read again when the rollout changes and every few seconds) and `get analysisrun NAME`.
import type { Command } from 'commander';
import { type RolloutObjects, RolloutWatch, readRolloutObjects } from '../kube/rollout-objects';
import { getAnalysisRun, getRollout } from '../kube/session';
import type { ProgramDeps } from '../program';
import { analysisRunView, renderAnalysisRun } from '../views/analysisrun-view';
import { type FrameMode, FramePrinter, Throttle } from '../views/frames';
import { rolloutInfo } from '../views/rollout-info';
import { renderRollout } from '../views/rollout-tree';
import { ansiPaint, noPaint } from '../views/text';
import { addClusterFlags, clusterAction, formatValue, outputFormat, type VerbContext } from './cluster-verb';

interface GetOptions {
  watch?: boolean;
  output?: string;
  color?: boolean;
}

/** Draws the rollout on every change until Ctrl-C or its deletion. */
async function watchRollout(
  ctx: VerbContext,
  name: string,
  render: (objects: RolloutObjects) => string,
  mode: FrameMode,
): Promise<void> {
  const first = await getRollout(ctx.session, name);
  const interrupt = ctx.interrupt();
  const stop = new AbortController();
  const signal = AbortSignal.any([interrupt.signal, stop.signal]);
  const printer = new FramePrinter((text) => ctx.io.out(text), mode);
  let deleted = false;
  const draw = () => {
    const objects = watch.current();
    if (!objects) {
      deleted = true;
      stop.abort();
      return;
    }
    printer.print(render(objects));
  };
  const throttle = new Throttle(draw, ctx.redrawMs);
  const watch = new RolloutWatch(ctx.session, first, () => throttle.trigger(), ctx.routeRefreshMs);
  // On a terminal the ages move on: redraw every second even without a change.
  const ticker = mode === 'redraw' ? setInterval(() => throttle.trigger(), 1000) : undefined;
  try {
    await watch.load();
    draw();
    if (!deleted) await watch.follow(signal);
  } finally {
    stop.abort();
    throttle.cancel();
    clearInterval(ticker);
    interrupt.dispose();
  }
  if (deleted) ctx.io.err(`rollout "${name}" was deleted\n`);
}

export function registerGet(program: Command, deps: ProgramDeps): void {
  const get = program
    .command('get')
    .description('Show a rollout, with its revisions, pods and analysis, or an AnalysisRun');
  addClusterFlags(
    get
      .command('rollout')
      .aliases(['ro', 'rollouts'])
      .argument('<name>', 'the rollout')
      .description(
        'Status, weights, traffic routing, images and replicas of a rollout, and the tree of its routing objects and what it owns',
      )
      .option('-w, --watch', 'redraw on every change, until Ctrl-C or the rollout is deleted')
      .option('-o, --output <format>', 'json or yaml instead of text')
      .option('--no-color', 'no colour, even on a terminal'),
  ).action(
    clusterAction<GetOptions>(deps, async (ctx, [name], opts) => {
      const format = outputFormat(opts.output);
      const paint = format === 'text' && ctx.color && opts.color !== false ? ansiPaint : noPaint;
      const render = (objects: RolloutObjects) => {
        const info = rolloutInfo(objects.rollout, objects);
        if (format !== 'text') return formatValue(info, format, opts.watch === true);
        return renderRollout(info, { now: ctx.now(), paint });
      };
      if (!opts.watch) {
        ctx.io.out(render(await readRolloutObjects(ctx.session, name!)));
        return;
      }
      await watchRollout(ctx, name!, render, format !== 'text' ? 'stream' : ctx.tty ? 'redraw' : 'append');
    }),
  );
  addClusterFlags(
    get
      .command('analysisrun')
      .aliases(['ar', 'analysisruns'])
      .argument('<name>', 'the AnalysisRun')
      .description('Verdict of an AnalysisRun and of each metric: last value, counts against limits')
      .option('-o, --output <format>', 'json or yaml instead of text')
      .option('--no-color', 'no colour, even on a terminal'),
  ).action(
    clusterAction<GetOptions>(deps, async (ctx, [name], opts) => {
      const format = outputFormat(opts.output);
      const view = analysisRunView(await getAnalysisRun(ctx.session, name!));
      if (format !== 'text') {
        ctx.io.out(formatValue(view, format));
        return;
      }
      ctx.io.out(renderAnalysisRun(view, ctx.now(), ctx.color && opts.color !== false ? ansiPaint : noPaint));
    }),
  );
}
