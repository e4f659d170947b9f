import { formatLintText } from './format';
import { ALB_UNVERIFIED, lintSources } from './lint';

const lint = (text: string, path = 'x.yaml') => lintSources([{ path, text }]);
const lines = (text: string) => formatLintText(lint(text)).trim().split('\n');

const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: app
        image: demo:1
  strategy:
    canary:
      canaryService: demo-canary
      steps:
      - setWeight: 20
      - pause: {}
`;

describe('lint', () => {
  test('a valid rollout: no errors; a missing Service is a warning naming it', () => {
    expect(lines(rollout)).toEqual([
      'x.yaml:20: Rollout/demo: spec.strategy.canary.canaryService: warning: references Service "demo-canary", which is not among the files given; create it before the Rollout runs',
      'lint: 1 object checked in 1 file: 0 errors, 1 warning',
    ]);
  });

  test('findings point at the line of the field', () => {
    const out = lines(
      rollout.replace('setWeight: 20', 'setWeight: 140').replace('replicas: 2', 'replicas: "2"'),
    );
    expect(out).toContain(
      'x.yaml:6: Rollout/demo: spec.replicas: expected an integer, got the string "2"; write 2 without quotes',
    );
    expect(out).toContain(
      'x.yaml:22: Rollout/demo: spec.strategy.canary.steps[0].setWeight: 140 is out of range; use 0..100',
    );
  });

  test('a required field that is missing points at its parent', () => {
    const out = lines(rollout.replace('        image: demo:1\n', ''));
    expect(out[0]).toBe(
      'x.yaml:16: Rollout/demo: spec.template.spec.containers[0].image: is required; give the image to run, e.g. "nginx:1.27"',
    );
  });

  test('YAML 1.1 booleans are read as kubectl reads them', () => {
    const text = rollout
      .replace('canary:\n      canaryService: demo-canary\n', 'canary:\n')
      .replace('  replicas: 2\n', '  replicas: 2\n  paused: no\n');
    expect(lint(text).errors).toBe(0);
  });

  test('a service in the same set satisfies the reference', () => {
    const service = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo-canary\nspec: {}\n';
    const report = lint(rollout + service);
    expect(report.warnings).toBe(0);
    expect(report.objects.map((o) => o.status)).toEqual(['checked', 'skipped']);
  });

  test('a template arg without a value must be given by the rollout', () => {
    const template = `---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: rate}
spec:
  args: [{name: service}]
  metrics:
  - name: m
    provider: {web: {url: "http://127.0.0.1/{{args.service}}"}}
`;
    const text = rollout.replace(
      '      canaryService: demo-canary\n',
      '      analysis:\n        templates: [{templateName: rate}]\n',
    );
    expect(formatLintText(lint(text + template))).toContain(
      'x.yaml:20: Rollout/demo: spec.strategy.canary.analysis.args: AnalysisTemplate "rate" requires arg "service", which is not given',
    );
  });
});

const routed = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: app
        image: demo:1
  strategy:
    canary:
      canaryService: demo-canary
      stableService: demo-stable
      trafficRouting:
        plugins:
          argoproj-labs/gatewayAPI:
            httpRoute: demo-route
      steps:
      - setWeight: 20
---
apiVersion: v1
kind: Service
metadata: {name: demo-canary}
---
apiVersion: v1
kind: Service
metadata: {name: demo-stable}
`;

const httpRoute = (...backends: string[]) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: demo-route
spec:
  rules:
  - backendRefs:
