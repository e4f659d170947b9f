// Argo's rules for a Rollout's spec, beyond the schema: selector, strategy, steps, services.
import { parseSecondsOrDuration } from '../values/duration';
import { isPercent } from '../values/int-or-percent';
import { checkArgsDeclarations } from './analysis-rules';
import { describeValue, type Findings, joinPath } from './findings';
import { checkLabels, checkPodTemplate } from './pod-template';
import { checkRouteSteps } from './route-step-rules';
import { isPlainObject } from './schema-check';
import { findUnsupported, NEVER_SUPPORTED_ROLLOUT_FIELDS, UNSUPPORTED_ROLLOUT_FIELDS } from './support';
import { maxTrafficWeightOf } from './traffic-routers';
import { checkTrafficRouting } from './traffic-routing-rules';

type Obj = Record<string, unknown>;
const STEP_ACTIONS = [
  'setWeight',
  'pause',
  'analysis',
  'setCanaryScale',
  'experiment',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
];
/** Argo reads a pause's duration as int32 seconds. */
const MAX_PAUSE_SECONDS = 2 ** 31 - 1;
/** As Argo's validation does, only these four may not share a step; the others may combine. */
const EXCLUSIVE_ACTIONS = ['setWeight', 'pause', 'experiment', 'analysis'];

function nonNegative(obj: Obj, field: string, path: string, findings: Findings): void {
  const v = obj[field];
  if (typeof v === 'number' && v < 0) findings.error(joinPath(path, field), `${v} must be at least 0`);
}

function checkSelector(spec: Obj, findings: Findings): void {
  const selector = spec.selector;
  if (spec.workloadRef !== undefined && spec.workloadRef !== null) return; // selector may come from the workload
  if (selector === undefined || selector === null) {
    findings.error(
      'spec.selector',
      'is required; add "selector: {matchLabels: {app: <name>}}" matching the pod template labels',
      'required',
    );
    return;
  }
  if (!isPlainObject(selector)) return;
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : undefined;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (selector.matchLabels !== undefined && selector.matchLabels !== null && !matchLabels) return; // type already reported
  if ((!matchLabels || Object.keys(matchLabels).length === 0) && expressions.length === 0) {
    findings.error(
      'spec.selector',
      'is empty; an empty selector would select every pod; add matchLabels such as "app: <name>"',
    );
    return;
  }
  checkLabels(matchLabels, 'spec.selector.matchLabels', findings, true);
  const template = isPlainObject(spec.template) ? spec.template : undefined;
  const meta = template && isPlainObject(template.metadata) ? template.metadata : undefined;
  const labels = meta && isPlainObject(meta.labels) ? (meta.labels as Record<string, unknown>) : {};
  if (!template) return;
  for (const [key, value] of Object.entries(matchLabels ?? {})) {
    if (typeof value !== 'string') continue; // the schema check reported it
    if (labels[key] !== undefined && typeof labels[key] !== 'string') continue; // checkLabels reported it
    if (labels[key] !== value) {
      const have = labels[key] === undefined ? 'has no such label' : `has "${key}: ${String(labels[key])}"`;
      findings.error(
        'spec.template.metadata.labels',
        `the selector needs "${key}: ${String(value)}" but the template ${have}; make the selector match the template labels`,
      );
    }
  }
  expressions.forEach((e, i) => {
    if (!isPlainObject(e)) return;
    const p = `spec.selector.matchExpressions[${i}]`;
    const ops = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
    if (typeof e.operator === 'string' && !ops.includes(e.operator)) {
      findings.error(
        joinPath(p, 'operator'),
        `"${e.operator}" is not an operator; use one of ${ops.join(', ')}`,
      );
    }
  });
}

