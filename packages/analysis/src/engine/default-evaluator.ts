// The condition language as the engine's default evaluator: each condition is compiled once and
// kept (a run evaluates the same few conditions again and again).
import { type CompiledCondition, ConditionError, compileCondition } from '../condition';
import type { ConditionEvaluator } from './verdict';

const MAX_CACHED = 512;
const cache = new Map<string, CompiledCondition>();

function compiled(source: string): CompiledCondition {
  let condition = cache.get(source);
  if (!condition) {
    condition = compileCondition(source);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(source, condition);
  }
  return condition;
}

/**
 * Evaluates with the condition language. A ConditionError's message is cut to its first line (the
 * reason and where), as Argo keeps only the reason of an expr error, without the source excerpt.
 */
export const evaluateCondition: ConditionEvaluator = (source, env) => {
  try {
    return compiled(source).evaluate(env);
  } catch (err) {
    if (err instanceof ConditionError) throw new Error(err.message.split('\n')[0]);
    throw err;
  }
};
