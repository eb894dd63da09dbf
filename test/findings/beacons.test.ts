import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  beaconLevel,
  beaconScore,
  bowleySkew,
  DEFAULT_BEACON_SCORING,
  durationScore,
  histogram,
  histogramScore,
  longestRun,
  mad,
  quartiles,
  scoreBeacon,
  statScore,
} from '../../src/analyze/findings/beacons.js';

test('timestamp score: the test vectors of RITA v5 beacons_test.go', () => {
  assert.equal(statScore([98, 99, 99, 100, 100, 100, 101, 101, 102], 1).score, 0.995);
  assert.equal(statScore([98, 98, 98, 98, 98, 300, 300, 300, 300, 300], 1).score, 0.746);
  const skewed = statScore([1, 299, 25, 4975, 90, 2, 42, 500, 1500], 1);
  assert.equal(skewed.score, 0.083);
  assert.equal(skewed.median, 90);
  assert.equal(skewed.mad, 89);
  assert.ok(Math.abs(skewed.skew - 0.845) < 0.001);
});

test('final score: subscores 0.8/0.7/0.6/0.5 with weights 0.2/0.2/0.3/0.3 give 0.63', () => {
  const s = { ...DEFAULT_BEACON_SCORING, timestampWeight: 0.2, dataSizeWeight: 0.2, durationWeight: 0.3, histogramWeight: 0.3 };
  assert.equal(beaconScore(0.8, 0.7, 0.6, 0.5, s), 0.63);
});

test('quartiles leave the middle value out for odd n, as montanaflynn/stats', () => {
  assert.deepEqual(quartiles([1, 2, 3, 4, 5]), [1.5, 3, 4.5]);
  assert.deepEqual(quartiles([1, 2, 3, 4]), [1.5, 2.5, 3.5]);
  assert.deepEqual(quartiles([98, 98, 98, 98, 98, 300, 300, 300, 300, 300]), [98, 199, 300]);
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
  // The skew needs an IQR of at least 10 and a median off both quartiles.
  assert.equal(bowleySkew(99, 100, 101), 0);
  assert.equal(bowleySkew(10, 10, 40), 0);
  assert.equal(bowleySkew(10, 15, 40), 0.6666666666666666);
});

test('a median below 1 uses the default MAD score; a negative one becomes 0', () => {
  assert.equal(statScore([0, 0, 0, 1], 0).score, 0.5); // skew 0 -> 1, mad default 0 -> 0.5
  assert.equal(statScore([0, 0, 0, 1], 1).score, 1);
  // Q1 1 (of 1,1,50), Q2 50, Q3 1000: skew 901/999 = 0.902; MAD 49, madScore 0.02: (0.098 + 0.02) / 2.
  assert.equal(statScore([1, 1, 50, 50, 50, 1000, 1000], 0).score, 0.059);
});

test('histogram: 24 bins, the last edge inclusive; CV and bimodal scores', () => {
  const hourly = Array.from({ length: 25 }, (_, i) => i * 3600);
  const bins = histogram(hourly, 0, 86400);
  assert.equal(bins.length, 24);
  assert.equal(bins[0], 1);
  assert.equal(bins[23], 2); // 82800 and the dataset's last second
  const h = histogramScore(bins, DEFAULT_BEACON_SCORING);
  assert.equal(h.cvScore, 0.808);
  assert.equal(h.bimodalScore, 1);
  assert.equal(h.score, 1);
  assert.equal(h.bars, 24);
  // Two hours busy out of 24: CV > 1, too few bars for the bimodal fit.
  const sparse = histogramScore(histogram([0, 10, 20, 3600, 3610], 0, 86400), DEFAULT_BEACON_SCORING);
  assert.equal(sparse.cvScore, 0);
  assert.equal(sparse.score, 0);
});

test('duration: coverage of the dataset or the longest run of busy bins (wrapping)', () => {
  const bins = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  assert.equal(longestRun(bins), 7);
  assert.equal(durationScore(0, 100, 0, 86400, bins, DEFAULT_BEACON_SCORING), 0.584); // ceil3(7/12)
  assert.equal(durationScore(0, 43200, 0, 86400, bins, DEFAULT_BEACON_SCORING), 0.584);
  assert.equal(durationScore(0, 86400, 0, 86400, bins, DEFAULT_BEACON_SCORING), 1);
  // Fewer than 6 busy bins: 0.
  assert.equal(durationScore(0, 86400, 0, 86400, [1, 1, 1, 1, 1, ...new Array(19).fill(0)], DEFAULT_BEACON_SCORING), 0);
  assert.equal(longestRun(new Array(24).fill(3)), 24);
});

test('a small series computed by hand: every 10 s, 100 bytes, over a 40 s dataset', () => {
  const r = scoreBeacon([0, 10, 20, 30, 40], [100, 100, 100, 100, 100], 0, 40);
  assert.equal(r.scored, true);
  assert.equal(r.timestamp, 1); // intervals all 10: no skew, MAD 0
  assert.equal(r.dataSize, 1);
  assert.equal(r.histogram, 0); // 5 single-count bins of 24: CV 1.95 > 1; 5 bars < 11
  assert.equal(r.duration, 0); // 5 bars < 6
  assert.equal(r.score, 0.5);
  assert.equal(r.intervalMedian, 10);
  assert.equal(r.intervalMode, 10);
  assert.equal(r.intervalModeCount, 4);
  assert.equal(beaconLevel(r.score), 'Low');
});

test('a perfect hourly beacon over a day scores 1', () => {
  const ts = Array.from({ length: 25 }, (_, i) => 1_700_000_000 + i * 3600);
  const r = scoreBeacon(ts, ts.map(() => 300), ts[0]!, ts[24]!);
  assert.equal(r.score, 1);
  assert.equal(beaconLevel(r.score), 'High');
});

test('pairs RITA does not score say why', () => {
  assert.match(scoreBeacon([0, 0, 10, 20], [1, 1, 1, 1], 0, 100).reason, /3 unique timestamps/);
  const strobe = new Array(86400).fill(0).map((_, i) => i);
  const r = scoreBeacon(strobe, strobe.map(() => 60), 0, 86400);
  assert.equal(r.scored, false);
  assert.match(r.reason, /strobe/);
});

test('threat levels follow the 50/70/90/100 thresholds', () => {
  assert.equal(beaconLevel(0.49), 'None');
  assert.equal(beaconLevel(0.5), 'Low');
  assert.equal(beaconLevel(0.7), 'Medium');
  assert.equal(beaconLevel(0.9), 'High');
  assert.equal(beaconLevel(1), 'High');
});
