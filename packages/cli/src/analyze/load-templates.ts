// Finds the AnalysisTemplates and ClusterAnalysisTemplates in the files given to -f, picks the one
// to run (--template, or the only one), and gathers the templates it references through
// spec.templates, in the order Argo Rollouts flattens them.
import type { SourceFile } from '../lint/read-files';
import { parseYamlDocuments, type YamlDocument } from '../lint/yaml-documents';
import { inputError } from './exit-codes';

export type TemplateKind = 'AnalysisTemplate' | 'ClusterAnalysisTemplate';

export interface TemplateDoc {
  file: string;
  doc: YamlDocument;
  kind: TemplateKind;
  /** metadata.name ('' when missing: validation reports it). */
  name: string;
  namespace?: string;
  object: Record<string, unknown>;
}

const KINDS: readonly string[] = ['AnalysisTemplate', 'ClusterAnalysisTemplate'];
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const templateLabel = (t: Pick<TemplateDoc, 'kind' | 'name'>) => `${t.kind}/${t.name || '(unnamed)'}`;

/** Every template in the files; an unreadable file or a YAML syntax error is an input error. */
export function findTemplates(sources: readonly SourceFile[]): TemplateDoc[] {
  const problems: string[] = [];
  const found: TemplateDoc[] = [];
  for (const source of sources) {
    if (source.text === undefined) {
      problems.push(`${source.path} ${source.error ?? 'cannot be read'}`);
      continue;
    }
    for (const doc of parseYamlDocuments(source.text)) {
      for (const p of doc.problems) problems.push(`${source.path}:${p.position.line}: YAML: ${p.message}`);
      if (doc.problems.length > 0 || !isMap(doc.value) || !KINDS.includes(String(doc.value.kind))) continue;
      const meta = isMap(doc.value.metadata) ? doc.value.metadata : {};
      found.push({
        file: source.path,
        doc,
        kind: doc.value.kind as TemplateKind,
        name: typeof meta.name === 'string' ? meta.name : '',
        ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
        object: doc.value,
      });
    }
  }
  if (problems.length > 0) throw inputError(`cannot read the templates:\n  ${problems.join('\n  ')}`);
  if (found.length === 0) {
    throw inputError(
      `no AnalysisTemplate or ClusterAnalysisTemplate in ${sources.map((s) => s.path).join(', ')}`,
    );
  }
  return found;
}

const names = (templates: readonly TemplateDoc[]) => templates.map(templateLabel).join(', ');

/**
 * The template to run: the one named by --template (`NAME`, or `KIND/NAME` when an AnalysisTemplate
 * and a ClusterAnalysisTemplate share the name), else the only one in the files.
 */
export function selectTemplate(templates: readonly TemplateDoc[], wanted?: string): TemplateDoc {
  if (wanted === undefined) {
    if (templates.length === 1) return templates[0]!;
    throw inputError(
      `the files hold ${templates.length} templates (${names(templates)}); choose one with --template NAME`,
    );
  }
  const slash = wanted.indexOf('/');
  const kind = slash >= 0 ? wanted.slice(0, slash) : undefined;
  const name = slash >= 0 ? wanted.slice(slash + 1) : wanted;
  const matches = templates.filter(
    (t) => t.name === name && (kind === undefined || t.kind.toLowerCase() === kind.toLowerCase()),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw inputError(`--template ${wanted}: no such template in the files; they hold ${names(templates)}`);
  }
  throw inputError(
    `--template ${wanted} matches ${matches.length} templates (${names(matches)}); write KIND/NAME, e.g. --template ${templateLabel(matches[0]!)}`,
  );
}

interface Ref {
  templateName: string;
  clusterScope: boolean;
}

function refsOf(t: TemplateDoc): Ref[] {
  const spec = isMap(t.object.spec) ? t.object.spec : {};
  const list = Array.isArray(spec.templates) ? spec.templates : [];
  return list.filter(isMap).map((r) => ({
    templateName: typeof r.templateName === 'string' ? r.templateName : '',
    clusterScope: r.clusterScope === true,
  }));
}

/**
 * The root and every template it references (recursively), as Argo Rollouts orders them: the
 * AnalysisTemplates first, then the ClusterAnalysisTemplates, each list in the order met.
 * A reference to a template that is not in the files, or a cycle, is an input error.
 */
export function resolveTemplateChain(root: TemplateDoc, templates: readonly TemplateDoc[]): TemplateDoc[] {
  const namespaced: TemplateDoc[] = [];
  const cluster: TemplateDoc[] = [];
  const visit = (t: TemplateDoc, path: TemplateDoc[]) => {
    if (path.includes(t)) {
      throw inputError(
        `templates reference each other in a cycle: ${[...path, t].map(templateLabel).join(' -> ')}`,
      );
    }
    (t.kind === 'ClusterAnalysisTemplate' ? cluster : namespaced).push(t);
    refsOf(t).forEach((ref, i) => {
      const kind: TemplateKind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const target = templates.find(
        (c) =>
          c.kind === kind &&
          c.name === ref.templateName &&
          (kind === 'ClusterAnalysisTemplate' ||
            c.namespace === undefined ||
            t.namespace === undefined ||
            c.namespace === t.namespace),
      );
      if (!target) {
        throw inputError(
          `${templateLabel(t)} spec.templates[${i}] references ${kind} "${ref.templateName}", which is not in the files given; add its file with another -f`,
        );
      }
      visit(target, [...path, t]);
    });
  };
  visit(root, []);
  return [...namespaced, ...cluster];
}
