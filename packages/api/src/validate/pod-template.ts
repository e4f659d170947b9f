// The parts of core/v1 PodTemplateSpec and batch/v1 JobSpec that the API server would reject,
// checked before the object ever reaches it: containers, names, images, quantities, ports, labels.
import { dns1123LabelProblem, labelKeyProblem, labelValueProblem } from '../values/labels';
import { parseQuantity, QUANTITY_HINT } from '../values/quantity';
import { describeValue, type Findings, joinPath } from './findings';
import { isPlainObject } from './schema-check';
import { didYouMean } from './suggest';

const POD_SPEC_FIELDS = [
  'volumes',
  'initContainers',
  'containers',
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  'overhead',
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
  'resources',
];

const CONTAINER_FIELDS = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
];

const JOB_SPEC_FIELDS = [
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'podFailurePolicy',
  'successPolicy',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'selector',
  'manualSelector',
  'template',
  'ttlSecondsAfterFinished',
  'completionMode',
  'suspend',
  'podReplacementPolicy',
  'managedBy',
];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export function checkUnknownFields(
  value: Record<string, unknown>,
  known: string[],
  path: string,
  findings: Findings,
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      findings.error(joinPath(path, key), `unknown field "${key}"${didYouMean(key, known)}`, 'unknown-field');
    }
  }
}

/**
 * Checks label keys and values. `typesChecked`: the schema check already reported values that are
 * not strings (matchLabels); elsewhere (metadata, pod templates) this does.
 */
export function checkLabels(labels: unknown, path: string, findings: Findings, typesChecked = false): void {
  if (!isPlainObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) findings.error(joinPath(path, key), `label key "${key}" ${keyProblem}`);
    if (typeof value !== 'string' && !typesChecked) {
      // The same words as the schema check's for matchLabels.
      const fix = typeof value === 'number' || typeof value === 'boolean' ? `; quote it: "${value}"` : '';
      findings.error(
        joinPath(path, key),
        value === null || value === undefined
          ? `has no value; write "${key}: <value>", or quote an empty value as ""`
          : `label values are strings, got ${describeValue(value)}${fix}`,
        'type',
      );
    }
    if (typeof value === 'string' && !value.includes('{{')) {
      const valueProblem = labelValueProblem(value);
      if (valueProblem) findings.error(joinPath(path, key), `label value "${value}" ${valueProblem}`);
    }
  }
}

function checkResources(resources: unknown, path: string, findings: Findings): void {
  if (!isPlainObject(resources)) return;
  const parsed: Record<string, Record<string, number>> = {};
  for (const kind of ['requests', 'limits'] as const) {
    const values = resources[kind];
    if (values === undefined || values === null) continue;
    if (!isPlainObject(values)) {
      findings.error(
        joinPath(path, kind),
        `expected a map of resource names to quantities, got ${describeValue(values)}`,
        'type',
      );
      continue;
    }
    parsed[kind] = {};
    for (const [name, q] of Object.entries(values)) {
      const qPath = joinPath(joinPath(path, kind), name);
      const amount = typeof q === 'string' || typeof q === 'number' ? parseQuantity(q) : undefined;
      if (amount === undefined) {
        findings.error(qPath, `${describeValue(q)} is not a quantity; ${QUANTITY_HINT}`);
      } else if (amount < 0) {
        findings.error(qPath, `must not be negative`);
      } else {
        parsed[kind]![name] = amount;
      }
    }
  }
  for (const [name, request] of Object.entries(parsed.requests ?? {})) {
    const limit = parsed.limits?.[name];
    if (limit !== undefined && request > limit) {
      findings.error(
        joinPath(joinPath(path, 'requests'), name),
        `the request is above the limit; make requests.${name} at most limits.${name}`,
      );
    }
  }
}

function checkContainer(c: Record<string, unknown>, list: string, path: string, findings: Findings): void {
  const known =
    list === 'ephemeralContainers' ? [...CONTAINER_FIELDS, 'targetContainerName'] : CONTAINER_FIELDS;
  checkUnknownFields(c, known, path, findings);
  if (typeof c.name !== 'string' || c.name === '') {
    findings.error(
      joinPath(path, 'name'),
      'is required; give the container a name such as "app"',
      'required',
    );
  } else {
    const problem = dns1123LabelProblem(c.name);
    if (problem) findings.error(joinPath(path, 'name'), `"${c.name}" ${problem}`);
  }
  if (c.image === undefined || c.image === null || c.image === '') {
    findings.error(
      joinPath(path, 'image'),
      'is required; give the image to run, e.g. "nginx:1.27"',
      'required',
    );
  } else if (typeof c.image !== 'string') {
    findings.error(joinPath(path, 'image'), `expected a string, got ${describeValue(c.image)}`, 'type');
  } else if (/\s/.test(c.image)) {
    findings.error(joinPath(path, 'image'), `"${c.image}" contains white space; image references have none`);
  }
  checkResources(c.resources, joinPath(path, 'resources'), findings);
  if (Array.isArray(c.ports)) {
    c.ports.forEach((p, i) => {
      if (!isPlainObject(p)) return;
      const port = p.containerPort;
      const portPath = joinPath(joinPath(joinPath(path, 'ports'), i), 'containerPort');
      if (port === undefined)
        findings.error(portPath, 'is required; give the port the container listens on', 'required');
      else if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        findings.error(portPath, `${describeValue(port)} is not a port; use 1..65535`);
      }
    });
  }
}

