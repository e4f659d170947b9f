import { RequestLog, requestKey } from './request-log';

test('requestKey: the verb and the resource, with its subresource', () => {
  expect(requestKey('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/chaos/rollouts/app/status')).toBe(
    'PATCH rollouts/status',
  );
  expect(requestKey('POST', '/api/v1/namespaces/chaos/events')).toBe('POST events');
  expect(requestKey('PATCH', '/apis/apps/v1/namespaces/chaos/replicasets/app-abc?fieldManager=x')).toBe(
    'PATCH replicasets',
  );
});

test('counts the requests in testkit debug lines: writes by resource, injected errors, conflicts', () => {
  const log = new RequestLog();
  const before = log.snapshot();
  for (const line of [
    'GET /apis/apps/v1/replicasets?watch=1 watch started',
    'GET /apis/apps/v1/replicasets 200 3ms',
    'PATCH /apis/apps/v1/namespaces/chaos/replicasets/a 200 1ms',
    'PATCH /apis/apps/v1/namespaces/chaos/replicasets/b 409 1ms',
    'POST /api/v1/namespaces/chaos/events 503 0ms',
    'something else the simulator said',
  ])
    log.logger.debug(line);
  expect([log.requests, log.writes, log.errors, log.conflicts]).toEqual([4, 3, 1, 1]);
  expect(log.writesSince(before)).toEqual({ 'PATCH replicasets': 2, 'POST events': 1 });
});