function checkIntOrPercent(
  value: unknown,
  path: string,
  findings: Findings,
  max100: boolean,
): number | 'percent' | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (value < 0) findings.error(path, `${value} must be at least 0`);
    return value;
  }
  if (typeof value === 'string') {
    if (isPercent(value)) {
      if (max100 && Number(value.slice(0, -1)) > 100) findings.error(path, `"${value}" is more than 100%`);
      return Number(value.slice(0, -1)) === 0 ? 0 : 'percent';
    }
    if (/^\d+$/.test(value)) {
      findings.error(
        path,
        `"${value}" is ambiguous: Argo reads a quoted number as a percentage; write ${value} for pods or "${value}%"`,
      );
      return undefined;
    }
    findings.error(path, `${describeValue(value)} is neither a number nor a percentage; use e.g. 1 or "25%"`);
  }
  return undefined;
}

function checkAnalysisRef(analysis: unknown, path: string, findings: Findings): void {
  if (!isPlainObject(analysis)) return;
  const templates = Array.isArray(analysis.templates) ? analysis.templates : [];
  if (templates.length === 0) {
    findings.error(
      joinPath(path, 'templates'),
      'is empty; name at least one AnalysisTemplate ("- templateName: <name>")',
      'required',
    );
  }
  templates.forEach((t, i) => {
    if (isPlainObject(t) && (typeof t.templateName !== 'string' || t.templateName === '')) {
      findings.error(
        joinPath(joinPath(joinPath(path, 'templates'), i), 'templateName'),
        'is required; give the AnalysisTemplate name',
        'required',
      );
    }
  });
  checkArgsDeclarations(analysis.args, path, findings, false);
}

function checkSteps(canary: Obj, path: string, findings: Findings): void {
  const steps = Array.isArray(canary.steps) ? canary.steps : [];
  const { max, fromField } = maxTrafficWeightOf(canary);
  steps.forEach((step, i) => {
    const p = joinPath(joinPath(path, 'steps'), i);
    if (!isPlainObject(step)) return;
    const actions = STEP_ACTIONS.filter((a) => step[a] !== undefined && step[a] !== null);
    const nulls = STEP_ACTIONS.filter((a) => a in step && step[a] === null);
    if (actions.length === 0) {
      if (nulls.includes('pause')) {
        findings.error(
          joinPath(p, 'pause'),
          'is empty (null); write "pause: {}" to wait for promote, or "pause: {duration: 1h}"',
        );
      } else {
        findings.error(p, `has no action; give exactly one of ${STEP_ACTIONS.join(', ')}`, 'required');
      }
    }
    const exclusive = actions.filter((a) => EXCLUSIVE_ACTIONS.includes(a));
    if (exclusive.length > 1) {
      findings.error(
        p,
        `has ${exclusive.length} actions (${exclusive.join(', ')}); put each action in its own step`,
      );
    }
    const weight = step.setWeight;
    if (typeof weight === 'number' && (weight < 0 || weight > max)) {
      const why = fromField ? ' (trafficRouting.maxTrafficWeight)' : '';
      findings.error(joinPath(p, 'setWeight'), `${weight} is out of range; use 0..${max}${why}`);
    }
    const pause = step.pause;
    if (isPlainObject(pause) && pause.duration !== undefined && pause.duration !== null) {
      const d = pause.duration;
      const dp = joinPath(joinPath(p, 'pause'), 'duration');
      if (typeof d === 'number' || typeof d === 'string') {
        const parsed = parseSecondsOrDuration(d);
        if (!parsed.ok)
          findings.error(
            dp,
            `${describeValue(d)} ${parsed.reason}; use e.g. 30s, 5m, 1h, or a number of seconds`,
          );
        else if (parsed.ms < 0)
          findings.error(dp, `${describeValue(d)} is negative; use a duration of at least 0`);
        else if (parsed.ms > MAX_PAUSE_SECONDS * 1000)
          findings.error(
            dp,
            `${describeValue(d)} is too long: a pause lasts at most ${MAX_PAUSE_SECONDS} seconds (about 68 years, the most Argo Rollouts reads); use a shorter duration, or "pause: {}" to wait for a promote`,
          );
      }
    }
    const scale = step.setCanaryScale;
    if (isPlainObject(scale)) {
      const sp = joinPath(p, 'setCanaryScale');
      const given = ['weight', 'replicas', 'matchTrafficWeight'].filter((k) => scale[k] !== undefined);
      if (given.length !== 1)
        findings.error(sp, 'must have exactly one of weight, replicas or matchTrafficWeight');
      if (typeof scale.weight === 'number' && (scale.weight < 0 || scale.weight > 100)) {
        findings.error(joinPath(sp, 'weight'), `${scale.weight} is out of range; use 0..100`);
      }
      nonNegative(scale, 'replicas', sp, findings);
    }
    if (step.analysis !== undefined) checkAnalysisRef(step.analysis, joinPath(p, 'analysis'), findings);
  });
}

