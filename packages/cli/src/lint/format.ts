// Prints a lint report: `file:line: kind/name: path: message` for people, JSON for machines.
import type { LintReport } from './lint';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatLintText(report: LintReport): string {
  const lines: string[] = [];
  const problems: { file: string; line: number; text: string }[] = [];
  for (const p of report.fileProblems) problems.push({ file: p.file, line: p.line, text: p.message });
  for (const o of report.objects) {
    const who = `${o.kind ?? '(no kind)'}/${o.name ?? '(no name)'}`;
    if (o.status === 'skipped') {
      problems.push({ file: o.file, line: o.line, text: `${who}: skipped: not a kind Ramp checks` });
    }
    for (const f of o.findings) {
      const where = f.path === '' ? '' : `${f.path}: `;
      const tag = f.severity === 'warning' ? 'warning: ' : '';
      problems.push({ file: o.file, line: f.line, text: `${who}: ${where}${tag}${f.message}` });
    }
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  for (const p of problems) lines.push(`${p.file}:${p.line}: ${p.text}`);
  const files = new Set([...report.objects.map((o) => o.file), ...report.fileProblems.map((p) => p.file)]);
  const checked = report.objects.filter((o) => o.status !== 'skipped').length;
  const skipped = report.objects.length - checked;
  lines.push(
    `lint: ${plural(checked, 'object')} checked in ${plural(files.size, 'file')}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}${skipped ? `, ${skipped} skipped` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatLintJson(report: LintReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
