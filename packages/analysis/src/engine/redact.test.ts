import { createRedactor, noRedaction, REDACTED } from './redact';

describe('redaction', () => {
  const redact = createRedactor(['t0ken-123', 'abc', '']);

  test('every occurrence of every secret', () => {
    expect(redact.text('Get "http://x/?token=t0ken-123": 401 for t0ken-123 (abc)')).toBe(
      `Get "http://x/?token=${REDACTED}": 401 for ${REDACTED} (${REDACTED})`,
    );
  });

  test('longer secrets first, so one inside another is fully hidden', () => {
    const r = createRedactor(['abc', 'xxabcxx']);
    expect(r.text('see xxabcxx and abc')).toBe('see ***** and *****');
  });

  test('a measurement: message, value and metadata', () => {
    expect(
      redact.measurement({
        phase: 'Error',
        message: 'bad token t0ken-123',
        value: '{"echo":"t0ken-123"}',
        metadata: { url: 'http://x/?k=t0ken-123' },
      }),
    ).toEqual({
      phase: 'Error',
      message: 'bad token *****',
      value: '{"echo":"*****"}',
      metadata: { url: 'http://x/?k=*****' },
    });
  });

  test('no secrets: unchanged', () => {
    expect(noRedaction.text('abc')).toBe('abc');
    expect(noRedaction.active).toBe(false);
    expect(redact.active).toBe(true);
  });

  test('special characters in a secret are matched literally', () => {
    expect(createRedactor(['a.b*c$']).text('x a.b*c$ aXbbc')).toBe('x ***** aXbbc');
  });
});