function checkCanary(canary: Obj, specReplicas: unknown, findings: Findings): void {
  const path = 'spec.strategy.canary';
  const surge = checkIntOrPercent(canary.maxSurge, joinPath(path, 'maxSurge'), findings, false);
  const unavailable = checkIntOrPercent(
    canary.maxUnavailable,
    joinPath(path, 'maxUnavailable'),
    findings,
    true,
  );
  if (surge === 0 && unavailable === 0) {
    findings.error(
      joinPath(path, 'maxSurge'),
      'maxSurge and maxUnavailable are both 0, so no pod could ever be replaced; make one of them at least 1',
    );
  }
  const replicas = typeof specReplicas === 'number' ? specReplicas : 1;
  const mu = canary.maxUnavailable;
  if (
    (isPercent(mu) && Number(mu.slice(0, -1)) >= 100) ||
    (typeof mu === 'number' && replicas > 0 && mu >= replicas)
  ) {
    findings.warn(
      joinPath(path, 'maxUnavailable'),
      `${JSON.stringify(mu)} lets every pod be unavailable at once, so the stable can be scaled to 0 before the canary has a ready pod (Argo allows it too); lower it (the default is "25%") to keep the old version serving`,
    );
  }
  if (
    typeof canary.canaryService === 'string' &&
    canary.canaryService !== '' &&
    canary.canaryService === canary.stableService
  ) {
    findings.error(
      joinPath(path, 'canaryService'),
      `"${canary.canaryService}" is also the stableService; use two different Services`,
    );
  }
  const routed = canary.trafficRouting !== undefined && canary.trafficRouting !== null;
  if (!routed) {
    if (canary.scaleDownDelaySeconds !== undefined) {
      findings.error(
        joinPath(path, 'scaleDownDelaySeconds'),
        'can only be used with trafficRouting; remove it (a canary without traffic routing scales down at once)',
      );
    }
    if (canary.dynamicStableScale === true) {
      findings.error(joinPath(path, 'dynamicStableScale'), 'can only be used with trafficRouting; remove it');
    }
    if (typeof canary.minPodsPerReplicaSet === 'number') {
      findings.warn(
        joinPath(path, 'minPodsPerReplicaSet'),
        'is ignored without trafficRouting (as in Argo Rollouts: the replica counts are the weights); remove it',
      );
    }
  } else if (canary.dynamicStableScale === true && canary.scaleDownDelaySeconds !== undefined) {
    findings.error(
      joinPath(path, 'dynamicStableScale'),
      'cannot be used with scaleDownDelaySeconds; remove one of them',
    );
  }
  for (const f of [
    'scaleDownDelaySeconds',
    'scaleDownDelayRevisionLimit',
    'abortScaleDownDelaySeconds',
    'minPodsPerReplicaSet',
  ]) {
    nonNegative(canary, f, path, findings);
  }
  checkSteps(canary, path, findings);
  checkTrafficRouting(canary, findings);
  checkRouteSteps(canary, findings);
  const analysis = canary.analysis;
  if (isPlainObject(analysis)) {
    checkAnalysisRef(analysis, joinPath(path, 'analysis'), findings);
    const steps = Array.isArray(canary.steps) ? canary.steps.length : 0;
    const start = analysis.startingStep;
    if (typeof start === 'number' && (start < 0 || (start > 0 && start >= steps))) {
      findings.error(
        joinPath(joinPath(path, 'analysis'), 'startingStep'),
        `${start} is out of range; the canary has ${steps} steps (use 0..${Math.max(steps - 1, 0)})`,
      );
    }
  }
}

