// The templates are checked before anything is measured: the schema and Argo's rules (validateObject
// from @ramp/api) and the syntax of every condition (compileCondition from @ramp/analysis). An
// invalid template never starts a run: its findings are printed and the gate exits 4.
import { compileCondition } from '@ramp/analysis';
import { type Finding, validateObject } from '@ramp/api';
import { positionOf } from '../lint/yaml-documents';
import { type TemplateDoc, templateLabel } from './load-templates';

export interface TemplateProblem extends Finding {
  /** `file:line: Kind/name: path: message`, as lint prints it. */
  text: string;
}

const PLACEHOLDER = '{{';

/** Syntax errors of conditions written without {{args}} (those are checked once args are known). */
function conditionFindings(object: Record<string, unknown>): Finding[] {
  const spec = object.spec as Record<string, unknown> | undefined;
  const metrics = Array.isArray(spec?.metrics) ? spec.metrics : [];
  const out: Finding[] = [];
  metrics.forEach((metric, i) => {
    if (typeof metric !== 'object' || metric === null) return;
    for (const field of ['successCondition', 'failureCondition'] as const) {
      const source = (metric as Record<string, unknown>)[field];
      if (typeof source !== 'string' || source.trim() === '' || source.includes(PLACEHOLDER)) continue;
      try {
        compileCondition(source);
      } catch (err) {
        out.push({
          severity: 'error',
          code: 'invalid',
          path: `spec.metrics[${i}].${field}`,
          message: err instanceof Error ? err.message : String(err),
        });
      }
    }
  });
  return out;
}

/** Every finding of these templates, errors and warnings, with the file and line of each. */
export function checkTemplates(templates: readonly TemplateDoc[]): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  for (const t of templates) {
    const findings = [...validateObject(t.object).findings, ...conditionFindings(t.object)];
    for (const f of findings) {
      const line = positionOf(t.doc, f.path).line;
      const where = f.path === '' ? '' : `${f.path}: `;
      const severity = f.severity === 'warning' ? 'warning: ' : '';
      out.push({ ...f, text: `${t.file}:${line}: ${templateLabel(t)}: ${where}${severity}${f.message}` });
    }
  }
  return out;
}
