/**
 * The data an HTML report shows, already aggregated: everything here is bounded in size (top N lists,
 * bucketed timeline) so a capture of any length gives a report of a few hundred kilobytes. The model is
 * plain JSON: the renderer embeds it as is and the page draws from it, so the model is also the report's
 * machine-readable form (`pcapsift report --json`).
 *
 * Every string that came from the capture (names, HTTP lines, anything a finding quotes) is untrusted: the
 * renderer escapes the JSON for the <script> element and the page writes strings with textContent only.
 */

/** Which version of this shape a report carries, so a reader of `--json` can tell. */
export const REPORT_MODEL_VERSION = 1;

/** The report's default limits: enough for an analyst to read, small enough for a 1 M-packet capture. */
export const DEFAULT_TOP_CONVERSATIONS = 500;
export const DEFAULT_TOP_CLIENTS = 12;
export const DEFAULT_TOP_PER_CLIENT = 15;
export const DEFAULT_TOP_SERVERS = 15;
export const DEFAULT_TOP_NAMES = 50;
/** The most findings a report shows (most severe first). */
export const MAX_REPORT_FINDINGS = 200;
/** The timeline never has more buckets than this (a bucket grows to 2, 5, 10 s... for long captures). */
export const MAX_TIMELINE_BUCKETS = 1500;

/** What a capture is. */
export interface CaptureFacts {
  /** The file name as given (a path the user typed; '-' for standard input). */
  file: string;
  /** 'pcap' or 'pcapng' (gzip noted separately). */
  format: string;
  /** Link types by name, in the order they appear. */
  linkTypes: string[];
  packets: number;
  /** Bytes on the wire (sum of original lengths). */
  bytes: number;
  /** Seconds since the epoch (fractional); null for an empty capture. */
  first: number | null;
  last: number | null;
  /** last - first, in seconds. */
  duration: number;
  /** Packets per protocol, largest first (tcp, udp, icmp, arp, ...). */
  protocols: { name: string; packets: number }[];
  /** Distinct IP hosts seen. */
  hosts: number;
  /** The capture file's fault, when it is damaged part-way (the report covers what came before); else null. */
  fault: string | null;
}

/**
 * Packets over time: `packets[i]` counts the packets in [start + i*bucket, start + (i+1)*bucket);
 * the flag series count TCP segments with exactly those flags of interest (SYN without ACK, SYN with ACK,
 * any RST, any FIN).
 */
export interface Timeline {
  /** Seconds since the epoch of the first bucket (a whole multiple of `bucket`). */
  start: number;
  /** Bucket width in seconds (1 for short captures). */
  bucket: number;
  packets: number[];
  syn: number[];
  synAck: number[];
  rst: number[];
  fin: number[];
}

/** TCP connection attempts by outcome. */
export interface HandshakeOutcomes {
  attempts: number;
  established: number;
  /** SYN/ACK seen but never the client's final ACK. */
  synAckOnly: number;
  /** Answered by RST. */
  rejected: number;
  unanswered: number;
  /** SYN/ACK segments: what `tcp[tcpflags] == (tcp-syn|tcp-ack)` counts. */
  synAcks: number;
  /** The servers with the most attempts. */
  servers: {
    server: string;
    port: number;
    established: number;
    synAckOnly: number;
    rejected: number;
    unanswered: number;
  }[];
}

/** A count by protocol and port. */
export interface PortCount {
  proto: string;
  port: number;
  packets: number;
}

/** A remote endpoint a client sent packets to. */
export interface ServiceCount {
  proto: string;
  ip: string;
  port: number;
  packets: number;
}

/** One client's baseline: the source ports it used, what it talked to, the destination ports in total. */
export interface ClientSummary {
  ip: string;
  /** Packets the client sent (TCP and UDP). */
  packets: number;
  /** Source ports it sent from, most packets first (top N). */
  ports: PortCount[];
  /** Distinct source ports in all (the list may be cut). */
  portsDistinct: number;
  services: ServiceCount[];
  servicesDistinct: number;
  /** Packets per destination port. */
  portTotals: PortCount[];
}

/** One bidirectional flow. */
export interface ConversationRow {
  proto: string;
  origIp: string;
  origPort: number | null;
  respIp: string;
  respPort: number | null;
  /** Seconds since the epoch. */
  start: number;
  duration: number;
  packetsOrig: number;
  packetsResp: number;
  bytesOrig: number;
  bytesResp: number;
  /** Zeek's conn_state (S0, SF, REJ...) or '' where none applies. */
  state: string;
  history: string;
  /** For UDP/ICMP: 'yes', 'no' or 'rejected'; '' for TCP. */
  answered: string;
}

/** A named traffic shape, with what to look at and how to see it in tcpdump. */
export interface ReportFinding {
  kind: string;
  severity: 'low' | 'medium' | 'high';
  source: string;
  targets: string[];
  ports: number[];
  /** Seconds since the epoch. */
  start: number;
  end: number;
  packets: number;
  /** Sample frame numbers. */
  frames: number[];
  explanation: string;
  /** Evidence lines, as plain text. */
  evidence: string[];
  /** A tcpdump expression that selects the evidence. */
  filter: string;
}

/** Names the capture carried: DNS questions and HTTP request lines (untrusted text). */
export interface NameCount {
  name: string;
  count: number;
  /** For DNS: the response code seen ('NOERROR', 'NXDomain', ...; '' when unanswered). */
  note: string;
}

export interface ReportModel {
  version: number;
  /** The tool and version that wrote the report. */
  generator: string;
  /** When the report was made (ISO 8601). */
  generatedAt: string;
  capture: CaptureFacts;
  timeline: Timeline;
  handshakes: HandshakeOutcomes;
  clients: ClientSummary[];
  /** Clients in all (the list may be cut). */
  clientsTotal: number;
  conversations: ConversationRow[];
  /** Conversations in all (the table shows the top N by packets). */
  conversationsTotal: number;
  /** What each conn_state in the table means (Zeek's words), for the page's tooltips. */
  stateMeanings: Record<string, string>;
  findings: ReportFinding[];
  dnsNames: NameCount[];
  httpRequests: NameCount[];
  /** Notes on what the report left out or could not do (evicted flows, unreadable tail...). */
  notes: string[];
}

/** Returns an empty model: the shape a report of an empty capture has. */
export function emptyReportModel(file: string): ReportModel {
  return {
    version: REPORT_MODEL_VERSION,
    generator: 'pcapsift',
    generatedAt: new Date(0).toISOString(),
    capture: {
      file,
      format: '',
      linkTypes: [],
      packets: 0,
      bytes: 0,
      first: null,
      last: null,
      duration: 0,
      protocols: [],
      hosts: 0,
      fault: null,
    },
    timeline: { start: 0, bucket: 1, packets: [], syn: [], synAck: [], rst: [], fin: [] },
    handshakes: { attempts: 0, established: 0, synAckOnly: 0, rejected: 0, unanswered: 0, synAcks: 0, servers: [] },
    clients: [],
    clientsTotal: 0,
    conversations: [],
    conversationsTotal: 0,
    stateMeanings: {},
    findings: [],
    dnsNames: [],
    httpRequests: [],
    notes: [],
  };
}
