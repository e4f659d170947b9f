import { CANARY_SERVICE, STABLE_SERVICE } from './gateway-manifests';
import { routeWeights } from './route-weights';

const route = (refs: { name: string; weight?: number }[]) => ({ spec: { rules: [{ backendRefs: refs }] } });

test('the weights of the stable and canary backendRefs of the first rule', () => {
  expect(
    routeWeights(
      route([
        { name: STABLE_SERVICE, weight: 80 },
        { name: CANARY_SERVICE, weight: 20 },
      ]),
    ),
  ).toEqual({ stable: 80, canary: 20 });
});

test("a backendRef without a weight has the Gateway API's default, 1; a missing one has none", () => {
  expect(routeWeights(route([{ name: STABLE_SERVICE }, { name: CANARY_SERVICE }]))).toEqual({
    stable: 1,
    canary: 1,
  });
  expect(routeWeights(route([{ name: STABLE_SERVICE, weight: 100 }]))).toEqual({ stable: 100 });
  expect(routeWeights({})).toEqual({});
});
