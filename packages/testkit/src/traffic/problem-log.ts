// Problems with the routing objects, logged once when they appear and once when they are gone
// (the app reads the objects every tick; the log must not repeat itself every tick).
import type { RoutingProblem } from './route-decision';

export function formatProblem(p: RoutingProblem): string {
  return `${p.object}: ${p.field === '' ? '' : `${p.field}: `}${p.message}`;
}

export class ProblemLog {
  private current = new Set<string>();

  /** The lines to log for this tick's problems: the new ones, and the ones that went away. */
  update(problems: readonly RoutingProblem[]): string[] {
    const next = new Set(problems.map(formatProblem));
    const lines = [...next].filter((p) => !this.current.has(p));
    for (const p of this.current) if (!next.has(p)) lines.push(`resolved: ${p}`);
    this.current = next;
    return lines;
  }
}
