// Unit tests of Public/js/counter-chart.js: increments per bucket, pruning, "… ago".
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET_MS, SPAN_MS, ago, buckets, prune } from '../../Public/js/counter-chart.js';

test('increments land in their 10 s bucket, the newest last', () => {
  const now = 1_000_000;
  const bars = buckets([{ at: now, n: 1 }, { at: now - 5_000, n: 2 }, { at: now - 15_000, n: 4 }, { at: now - SPAN_MS - 1, n: 9 }], now);
  assert.equal(bars.length, SPAN_MS / BUCKET_MS);
  assert.equal(bars[bars.length - 1], 3);
  assert.equal(bars[bars.length - 2], 4);
  assert.equal(bars.reduce((a, b) => a + b, 0), 7, 'older than the span: not shown');
  assert.deepEqual(buckets([{ at: now + 1, n: 1 }, { at: now, n: 0 }], now).every((b) => b === 0), true);
});

test('prune keeps the span only; ago reads like a person', () => {
  const now = 10 * SPAN_MS;
  assert.deepEqual(prune([{ at: now - SPAN_MS, n: 1 }, { at: now - 1, n: 2 }], now), [{ at: now - 1, n: 2 }]);
  assert.equal(ago(500), 'just now');
  assert.equal(ago(12_400), '12 s ago');
  assert.equal(ago(3 * 60_000 + 5), '3 min ago');
  assert.equal(ago(2 * 3_600_000), '2 h ago');
  assert.equal(ago(-5), 'just now');
});
