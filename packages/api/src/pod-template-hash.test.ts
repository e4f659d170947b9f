import { canonicalJson, POD_TEMPLATE_HASH_LABEL, podTemplateHash, sameTemplate } from './pod-template-hash';
import { labelValueProblem } from './values/labels';

const template = {
  metadata: { labels: { app: 'demo', tier: 'web' } },
  spec: { containers: [{ name: 'app', image: 'demo:1', ports: [{ containerPort: 8080 }] }] },
};

describe('pod-template hash', () => {
  test('is deterministic and a valid label value', () => {
    const h = podTemplateHash(template);
    expect(podTemplateHash(structuredClone(template))).toBe(h);
    expect(labelValueProblem(h)).toBeUndefined();
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  test('does not depend on key order', () => {
    const reordered = {
      spec: { containers: [{ ports: [{ containerPort: 8080 }], image: 'demo:1', name: 'app' }] },
      metadata: { labels: { tier: 'web', app: 'demo' } },
    };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
    expect(sameTemplate(reordered, template)).toBe(true);
  });

  test('ignores its own label, so labelling pods does not change it', () => {
    const h = podTemplateHash(template);
    const labelled = {
      ...template,
      metadata: { labels: { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: h } },
    };
    expect(podTemplateHash(labelled)).toBe(h);
  });

  test('changes with the image and with the collision count', () => {
    const other = structuredClone(template);
    other.spec.containers[0]!.image = 'demo:2';
    expect(podTemplateHash(other)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, 1)).not.toBe(podTemplateHash(template));
    expect(sameTemplate(other, template)).toBe(false);
  });

  test('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"f":1}]},"b":1}',
    );
  });
});