function checkBlueGreen(bg: Obj, findings: Findings): void {
  const path = 'spec.strategy.blueGreen';
  if (
    typeof bg.previewService === 'string' &&
    bg.previewService !== '' &&
    bg.previewService === bg.activeService
  ) {
    findings.error(
      joinPath(path, 'previewService'),
      `"${bg.previewService}" is also the activeService; use two different Services`,
    );
  }
  for (const f of [
    'previewReplicaCount',
    'autoPromotionSeconds',
    'scaleDownDelaySeconds',
    'scaleDownDelayRevisionLimit',
    'abortScaleDownDelaySeconds',
  ]) {
    nonNegative(bg, f, path, findings);
  }
  checkIntOrPercent(bg.maxUnavailable, joinPath(path, 'maxUnavailable'), findings, true);
  if (
    bg.autoPromotionEnabled === false &&
    typeof bg.autoPromotionSeconds === 'number' &&
    bg.autoPromotionSeconds > 0
  ) {
    findings.warn(
      joinPath(path, 'autoPromotionSeconds'),
      'is ignored because autoPromotionEnabled is false; remove one of them',
    );
  }
  if (bg.prePromotionAnalysis !== undefined)
    checkAnalysisRef(bg.prePromotionAnalysis, joinPath(path, 'prePromotionAnalysis'), findings);
  if (bg.postPromotionAnalysis !== undefined)
    checkAnalysisRef(bg.postPromotionAnalysis, joinPath(path, 'postPromotionAnalysis'), findings);
}

export function checkRolloutSpec(spec: Obj, findings: Findings): void {
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit'])
    nonNegative(spec, f, 'spec', findings);
  if (typeof spec.progressDeadlineSeconds === 'number') {
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (spec.progressDeadlineSeconds <= minReady) {
      findings.error(
        'spec.progressDeadlineSeconds',
        `${spec.progressDeadlineSeconds} must be greater than minReadySeconds (${minReady})`,
      );
    }
  }
  checkSelector(spec, findings);
  const hasWorkloadRef = spec.workloadRef !== undefined && spec.workloadRef !== null;
  if (hasWorkloadRef && isPlainObject(spec.template) && Object.keys(spec.template).length > 0) {
    findings.error('spec.template', 'must be empty when workloadRef is set; keep one of them');
  }
  if (!hasWorkloadRef) {
    if (spec.template === undefined || spec.template === null) {
      findings.error(
        'spec.template',
        'is required; give the pod template (metadata.labels and spec.containers)',
        'required',
      );
    } else {
      checkPodTemplate(spec.template, 'spec.template', 'rollout', findings);
    }
  }
  const strategy = isPlainObject(spec.strategy) ? spec.strategy : undefined;
  const canary = strategy && isPlainObject(strategy.canary) ? strategy.canary : undefined;
  const blueGreen = strategy && isPlainObject(strategy.blueGreen) ? strategy.blueGreen : undefined;
  if (canary && blueGreen) {
    findings.error('spec.strategy', 'has both canary and blueGreen; a Rollout uses exactly one strategy');
  } else if (
    !canary &&
    !blueGreen &&
    !(strategy && (strategy.canary !== undefined || strategy.blueGreen !== undefined))
  ) {
    findings.error(
      'spec.strategy',
      'needs exactly one of canary or blueGreen; add e.g. "strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}"',
      'required',
    );
  }
  if (canary) checkCanary(canary, spec.replicas, findings);
  if (blueGreen) checkBlueGreen(blueGreen, findings);
  findUnsupported({ spec }, UNSUPPORTED_ROLLOUT_FIELDS, '', (p, f) =>
    findings.unsupported(p, f.what, f.instead),
  );
  findUnsupported({ spec }, NEVER_SUPPORTED_ROLLOUT_FIELDS, '', (p, f) =>
    findings.neverSupported(p, f.what, f.why, f.instead),
  );
}
