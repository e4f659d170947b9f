import { invertedRatioWarning } from './query-heuristics';

describe('inverted ratios', () => {
  test.each([
    ['sum(requests_total) / sum(errors_total)', 'divides requests_total by errors_total'],
    [
      'sum(rate(requests_total{path="/a/b"}[5m])) / sum(rate(errors_total[5m]))',
      'divides requests_total by errors_total',
    ],
    ['requests_total / clamp_min(sum(errors_total), 1)', 'divides requests_total by errors_total'],
    ['all_requests\n/\nfailed_requests', 'divides all_requests by failed_requests'],
  ])('%p is warned about', (query, expected) => {
    expect(invertedRatioWarning(query)).toContain(expected);
  });

  test.each([
    'sum(errors_total) / sum(requests_total)',
    'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))',
    'up',
    '(requests_total) / (errors_total)',
  ])('%p is not', (query) => {
    expect(invertedRatioWarning(query)).toBeUndefined();
  });

  test('a long query costs time in proportion to its length', () => {
    // found by yaml-documents.fuzz.test.ts: a backtracking regular expression took about 0.6 s on
    // 2,000 letters without a division, and minutes on 20,000 (lint hung)
    const started = performance.now();
    for (const query of [
      'a'.repeat(100_000),
      `${'a'.repeat(100_000)} /`,
      'x{'.repeat(50_000),
      '/a('.repeat(30_000),
    ]) {
      expect(invertedRatioWarning(query)).toBeUndefined();
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
