import { availabilityFloorOf, maxUnavailableOf } from './limits';
import { rolloutOf } from './testing/states';

const canary = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string) =>
  rolloutOf(
    {},
    {
      replicas,
      strategy: {
        canary: {
          ...(maxSurge !== undefined ? { maxSurge } : {}),
          ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
        },
      },
    },
  );
const blueGreen = (replicas: number, maxUnavailable?: number | string) =>
  rolloutOf(
    {},
    {
      replicas,
      strategy: {
        blueGreen: { activeService: 'a', ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) },
      },
    },
  );

test.each([
  ['defaults 25%/25% of 5', canary(5), 1],
  ['defaults 25%/25% of 3: unavailable rounds down to 0, surge up to 1', canary(3), 0],
  ['maxSurge 1, maxUnavailable 0', canary(4, 1, 0), 0],
  ['maxSurge 0, maxUnavailable 1', canary(3, 0, 1), 1],
  ['20% surge, 40% unavailable of 5', canary(5, '20%', '40%'), 2],
  ['both resolve to 0: maxUnavailable is 1', canary(2, '0%', '10%'), 1],
  ['maxUnavailable above replicas is capped', canary(2, 1, 5), 2],
  ['blue-green: its own maxUnavailable', blueGreen(5, 1), 1],
  ['blue-green: 25% of 3 rounds down to 0 (the default surge is 1)', blueGreen(3), 0],
])('%s', (_, ro, expected) => {
  expect(maxUnavailableOf(ro)).toBe(expected);
  expect(availabilityFloorOf(ro)).toBe((ro.spec.replicas ?? 1) - expected);
});
