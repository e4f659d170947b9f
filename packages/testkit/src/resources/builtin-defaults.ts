/** Defaulting and validation of built-in kinds: the few rules a controller's tests are likely to meet. */
import { fromLabelSelectorObject, matchesLabels } from '../semantics/label-selector';
import { isObject, type JsonObject, type KubeObject } from '../types';

type Cause = { field: string; reason: string; message: string };

function obj(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isObject(v)) return v;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

function setDefault(target: JsonObject, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  const image = typeof c.image === 'string' ? c.image : '';
  const lastPart = image.split('/').pop() ?? '';
  const tagged = lastPart.includes(':') && !lastPart.endsWith(':latest');
  setDefault(c, 'imagePullPolicy', tagged || image.includes('@') ? 'IfNotPresent' : 'Always');
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) setDefault(p, 'protocol', 'TCP');
}

export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) cs.forEach(defaultContainer);
  }
}

function templateSpec(o: KubeObject): JsonObject {
  return obj(obj(obj(o, 'spec'), 'template'), 'spec');
}

let nextClusterIp = 10;

export const defaults = {
  pod(o: KubeObject): void {
    defaultPodSpec(obj(o, 'spec'));
    o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  service(o: KubeObject): void {
    const spec = obj(o, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec.type !== 'ExternalName') {
      if (spec.clusterIP === undefined) {
        nextClusterIp++;
        spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250) % 250}.${(nextClusterIp % 250) + 1}`;
      }
      setDefault(spec, 'clusterIPs', [spec.clusterIP]);
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    }
    if (Array.isArray(spec.ports)) {
      for (const p of spec.ports) {
        if (!isObject(p)) continue;
        setDefault(p, 'protocol', 'TCP');
        setDefault(p, 'targetPort', p.port);
      }
    }
    o.status = { loadBalancer: {} };
  },
  deployment(o: KubeObject): void {
    const spec = obj(o, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'strategy', {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultPodSpec(templateSpec(o));
  },
  replicaSet(o: KubeObject): void {
    setDefault(obj(o, 'spec'), 'replicas', 1);
    defaultPodSpec(templateSpec(o));
  },
  job(o: KubeObject): void {
    const spec = obj(o, 'spec');
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'completions', 1);
    setDefault(spec, 'backoffLimit', 6);
    setDefault(spec, 'completionMode', 'NonIndexed');
    setDefault(spec, 'suspend', false);
    const ts = templateSpec(o);
    const restartPolicy = ts.restartPolicy;
    defaultPodSpec(ts);
    if (restartPolicy === undefined) delete ts.restartPolicy;
    if (spec.selector === undefined && spec.manualSelector !== true && o.metadata.uid) {
      const uid = o.metadata.uid;
      const name = o.metadata.name ?? '';
      spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const meta = obj(obj(spec, 'template'), 'metadata');
      meta.labels = {
        ...(isObject(meta.labels) ? meta.labels : {}),
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': name,
        'controller-uid': uid,
        'job-name': name,
      };
    }
  },
  namespace(o: KubeObject): void {
    setDefault(obj(o, 'spec'), 'finalizers', ['kubernetes']);
    o.status = { phase: 'Active' };
    o.metadata.labels = {
      ...(o.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': o.metadata.name ?? '',
    };
  },
  secret(o: KubeObject): void {
    setDefault(o, 'type', 'Opaque');
  },
};

function validateContainers(spec: unknown, path: string, out: Cause[]): void {
  const cs = isObject(spec) ? spec.containers : undefined;
  if (!Array.isArray(cs) || cs.length === 0) {
    out.push({ field: `${path}.containers`, reason: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  cs.forEach((c, i) => {
    for (const key of ['name', 'image']) {
      if (!isObject(c) || typeof c[key] !== 'string' || c[key] === '') {
        out.push({
          field: `${path}.containers[${i}].${key}`,
          reason: 'FieldValueRequired',
          message: 'Required value',
        });
      }
    }
  });
}

function validateWorkload(o: KubeObject): Cause[] {
  const out: Cause[] = [];
  const spec = isObject(o.spec) ? o.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const labels =
    isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (!isObject(spec.selector)) {
    out.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
  } else {
    const selector = fromLabelSelectorObject(spec.selector);
    if (selector.length === 0) {
      out.push({
        field: 'spec.selector',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "null": empty selector is invalid for deployment',
      });
    } else if (!matchesLabels(selector, labels as Record<string, string>)) {
      out.push({
        field: 'spec.template.metadata.labels',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    out.push({
      field: 'spec.replicas',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
    });
  }
  validateContainers(template.spec, 'spec.template.spec', out);
  return out;
}

export const validators = {
  pod(o: KubeObject): Cause[] {
    const out: Cause[] = [];
    validateContainers(o.spec, 'spec', out);
    return out;
  },
  workload: validateWorkload,
  job(o: KubeObject): Cause[] {
    const out: Cause[] = [];
    const spec = isObject(o.spec) ? o.spec : {};
    const template = isObject(spec.template) ? spec.template : {};
    const policy = isObject(template.spec) ? template.spec.restartPolicy : undefined;
    if (policy !== 'Never' && policy !== 'OnFailure') {
      out.push({
        field: 'spec.template.spec.restartPolicy',
        reason: policy === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
        message:
          policy === undefined
            ? 'Required value: valid values: "OnFailure", "Never"'
            : `Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"`,
      });
    }
    validateContainers(template.spec, 'spec.template.spec', out);
    return out;
  },
  service(o: KubeObject): Cause[] {
    const spec = isObject(o.spec) ? o.spec : {};
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
    if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
      return [{ field: 'spec.ports', reason: 'FieldValueRequired', message: 'Required value' }];
    }
    return [];
  },
};
