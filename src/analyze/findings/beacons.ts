/**
 * Beacon scoring exactly as RITA v5 does it (analysis/beacons.go), from connection start times in whole
 * seconds and originator IP bytes per source -> destination pair. See docs BEACONS.md: quartiles and MAD as
 * montanaflynn/stats computes them, Bowley skew, the 24-bin histogram, duration coverage and consistency.
 */

/** RITA v5's defaults (default_config.hjson). */
export interface BeaconScoring {
  /** Pairs need at least this many unique timestamps (RITA's minimum is 4). */
  uniqueConnectionThreshold: number;
  timestampWeight: number;
  dataSizeWeight: number;
  durationWeight: number;
  histogramWeight: number;
  durationMinHoursSeen: number;
  durationConsistencyIdealHoursSeen: number;
  histogramModeSensitivity: number;
  histogramBimodalOutlierRemoval: number;
  histogramBimodalMinHoursSeen: number;
}

export const DEFAULT_BEACON_SCORING: Readonly<BeaconScoring> = {
  uniqueConnectionThreshold: 4,
  timestampWeight: 0.25,
  dataSizeWeight: 0.25,
  durationWeight: 0.25,
  histogramWeight: 0.25,
  durationMinHoursSeen: 6,
  durationConsistencyIdealHoursSeen: 12,
  histogramModeSensitivity: 0.05,
  histogramBimodalOutlierRemoval: 1,
  histogramBimodalMinHoursSeen: 11,
};

/** At this many connections a pair is a strobe, not a beacon (a RITA code constant). */
export const STROBE_CONNECTIONS = 86400;
export const HISTOGRAM_BINS = 24;

/** round(v·1000)/1000, as RITA rounds scores. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** ceil(v·1000)/1000, as RITA rounds duration scores. */
export function ceil3(v: number): number {
  return Math.ceil(v * 1000) / 1000;
}

/** Median of sorted values: the middle one, or the mean of the two middle ones (NaN when empty). */
export function medianSorted(x: ArrayLike<number>): number {
  return medianOf(x, 0, x.length);
}

/** Median of sorted values x[from..to). */
function medianOf(x: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return NaN;
  const h = from + (n >> 1);
  return n % 2 === 1 ? x[h]! : (x[h - 1]! + x[h]!) / 2;
}

/** Quartiles as montanaflynn/stats: for odd n the middle value is left out of both halves. */
export function quartiles(sorted: ArrayLike<number>): [number, number, number] {
  return quartilesOf(sorted, sorted.length);
}

function quartilesOf(sorted: ArrayLike<number>, n: number): [number, number, number] {
  const c1 = n % 2 === 0 ? n / 2 : (n - 1) / 2;
  const c2 = n % 2 === 0 ? n / 2 : c1 + 1;
  return [medianOf(sorted, 0, c1), medianOf(sorted, 0, n), medianOf(sorted, c2, n)];
}

/** Median absolute deviation (population): median of |x − median|. */
export function mad(sorted: ArrayLike<number>): number {
  return madOf(sorted, sorted.length);
}

