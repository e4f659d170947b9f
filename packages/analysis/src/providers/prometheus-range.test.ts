import {
  answer,
  ctx,
  measuredValue,
  messageOf,
  metric,
  NOW,
  provider,
  QUERY,
  server,
  success,
  useFakePrometheus,
} from '../testing/prometheus';

useFakePrometheus();

describe('range queries', () => {
  it('evaluates start/end against the injected clock and sends step in seconds', async () => {
    answer(
      success({
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [1, '1'],
              [2, 'NaN'],
            ],
          },
        ],
      }),
    );
    const outcome = await provider().measure(
      metric({ rangeQuery: { start: 'now() - duration("5m")', end: 'now()', step: '1m' } }),
      ctx,
    );
    const value = measuredValue(outcome) as number[];
    expect(value[0]).toBe(1);
    expect(value[1]).toBeNaN();
    const [req] = server.requests;
    expect(req?.url.pathname).toBe('/api/v1/query_range');
    expect(req?.params.get('start')).toBe(String((NOW.getTime() - 300_000) / 1000) + '.000');
    expect(req?.params.get('end')).toBe(`${NOW.getTime() / 1000}.000`);
    expect(req?.params.get('step')).toBe('60');
    expect(outcome.metadata).toEqual({
      ResolvedPrometheusQuery: QUERY,
      rangeQueryStart: '2024-05-01T09:55:00.000Z',
      rangeQueryEnd: '2024-05-01T10:00:00.000Z',
      rangeQueryStep: '60s',
    });
  });

  it('takes RFC 3339 times and date("...")', async () => {
    answer(success({ resultType: 'matrix', result: [] }));
    const outcome = await provider().measure(
      metric({
        rangeQuery: {
          start: 'date("2024-05-01T08:00:00Z") - duration("30m")',
          end: '2024-05-01T10:00:00+02:00',
          step: '90s',
        },
      }),
      ctx,
    );
    expect(measuredValue(outcome)).toEqual([]);
    expect(outcome.metadata?.['rangeQueryStart']).toBe('2024-05-01T07:30:00.000Z');
    expect(outcome.metadata?.['rangeQueryEnd']).toBe('2024-05-01T08:00:00.000Z');
    expect(server.requests[0]?.params.get('step')).toBe('90');
  });

  it('end defaults to now()', async () => {
    answer(success({ resultType: 'matrix', result: [] }));
    const outcome = await provider().measure(
      metric({ rangeQuery: { start: 'now() - duration("1h")', step: '5m' } }),
      ctx,
    );
    expect(outcome.metadata?.['rangeQueryEnd']).toBe(NOW.toISOString());
  });

  it.each([
    [
      { start: 'now() - duration("??")', end: 'now()', step: '1m' },
      'failed to parse rangeQuery.start as time: time: invalid duration "??"',
    ],
    [
      { start: 'now()', end: 'now() - duration("5")', step: '1m' },
      'failed to parse rangeQuery.end as time: time: missing unit in duration "5"',
    ],
    [
      { start: 'now()', end: 'now()', step: '??' },
      'failed to parse rangeQuery.step as duration: time: invalid duration "??"',
    ],
    [{ start: 'now()', end: 'now()', step: '0s' }, 'rangeQuery.step must be positive, got "0s"'],
    [{ end: 'now()', step: '1m' }, 'rangeQuery.start is required (e.g. now() - duration("5m"))'],
    [{ start: 'now()', end: 'now()' }, 'rangeQuery.step is required (e.g. "1m")'],
  ])('%j → error %s', async (rangeQuery, message) => {
    expect(messageOf(await provider().measure(metric({ rangeQuery }), ctx))).toBe(message);
    expect(server.requests).toHaveLength(0);
  });

  it('an unsupported expression says what is supported', async () => {
    const message = messageOf(
      await provider().measure(
        metric({
          rangeQuery: { start: 'date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC")', step: '1m' },
        }),
        ctx,
      ),
    );
    expect(message).toMatch(
      /^failed to parse rangeQuery.start as time: date\(\) with a layout or a time zone is not supported/,
    );
  });
});
