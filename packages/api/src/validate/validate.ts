// Validates one object of any kind: ours (Rollout, AnalysisTemplate, ClusterAnalysisTemplate,
// AnalysisRun) get every schema and semantic check; other kinds are recognised and left alone.
import { API_VERSION, KINDS, type KindInfo, kindInfo } from '../schema/kinds';
import { dns1123SubdomainProblem } from '../values/labels';
import { checkAnalysisSpec } from './analysis-rules';
import { describeValue, type Finding, Findings } from './findings';
import { MAX_NESTING, tooDeep } from './nesting';
import { checkLabels } from './pod-template';
import { checkRolloutSpec } from './rollout-rules';
import { checkSchema, isPlainObject } from './schema-check';
import { closest } from './suggest';

export interface ValidationResult {
  /** The object's kind as written (or as recovered from a misspelled key); undefined when absent. */
  kind?: string;
  name?: string;
  namespace?: string;
  /** True for the four argoproj.io kinds Ramp owns. */
  ours: boolean;
  findings: Finding[];
}

const OUR_KIND_NAMES = KINDS.map((k) => k.kind);
/** Argo Rollouts kinds Ramp does not run (Argo CD's kinds share the group and are simply skipped). */
const ARGO_ROLLOUTS_KINDS_NOT_RUN = ['Experiment', 'RolloutPlugin'];

/** Finds `kind` (or `apiVersion`) even when written with the wrong case, reporting the mistake. */
function recoverKey(obj: Record<string, unknown>, key: string, findings: Findings): unknown {
  if (obj[key] !== undefined) return obj[key];
  const wrong = Object.keys(obj).find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  if (wrong === undefined) return undefined;
  const value = obj[wrong];
  const fix = typeof value === 'string' || typeof value === 'number' ? `"${key}: ${value}"` : `"${key}:"`;
  findings.error(
    key,
    `is missing: the document has "${wrong}:" instead, and field names are case-sensitive; write ${fix}`,
    'required',
  );
  return obj[wrong];
}

function checkMetadata(obj: Record<string, unknown>, info: KindInfo, findings: Findings): void {
  const meta = obj.metadata;
  if (meta === undefined || meta === null) {
    findings.error('metadata', 'is required; add "metadata: {name: <name>}"', 'required');
    return;
  }
  if (!isPlainObject(meta)) {
    findings.error('metadata', `expected a map, got ${describeValue(meta)}`, 'type');
    return;
  }
  const name = meta.name;
  if ((name === undefined || name === '') && (meta.generateName === undefined || meta.generateName === '')) {
    findings.error('metadata.name', 'is required; give the object a name', 'required');
  } else if (typeof name === 'string') {
    const problem = dns1123SubdomainProblem(name);
    if (problem) findings.error('metadata.name', `"${name}" ${problem}`);
  } else if (name !== undefined) {
    findings.error('metadata.name', `expected a string, got ${describeValue(name)}`, 'type');
  }
  if (info.scope === 'Cluster' && meta.namespace !== undefined) {
    findings.warn('metadata.namespace', `is ignored: a ${info.kind} is cluster-wide; remove it`);
  }
  checkLabels(meta.labels, 'metadata.labels', findings);
}

export function validateObject(doc: unknown): ValidationResult {
  const findings = new Findings();
  if (!isPlainObject(doc)) {
    findings.error(
      '',
      `expected a Kubernetes object (a map with apiVersion, kind, metadata and spec), got ${describeValue(doc)}`,
      'type',
    );
    return { ours: false, findings: findings.list };
  }
  const kindValue = recoverKey(doc, 'kind', findings);
  const apiVersion = recoverKey(doc, 'apiVersion', findings);
  const kind = typeof kindValue === 'string' ? kindValue : undefined;
  const meta = isPlainObject(doc.metadata) ? doc.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const base = { ...(kind ? { kind } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };

  if (kindValue === undefined) {
    findings.error('kind', 'is required; add e.g. "kind: Rollout"', 'required');
    return { ...base, ours: false, findings: findings.list };
  }
  const info = kind ? kindInfo(kind) : undefined;
  const argoGroup = typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/');
  if (!info && argoGroup && kind && ARGO_ROLLOUTS_KINDS_NOT_RUN.includes(kind)) {
    findings.unsupported('kind', `The ${kind} kind`);
    return { ...base, ours: false, findings: findings.list };
  }
  if (!info) {
    if (argoGroup && kind) {
      const near = closest(kind, OUR_KIND_NAMES);
      if (near) findings.error('kind', `"${kind}" is not a kind of argoproj.io; did you mean "${near}"?`);
    }
    return { ...base, ours: false, findings: findings.list };
  }
  if (apiVersion !== API_VERSION) {
    findings.error(
      'apiVersion',
      `${describeValue(apiVersion)} is not served for ${info.kind}; write "apiVersion: ${API_VERSION}"`,
    );
  }
  const deep = tooDeep(doc);
  if (deep !== undefined) {
    // Nothing else is read: every other check (and the controller after it) would walk that depth.
    findings.error(
      deep,
      `is nested more than ${MAX_NESTING} levels deep; no ${info.kind} needs that many, so a value was likely pasted or indented into the wrong place: flatten it`,
    );
    return { ...base, ours: true, findings: findings.list };
  }
  // Check the schema on a copy whose key names were recovered, so one typo is reported once.
  const normalised: Record<string, unknown> = { ...doc, kind: info.kind, apiVersion: API_VERSION };
  for (const k of Object.keys(doc)) {
    if (k !== 'kind' && k.toLowerCase() === 'kind') delete normalised[k];
    if (k !== 'apiVersion' && k.toLowerCase() === 'apiversion') delete normalised[k];
  }
  checkMetadata(normalised, info, findings);
  const schema = info.schema as unknown as Record<string, unknown>;
  checkSchema(normalised, { ...schema, required: ['spec'] }, '', findings);
  const spec = normalised.spec;
  if (isPlainObject(spec)) {
    if (info.kind === 'Rollout') checkRolloutSpec(spec, findings);
    else checkAnalysisSpec(spec, findings, info.kind === 'AnalysisRun');
  }
  return { ...base, ours: true, findings: findings.list };
}

export function isOurKind(kind: unknown): boolean {
  return typeof kind === 'string' && OUR_KIND_NAMES.includes(kind as KindInfo['kind']);
}
