import { CATCH_UP_MS, CATCH_UP_RECHECK_MS, OwnWrites } from './own-writes';

function setup() {
  const time = { now: 1_000_000 };
  const rechecks: [string, number][] = [];
  const clock = { now: () => time.now, setTimer: () => () => {} };
  const own = new OwnWrites({ clock, recheck: (key, at) => rechecks.push([key, at.getTime()]) });
  return { own, time, rechecks };
}

test('a version the last writes replaced is skipped and looked at again soon; newer ones are decided on', () => {
  const { own, time, rechecks } = setup();
  expect(own.cacheBehind('ns/a', '1')).toBe(false);
  own.wrote('ns/a', ['1', '2']);
  expect(own.cacheBehind('ns/a', '1')).toBe(true);
  expect(own.cacheBehind('ns/a', '2')).toBe(true);
  expect(rechecks).toEqual([
    ['ns/a', time.now + CATCH_UP_RECHECK_MS],
    ['ns/a', time.now + CATCH_UP_RECHECK_MS],
  ]);
  expect(own.cacheBehind('ns/a', '3')).toBe(false);
  expect(own.cacheBehind('ns/b', '1')).toBe(false);
  // a cache that went back to a replaced version is still behind
  expect(own.cacheBehind('ns/a', '2')).toBe(true);
});

test('the wait is bounded: past it the reconcile goes ahead and the record is dropped', () => {
  const { own, time, rechecks } = setup();
  own.wrote('ns/a', ['1']);
  time.now += CATCH_UP_MS - 1;
  expect(own.cacheBehind('ns/a', '1')).toBe(true);
  time.now += 1;
  expect(own.cacheBehind('ns/a', '1')).toBe(false);
  expect(own.cacheBehind('ns/a', '1')).toBe(false);
  expect(rechecks).toHaveLength(1);
});

test('a reconcile that wrote nothing keeps the record; the next write replaces it; forget drops it', () => {
  const { own } = setup();
  own.wrote('ns/a', ['1']);
  own.wrote('ns/a', []);
  expect(own.cacheBehind('ns/a', '1')).toBe(true);
  own.wrote('ns/a', ['4']);
  expect(own.cacheBehind('ns/a', '1')).toBe(false);
  expect(own.cacheBehind('ns/a', '4')).toBe(true);
  own.forget('ns/a');
  expect(own.cacheBehind('ns/a', '4')).toBe(false);
});
