/** The findings' thresholds, with the defaults the issue agreed on; every one can be changed. */
import { DEFAULT_BEACON_SCORING, type BeaconScoring } from './beacons.js';
import type { FindingKind } from './types.js';

export interface FindingsOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly FindingKind[];
  /** Probes with flags normal stacks never send (FIN, NULL, XMAS, Maimon) needed for a scan. */
  flagScanProbes: number;
  /** SYN, connect, ACK and UDP scans: distinct ports on one host, or hosts on one port, within the window. */
  scanPorts: number;
  scanHosts: number;
  scanWindowSeconds: number;
  /**
   * A small scan's signature, below the port and host thresholds: this many handshakes torn down at once
   * with no data over at least two ports of one host (connect scan), or UDP probes from one source port to
   * this many ports of one host with at least two ICMP port unreachable answers (nmap -sU).
   */
  signatureProbes: number;
  /** Seconds within which a connect probe's teardown follows its handshake. */
  connectTeardownSeconds: number;
  /** Packets with impossible flag combinations from one host before odd-flags is reported. */
  oddFlagsPackets: number;
  /** Half-open connections to one service within synFloodWindowSeconds. */
  synFloodConnections: number;
  synFloodWindowSeconds: number;
  /** Data-carrying connections reset by one host within rstStormWindowSeconds. */
  rstStormConnections: number;
  rstStormWindowSeconds: number;
  /** Beacons at or above this RITA score are shown. */
  beaconMinScore: number;
  /**
   * On captures shorter than a day, also require this timestamp subscore: RITA's histogram and duration
   * subscores assume a day of data (a bin is an hour); on a short capture any pair seen throughout fills
   * them, so regular timing must carry the finding. 0 turns the gate off.
   */
  beaconMinTimingScore: number;
  /**
   * Also score pairs whose two ends are both private (RFC 1918, loopback, link-local, ULA, CGNAT). Off by
   * default: a command-and-control server sits outside, and inside pairs (clients and their resolver,
   * file server...) are the regular chatter that would bury it.
   */
  beaconPrivatePairs: boolean;
  beaconScoring: BeaconScoring;
  /** A single connection at least this long (seconds) is a long connection. */
  longConnectionSeconds: number;
  /** A port carrying at least this many packets and busyPortFactor times the host's median port. */
  busyPortPackets: number;
  busyPortFactor: number;
  /** The host must have used at least this many other ports to compare with. */
  busyPortOtherPorts: number;
  /** UDP requests from one client to one service that got no reply. */
  unansweredUdpRequests: number;
  /** NXDOMAIN answers to one client within nxdomainWindowSeconds. */
  nxdomainResponses: number;
  nxdomainWindowSeconds: number;
  /** Malformed packets of one name before a weird finding is shown. */
  weirdPackets: number;
  /** Evidence frames listed per finding. */
  sampleFrames: number;
}

export const DEFAULT_FINDINGS_OPTIONS: Readonly<FindingsOptions> = {
  flagScanProbes: 5,
  scanPorts: 10,
  scanHosts: 10,
  scanWindowSeconds: 300,
  signatureProbes: 3,
  connectTeardownSeconds: 1,
  oddFlagsPackets: 1,
  synFloodConnections: 100,
  synFloodWindowSeconds: 60,
  rstStormConnections: 50,
  rstStormWindowSeconds: 60,
  beaconMinScore: 0.7,
  beaconMinTimingScore: 0.7,
  beaconPrivatePairs: false,
  beaconScoring: DEFAULT_BEACON_SCORING,
  longConnectionSeconds: 3600,
  busyPortPackets: 500,
  busyPortFactor: 10,
  busyPortOtherPorts: 3,
  unansweredUdpRequests: 3,
  nxdomainResponses: 10,
  nxdomainWindowSeconds: 60,
  weirdPackets: 1,
  sampleFrames: 10,
};

/** Fills in defaults and checks the values; throws RangeError with a one-line reason. */
export function resolveOptions(partial: Partial<FindingsOptions> = {}): FindingsOptions {
  const o: FindingsOptions = { ...DEFAULT_FINDINGS_OPTIONS, ...stripUndefined(partial) };
  o.beaconScoring = { ...DEFAULT_BEACON_SCORING, ...stripUndefined(partial.beaconScoring ?? {}) };
  const s = o.beaconScoring;
  const weights = [s.timestampWeight, s.dataSizeWeight, s.durationWeight, s.histogramWeight];
  if (weights.some((w) => !(w >= 0 && w <= 1)) || Math.abs(weights.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new RangeError('beacon weights must each be between 0 and 1 and sum to 1');
  }
  if (s.uniqueConnectionThreshold < 4) throw new RangeError('the beacon unique-connection threshold must be at least 4');
  if (!(o.beaconMinScore >= 0 && o.beaconMinScore <= 1)) throw new RangeError('the beacon score threshold must be between 0 and 1');
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`${k} must be a non-negative number`);
  }
  return o;
}

function stripUndefined<T extends object>(x: T): Partial<T> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
}