function madOf(sorted: ArrayLike<number>, n: number): number {
  const m = medianOf(sorted, 0, n);
  const deviations = scratch(1, n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(sorted[i]! - m);
  sortFirst(deviations, n);
  return medianOf(deviations, 0, n);
}

/**
 * Scratch arrays the statistics sort copies into: thousands of pairs are scored, each with a few dozen
 * values, and a new typed array (or a comparator-driven sort) per statistic cost more than the arithmetic.
 */
const scratches: Float64Array[] = [new Float64Array(64), new Float64Array(64), new Float64Array(64), new Float64Array(64)];

function scratch(which: number, n: number): Float64Array {
  if (scratches[which]!.length < n) scratches[which] = new Float64Array(Math.max(n, scratches[which]!.length * 2));
  return scratches[which]!;
}

/** Copies `values` into scratch `which` and sorts them ascending (numbers, no NaN). */
function sortedCopy(which: number, values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = scratch(which, n);
  for (let i = 0; i < n; i++) out[i] = values[i]!;
  sortFirst(out, n);
  return out;
}

/** Sorts a[0..n) ascending: insertion sort for the short series scored here, the native sort beyond. */
function sortFirst(a: Float64Array, n: number): void {
  if (n > 48) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** Bowley skew, forced to 0 unless the IQR is at least 10 and the median differs from both quartiles. */
export function bowleySkew(q1: number, q2: number, q3: number): number {
  const den = q3 - q1;
  if (den >= 10 && q2 !== q1 && q2 !== q3) return (q1 + q3 - 2 * q2) / den;
  return 0;
}

export interface StatScore {
  score: number;
  median: number;
  mad: number;
  skew: number;
}

/** RITA's skew + MAD score of a series: round3((1 − |skew| + (median − MAD)/median) / 2). */
export function statScore(values: ArrayLike<number>, defaultMadScore: number): StatScore {
  const n = values.length;
  const sorted = sortedCopy(0, values);
  const [q1, q2, q3] = quartilesOf(sorted, n);
  const skew = bowleySkew(q1, q2, q3);
  const m = madOf(sorted, n);
  let madScore = q2 >= 1 ? (q2 - m) / q2 : defaultMadScore;
  if (!(madScore >= 0)) madScore = 0;
  return { score: round3((1 - Math.abs(skew) + madScore) / 2), median: q2, mad: m, skew };
}

/** Counts timestamps into 24 equal bins from the dataset's first to last time (the last edge inclusive). */
export function histogram(ts: ArrayLike<number>, min: number, max: number): number[] {
  return histogramOf(ts, ts.length, min, max);
}

function histogramOf(ts: ArrayLike<number>, count: number, min: number, max: number): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const size = (max - min) / HISTOGRAM_BINS;
  const edges: number[] = [];
  for (let i = 0; i < HISTOGRAM_BINS; i++) edges.push(min + i * size);
  for (let k = 0; k < count; k++) {
    const t = ts[k]!;
    if (t < min || t > max) continue;
    // The bin whose left edge is the last one not after t (computed from the same edges RITA builds).
    let i = Math.min(HISTOGRAM_BINS - 1, Math.floor((t - min) / size));
    while (i > 0 && t < edges[i]!) i--;
    while (i < HISTOGRAM_BINS - 1 && t >= edges[i + 1]!) i++;
    bins[i]!++;
  }
  return bins;
}

export interface HistogramScore {
  score: number;
  cvScore: number;
  bimodalScore: number;
  bars: number;
}

/** The histogram subscore: the better of the coefficient-of-variation score and the bimodal fit. */
export function histogramScore(bins: readonly number[], s: BeaconScoring): HistogramScore {
  const n = bins.length;
  const mean = bins.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(bins.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n);
  const cv = mean === 0 ? Infinity : sd / mean;
  const cvScore = cv > 1 ? 0 : round3(1 - cv);
  let bars = 0;
  let max = 0;
  for (const b of bins) {
    if (b > 0) bars++;
    if (b > max) max = b;
  }
  let bimodalScore = 0;
  if (bars >= s.histogramBimodalMinHoursSeen) {
    const width = Math.ceil(max * s.histogramModeSensitivity);
    const buckets = new Map<number, number>();
    for (const b of bins) {
      if (b === 0) continue;
      const bucket = Math.floor(b / width) * width;
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    const sizes = [...buckets.values()].sort((a, b) => b - a);
    const top = (sizes[0] ?? 0) + (sizes[1] ?? 0);
    bimodalScore = Math.min(1, round3(top / Math.max(bars - s.histogramBimodalOutlierRemoval, 1)));
  }
  return { score: Math.max(cvScore, bimodalScore), cvScore, bimodalScore, bars };
}

/** Longest run of consecutive non-empty bins, wrapping from the last bin to the first, at most 24. */
export function longestRun(bins: readonly number[]): number {
  const n = bins.length;
  let best = 0;
  let run = 0;
  for (let i = 0; i < 2 * n; i++) {
    if (bins[i % n]! > 0) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return Math.min(best, n);
}

/** The duration subscore: how much of the dataset the pair spans, or how many bins in a row it fills. */
export function durationScore(first: number, last: number, min: number, max: number, bins: readonly number[], s: BeaconScoring): number {
  const bars = bins.filter((b) => b > 0).length;
  if (bars < s.durationMinHoursSeen) return 0;
  const coverage = Math.min(1, ceil3((last - first) / (max - min)));
  const consistency = Math.min(1, ceil3(longestRun(bins) / s.durationConsistencyIdealHoursSeen));
  return Math.max(coverage, consistency);
}

/** The weighted final score. */
export function beaconScore(ts: number, ds: number, dur: number, hist: number, s: BeaconScoring): number {
  return round3(s.timestampWeight * ts + s.dataSizeWeight * ds + s.durationWeight * dur + s.histogramWeight * hist);
}

/** RITA's threat level name for a beacon score (thresholds 50/70/90/100 mapped onto 0.2..0.8). */
export function beaconLevel(score: number): string {
  const v = score * 100;
  let threat: number;
  if (v < 50) threat = 0;
  else if (v < 70) threat = 0.2 + ((v - 50) / 20) * 0.2;
  else if (v < 90) threat = 0.4 + ((v - 70) / 20) * 0.2;
  else threat = 0.6 + (Math.min(v, 100) - 90) / 10 * 0.2;
  if (threat > 0.8) return 'Critical';
  if (threat >= 0.6) return 'High';
  if (threat >= 0.4) return 'Medium';
  if (threat >= 0.2) return 'Low';
  return 'None';
}

/** Everything RITA computes for a pair, or why it was not scored. */
export interface BeaconResult {
  scored: boolean;
  /** Why not scored: fewer unique timestamps than the threshold, too few intervals, or a strobe. */
  reason: string;
  connections: number;
  uniqueTimestamps: number;
  score: number;
  timestamp: number;
  dataSize: number;
  histogram: number;
  duration: number;
  intervalMedian: number;
  intervalMad: number;
  intervalSkew: number;
  intervalMode: number;
  intervalModeCount: number;
  bytesMedian: number;
  bytesMad: number;
  bytesMode: number;
  bytesModeCount: number;
  bins: number[];
  bars: number;
  longestRun: number;
}

/** The most frequent value (the smallest among equals) and its count: the longest run of a sorted copy. */
function mode(values: readonly number[]): [number, number] {
  const n = values.length;
  const sorted = sortedCopy(2, values);
  let best = NaN;
  let bestCount = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i]!;
      bestCount = j - i;
    }
    i = j;
  }
  return [best, bestCount];
}

