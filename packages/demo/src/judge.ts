// Waits until Prometheus has scraped the traffic app, so the first measurement has data.
import { sampleValues, waitForSample } from '@ramp/testkit';

export async function prometheusReady(url: string): Promise<void> {
  const query = 'sum(number_of_request_receive_by_master_total)';
  await waitForSample(url, query, (data) => sampleValues(data).some((v) => v > 0), 30_000);
}
