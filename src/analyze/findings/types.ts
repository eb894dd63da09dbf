/**
 * What a finding is: a named shape of suspicious traffic with the evidence an analyst needs to check it
 * (who, against whom, when, sample frames, and a tcpdump expression that selects the evidence).
 */

/** Every kind of finding pcapsift reports. */
export type FindingKind =
  | 'syn-scan'
  | 'connect-scan'
  | 'fin-scan'
  | 'null-scan'
  | 'xmas-scan'
  | 'ack-scan'
  | 'maimon-scan'
  | 'udp-scan'
  | 'odd-flags'
  | 'syn-flood'
  | 'rst-storm'
  | 'beacon'
  | 'long-connection'
  | 'busy-port'
  | 'unanswered-udp'
  | 'dns-nxdomain'
  | 'weird';

export const FINDING_KINDS: readonly FindingKind[] = [
  'syn-scan',
  'connect-scan',
  'fin-scan',
  'null-scan',
  'xmas-scan',
  'ack-scan',
  'maimon-scan',
  'udp-scan',
  'odd-flags',
  'syn-flood',
  'rst-storm',
  'beacon',
  'long-connection',
  'busy-port',
  'unanswered-udp',
  'dns-nxdomain',
  'weird',
];

export type Severity = 'low' | 'medium' | 'high';

/** Ranks severities for sorting (high first). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** One finding. Times are seconds since the epoch (fractional); frames are 1-based file positions. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The host that did it (the scanner, the beaconing client...). */
  source: string;
  /** The hosts it was done to, sorted. */
  targets: string[];
  /** The destination ports involved, sorted. */
  ports: number[];
  start: number;
  end: number;
  /** Packets that make up the evidence. */
  packets: number;
  /** A few evidence frame numbers (the first ones, in file order). */
  frames: number[];
  /** What was seen and why it matters, in plain words. */
  explanation: string;
  /** A tcpdump expression selecting the evidence: `tcpdump -nn -r FILE 'FILTER'`. */
  filter: string;
  /** Numbers specific to the kind (scan shape, beacon scores, weird names...). */
  details: FindingDetails;
}

/** The per-kind numbers of a finding. */
export type FindingDetails = ScanDetails | BeaconDetails | CountDetails;

export interface ScanDetails {
  type: 'scan';
  /** vertical: many ports on one host; horizontal: one port on many hosts; both: many of each. */
  shape: 'vertical' | 'horizontal' | 'both';
  /** Probes (connection attempts) seen, retries included. */
  probes: number;
  /** Endpoints (`host:port`) that answered as open (or unfiltered, for an ACK scan). */
  open: string[];
  /** How many endpoints answered as closed (RST, ICMP port unreachable). */
  closed: number;
  /** How many endpoints stayed silent or answered with an ICMP error (filtered / open|filtered). */
  silent: number;
  /** What the probe looked like, e.g. `SYN, win 1024, options [mss]`. */
  probe: string;
}

export interface BeaconDetails {
  type: 'beacon';
  score: number;
  /** RITA's threat level name for the score: None, Low, Medium, High. */
  level: string;
  subscores: { timestamp: number; dataSize: number; histogram: number; duration: number };
  connections: number;
  uniqueTimestamps: number;
  datasetStart: number;
  datasetEnd: number;
  intervalMedian: number;
  intervalMad: number;
  intervalSkew: number;
  intervalMode: number;
  intervalModeCount: number;
  bytesMedian: number;
  bytesMad: number;
  bytesMode: number;
  bytesModeCount: number;
  histogram: number[];
  histogramBars: number;
  longestRun: number;
}

/** Counters for the kinds that are a tally of named things (weird names, flag combinations, rcodes). */
export interface CountDetails {
  type: 'counts';
  counts: Record<string, number>;
}