/**
 * Scores one pair. `startSeconds` are connection start times in whole seconds (any order, duplicates kept),
 * `bytes` each connection's originator IP bytes; `datasetMin`/`datasetMax` the first and last connection
 * time of the whole capture.
 */
export function scoreBeacon(
  startSeconds: readonly number[],
  bytes: readonly number[],
  datasetMin: number,
  datasetMax: number,
  s: BeaconScoring = DEFAULT_BEACON_SCORING,
): BeaconResult {
  const count = startSeconds.length;
  const ts = sortedCopy(3, startSeconds);
  let unique = count > 0 ? 1 : 0;
  for (let i = 1; i < count; i++) if (ts[i] !== ts[i - 1]) unique++;
  const r: BeaconResult = {
    scored: false,
    reason: '',
    connections: count,
    uniqueTimestamps: unique,
    score: 0,
    timestamp: 0,
    dataSize: 0,
    histogram: 0,
    duration: 0,
    intervalMedian: 0,
    intervalMad: 0,
    intervalSkew: 0,
    intervalMode: 0,
    intervalModeCount: 0,
    bytesMedian: 0,
    bytesMad: 0,
    bytesMode: 0,
    bytesModeCount: 0,
    bins: [],
    bars: 0,
    longestRun: 0,
  };
  if (count >= STROBE_CONNECTIONS) {
    r.reason = `strobe: ${count} connections (>= ${STROBE_CONNECTIONS})`;
    return r;
  }
  if (unique < s.uniqueConnectionThreshold) {
    r.reason = `${unique} unique timestamps (< ${s.uniqueConnectionThreshold})`;
    return r;
  }
  if (datasetMax <= datasetMin) {
    r.reason = 'the capture spans less than a second';
    return r;
  }
  const intervals: number[] = [];
  for (let i = 1; i < count; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) intervals.push(d);
  }
  if (intervals.length < 3) {
    r.reason = `${intervals.length} non-zero intervals (< 3)`;
    return r;
  }
  const tsStat = statScore(intervals, 1);
  const dsStat = statScore(bytes, 0);
  const bins = histogramOf(ts, count, datasetMin, datasetMax);
  const hist = histogramScore(bins, s);
  const dur = durationScore(ts[0]!, ts[count - 1]!, datasetMin, datasetMax, bins, s);
  [r.intervalMode, r.intervalModeCount] = mode(intervals);
  [r.bytesMode, r.bytesModeCount] = mode(bytes);
  Object.assign(r, {
    scored: true,
    timestamp: tsStat.score,
    dataSize: dsStat.score,
    histogram: hist.score,
    duration: dur,
    intervalMedian: tsStat.median,
    intervalMad: tsStat.mad,
    intervalSkew: round3(tsStat.skew),
    bytesMedian: dsStat.median,
    bytesMad: dsStat.mad,
    bins,
    bars: hist.bars,
    longestRun: longestRun(bins),
  });
  r.score = beaconScore(r.timestamp, r.dataSize, r.duration, r.histogram, s);
  return r;
}