export type PodTemplateOwner = 'rollout' | 'job';

/** Checks a pod template at `path` (e.g. spec.template). */
export function checkPodTemplate(
  template: unknown,
  path: string,
  owner: PodTemplateOwner,
  findings: Findings,
): void {
  if (!isPlainObject(template)) return; // the schema check already reported the type
  const metadata = template.metadata;
  if (isPlainObject(metadata)) {
    checkLabels(metadata.labels, joinPath(joinPath(path, 'metadata'), 'labels'), findings);
  }
  const specPath = joinPath(path, 'spec');
  const spec = template.spec;
  if (spec === undefined || spec === null) {
    findings.error(specPath, 'is required; give the pod spec with at least one container', 'required');
    return;
  }
  if (!isPlainObject(spec)) {
    findings.error(specPath, `expected a map, got ${describeValue(spec)}`, 'type');
    return;
  }
  checkUnknownFields(spec, POD_SPEC_FIELDS, specPath, findings);
  const seen = new Map<string, string>();
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    const listPath = joinPath(specPath, list);
    if (containers === undefined || containers === null) {
      if (list === 'containers') {
        findings.error(
          listPath,
          'is required; list at least one container with a name and an image',
          'required',
        );
      }
      continue;
    }
    if (!Array.isArray(containers)) {
      findings.error(listPath, `expected a list, got ${describeValue(containers)}`, 'type');
      continue;
    }
    if (list === 'containers' && containers.length === 0) {
      findings.error(listPath, 'is empty; list at least one container with a name and an image', 'required');
    }
    containers.forEach((c, i) => {
      const cPath = joinPath(listPath, i);
      if (!isPlainObject(c)) {
        findings.error(cPath, `expected a container (a map), got ${describeValue(c)}`, 'type');
        return;
      }
      checkContainer(c, list, cPath, findings);
      if (typeof c.name === 'string' && c.name !== '') {
        const first = seen.get(c.name);
        if (first)
          findings.error(
            joinPath(cPath, 'name'),
            `"${c.name}" is already used by ${first}; container names must be unique`,
          );
        else seen.set(c.name, joinPath(cPath, 'name'));
      }
    });
  }
  const restart = spec.restartPolicy;
  if (owner === 'rollout' && restart !== undefined && restart !== 'Always') {
    findings.error(
      joinPath(specPath, 'restartPolicy'),
      `${describeValue(restart)} is not allowed for a Rollout's pods; use Always (or omit it)`,
    );
  }
  if (owner === 'job' && restart !== 'Never' && restart !== 'OnFailure') {
    findings.error(
      joinPath(specPath, 'restartPolicy'),
      restart === undefined
        ? 'is required for a Job; set it to Never or OnFailure'
        : `${describeValue(restart)} is not allowed for a Job; use Never or OnFailure`,
      restart === undefined ? 'required' : 'invalid',
    );
  }
}

/** Checks a Job spec at `path` (a job metric's provider.job.spec). */
export function checkJobSpec(spec: unknown, path: string, findings: Findings): void {
  if (!isPlainObject(spec)) return;
  checkUnknownFields(spec, JOB_SPEC_FIELDS, path, findings);
  if (spec.template === undefined || spec.template === null) {
    findings.error(joinPath(path, 'template'), 'is required; give the pod template the Job runs', 'required');
    return;
  }
  if (!isPlainObject(spec.template)) {
    findings.error(joinPath(path, 'template'), `expected a map, got ${describeValue(spec.template)}`, 'type');
    return;
  }
  checkPodTemplate(spec.template, joinPath(path, 'template'), 'job', findings);
  for (const field of ['backoffLimit', 'activeDeadlineSeconds', 'parallelism', 'completions']) {
    const v = spec[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      findings.error(
        joinPath(path, field),
        `${describeValue(v)} is not allowed; use a whole number of at least 0`,
      );
    }
  }
}