${backends.map((b) => `    - name: ${b}\n      port: 80`).join('\n')}
`;

describe('lint of traffic routing', () => {
  test('a Rollout with the Gateway API plugin and its route lints clean (the route is read, not checked)', () => {
    const report = lint(routed + httpRoute('demo-stable', 'demo-canary'));
    expect([report.errors, report.warnings]).toEqual([0, 0]);
    expect(formatLintText(report)).toContain(
      'x.yaml:36: HTTPRoute/demo-route: skipped: not a kind Ramp checks',
    );
  });

  test("a misspelled field of the plugin's configuration points at its line, with the fix", () => {
    const out = lines(routed.replace('httpRoute: demo-route', 'httpRoutee: demo-route'));
    expect(out).toContain(
      'x.yaml:24: Rollout/demo: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoutee: unknown field "httpRoutee"; did you mean "httpRoute"?',
    );
    expect(out).toContainEqual(
      expect.stringMatching(
        /^x\.yaml:23: Rollout\/demo: spec\.strategy\.canary\.trafficRouting\.plugins\["argoproj-labs\/gatewayAPI"\]: names no route: the plugin refuses it/,
      ),
    );
  });

  test('a route without the canary Service is a warning at the line naming the route', () => {
    expect(lines(routed + httpRoute('demo-stable'))).toContain(
      'x.yaml:24: Rollout/demo: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute: warning: HTTPRoute "demo-route" cannot carry the canary split: no rule has a backendRef to the canaryService "demo-canary", so the controller would refuse it at run time; add both Services as backendRefs of the rule whose traffic the canary shares',
    );
  });

  test('App Mesh is an error at its line, naming the Gateway API as the way instead', () => {
    const text = routed.replace(
      '        plugins:\n          argoproj-labs/gatewayAPI:\n            httpRoute: demo-route\n',
      '        appMesh:\n          virtualService: {name: vs}\n',
    );
    const out = lines(text);
    expect(out[0]).toBe(
      'x.yaml:22: Rollout/demo: spec.strategy.canary.trafficRouting.appMesh: The AWS App Mesh traffic router (trafficRouting.appMesh) will not be supported by Ramp: AWS discontinued App Mesh (end of support 30 September 2026) (see docs/compatibility.md); route with the Gateway API instead (trafficRouting.plugins["argoproj-labs/gatewayAPI"]; on AWS, the AWS Gateway API Controller for Amazon VPC Lattice implements it), remove it, or run this object with Argo Rollouts',
    );
    expect(lint(text).errors).toBe(1);
  });

  test('an Istio Rollout lints with no error (its VirtualService, not among the files, is a warning)', () => {
    const text = routed.replace(
      '        plugins:\n          argoproj-labs/gatewayAPI:\n            httpRoute: demo-route\n',
      '        istio:\n          virtualService: {name: vs, routes: [primary]}\n',
    );
    expect(lines(text)).toEqual([
      'x.yaml:23: Rollout/demo: spec.strategy.canary.trafficRouting.istio.virtualService.name: warning: references VirtualService "vs", which is not among the files given; create it before the Rollout runs',
      'x.yaml:27: Service/demo-canary: skipped: not a kind Ramp checks',
      'x.yaml:31: Service/demo-stable: skipped: not a kind Ramp checks',
      'lint: 1 object checked in 1 file: 0 errors, 1 warning, 2 skipped',
    ]);
  });

  test('every Rollout using alb gets a warning (not an error) that its weights are not verified through AWS', () => {
    const text =
      routed.replace(
        '        plugins:\n          argoproj-labs/gatewayAPI:\n            httpRoute: demo-route\n',
        '        alb:\n          ingress: demo-ingress\n          servicePort: 80\n',
      ) +
      '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: demo-ingress}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: demo-stable, port: {name: use-annotation}}}}\n';
    const report = lint(text);
    expect([report.errors, report.warnings]).toEqual([0, 1]);
    expect(lines(text)[0]).toBe(
      `x.yaml:22: Rollout/demo: spec.strategy.canary.trafficRouting.alb: warning: ${ALB_UNVERIFIED}`,
    );
    expect(ALB_UNVERIFIED).toMatch(/--aws-verify-target-group \(formerly --alb-verify-weight\)/);
    expect(ALB_UNVERIFIED).toMatch(/status\.canary\.weights\.verified stays unset/);
    // with another router beside it, too; and not for a Rollout without alb
    const both = text.replace('        alb:\n', '        smi: {}\n        alb:\n');
    expect(lint(both).objects[0]!.findings.map((f) => [f.severity, f.path])).toEqual([
      ['warning', 'spec.strategy.canary.trafficRouting.alb'],
    ]);
    expect(lint(routed + httpRoute('demo-stable', 'demo-canary')).warnings).toBe(0);
  });

  test('an nginx stable Ingress in the set that routes elsewhere is a warning at stableIngress', () => {
    const text = routed.replace(
      '        plugins:\n          argoproj-labs/gatewayAPI:\n            httpRoute: demo-route\n',
      '        nginx:\n          stableIngress: demo-ingress\n',
    );
    const ingress = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: demo-ingress}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}
`;
    expect(lines(text + ingress)).toContainEqual(
      expect.stringMatching(
        /^x\.yaml:23: Rollout\/demo: spec\.strategy\.canary\.trafficRouting\.nginx\.stableIngress: warning: Ingress "demo-ingress" has no rule whose backend is the stableService "demo-stable"/,
      ),
    );
  });
});

describe('lint never crashes on bad input', () => {
  test.each([
    [
      'an empty file',
      '',
      'x.yaml:1: holds no Kubernetes object (the file is empty); remove it or add an object',
    ],
    ['only comments', '# nothing\n', 'x.yaml:1: holds no Kubernetes object'],
    ['not YAML', 'kind: [Rollout\nspec: {', 'x.yaml:2: YAML:'],
    ['a tab-indented block', 'kind: Rollout\nspec:\n\treplicas: 1\n', 'x.yaml:3: YAML:'],
    [
      'a list document',
      '- a\n- b\n',
      'x.yaml:1: (no kind)/(no name): expected a Kubernetes object (a map with apiVersion, kind, metadata and spec), got a list',
    ],
    ['a scalar document', 'hello\n', 'got the string "hello"'],
    ['a duplicate key', 'kind: Rollout\nkind: Rollout\n', 'x.yaml:2: YAML: Map keys must be unique'],
    [
      'a huge number',
      rollout.replace('replicas: 2', 'replicas: 1e400'),
      'spec.replicas: expected an integer, got the number Infinity',
    ],
    [
      'an unquoted placeholder',
      rollout.replace('app: demo\n  template', 'app: {{args.app}}\n  template'),
      'a map key is itself a map',
    ],
    [
      'a document without kind',
      'apiVersion: v1\nmetadata: {name: x}\n',
      'kind: is required; add e.g. "kind: Rollout"',
    ],
  ])('%s', (_name, text, expected) => {
    const out = formatLintText(lint(text));
    expect(out).toContain(expected);
    expect(lint(text).errors).toBeGreaterThan(0);
  });

  test('an alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const out = formatLintText(lint(bomb.join('\n')));
    expect(out).toMatch(/Excessive alias count|cannot read this document/);
  });

  test('an unreadable file is an error, not a crash', () => {
    expect(
      formatLintText(
        lintSources([{ path: 'gone.yaml', error: 'does not exist; check the path given to -f' }]),
      ),
    ).toContain('gone.yaml:1: does not exist');
  });
});
