// Why a Rollout cannot run as written: validation errors (with their field paths), Services and
// AnalysisTemplates it names that do not exist. Reported as InvalidSpec, never a crash.
import { type RolloutAnalysis, strategyServices, validateObject } from '@ramp/api';
import type { RolloutSnapshot } from '../model/snapshot';
import { resolveTemplates } from './analysis-templates';

const MAX_MESSAGE = 2000;

function namedAnalyses(snapshot: RolloutSnapshot): [string, RolloutAnalysis][] {
  const { canary, blueGreen } = snapshot.rollout.spec.strategy ?? {};
  const out: [string, RolloutAnalysis | undefined][] = [
    ['spec.strategy.canary.analysis', canary?.analysis],
    ['spec.strategy.blueGreen.prePromotionAnalysis', blueGreen?.prePromotionAnalysis],
    ['spec.strategy.blueGreen.postPromotionAnalysis', blueGreen?.postPromotionAnalysis],
    ...(canary?.steps ?? []).map((s, i): [string, RolloutAnalysis | undefined] => [
      `spec.strategy.canary.steps[${i}].analysis`,
      s.analysis,
    ]),
  ];
  return out.filter((e): e is [string, RolloutAnalysis] => e[1] !== undefined);
}

/**
 * Every reason the Rollout cannot run, as one message, or undefined when it can. The Rollout is
 * validated as written; the Services and templates it names are looked up in `stored`, its stored
 * form (see stored-form.ts), as everything after validation reads it.
 */
export function specProblems(written: RolloutSnapshot, stored: RolloutSnapshot): string | undefined {
  const problems: string[] = [];
  for (const f of validateObject(written.rollout).findings) {
    if (f.severity === 'error') problems.push(f.path ? `${f.path}: ${f.message}` : f.message);
  }
  if (problems.length === 0) {
    const snapshot = stored;
    for (const { path, name } of strategyServices(snapshot.rollout)) {
      if (name && !snapshot.services.get(name))
        problems.push(`${path}: service "${name}" not found; create it or fix the name`);
    }
    for (const [path, analysis] of namedAnalyses(snapshot)) {
      const resolved = resolveTemplates(analysis.templates ?? [], snapshot);
      if (!resolved.ok) problems.push(`${path}: ${resolved.error}`);
    }
  }
  if (problems.length === 0) return undefined;
  const text = `The Rollout "${written.rollout.metadata.name}" is invalid: ${problems.join('; ')}`;
  return text.length > MAX_MESSAGE
    ? `${text.slice(0, MAX_MESSAGE - 20)}... (${problems.length} problems)`
    : text;
}
