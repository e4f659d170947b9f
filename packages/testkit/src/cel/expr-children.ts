// The direct subexpressions of a parsed CEL expression, for the walks over its tree (counting
// nodes, numbering new ones, adding cost ticks, finding constant regular expressions).
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/**
 * In order: a select's operand; a call's target and arguments; a list's elements; a map or message
 * literal's entries, each value then its map key; a comprehension's iterRange, accuInit,
 * loopCondition, loopStep and result. Parts that are not set are left out.
 */
export function childExprs(expr: Expr): Expr[] {
  const k = expr.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return present([k.value.operand]);
    case 'callExpr':
      return present([k.value.target, ...k.value.args]);
    case 'listExpr':
      return [...k.value.elements];
    case 'structExpr':
      return k.value.entries.flatMap((e) =>
        present([e.value, e.keyKind.case === 'mapKey' ? e.keyKind.value : undefined]),
      );
    case 'comprehensionExpr': {
      const c = k.value;
      return present([c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]);
    }
    default:
      return [];
  }
}

function present(exprs: (Expr | undefined)[]): Expr[] {
  return exprs.filter((e): e is Expr => e !== undefined);
}
