import { KubeConfig } from '@kubernetes/client-node';
import pRetry from 'p-retry';

test('ESM-only dependencies load under jest', async () => {
  expect(typeof new KubeConfig().loadFromString).toBe('function');
  await expect(pRetry(async () => 7, { retries: 0 })).resolves.toBe(7);
});
