/**
 * The registry of analysis commands. Each command lives in its own file under this folder and is listed
 * here once, with its name and one-line summary; the module itself (and everything it imports: decoders,
 * the filter compiler, the flow table, the report page) loads only when the command runs, so that
 * `pcapsift --version`, `pcapsift help` and the tcpdump mode do not pay for the other commands' start-up.
 */

export interface Command {
  /** The word that selects it: `pcapsift NAME ...`. */
  readonly name: string;
  /** One line for `pcapsift help`. */
  readonly summary: string;
  /** The full --help text, with examples. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit status. */
  run(argv: string[]): Promise<number>;
}

/** A registry entry: what `pcapsift help` lists, and how to load the command when it is used. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Imports the command's module (once; later calls reuse it). */
  load(): Promise<Command>;
  /**
   * Whether these arguments will track flows on several threads (AnalysisOptions.threads): the workers are
   * then started first thing, to boot while the command's modules load.
   */
  sharesFlows?(argv: readonly string[]): boolean;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'findings',
    summary: 'scans, floods, beacons, C2 channels and malformed packets, explained with evidence',
    load: async () => (await import('./findings.js')).findingsCommand,
    sharesFlows: () => true,
  },
  {
    name: 'handshakes',
    summary: 'TCP connection attempts and outcomes, SYN/ACK count, per server',
    load: async () => (await import('./handshakes.js')).handshakesCommand,
  },
  {
    name: 'ports',
    summary: 'source ports a host sent from, packets per port',
    load: async () => (await import('./ports.js')).portsCommand,
  },
  {
    name: 'services',
    summary: 'remote endpoints a host (or each client) sent to, packets per endpoint',
    load: async () => (await import('./services.js')).servicesCommand,
    // Every client's services come from flows alone; one host's are counted per packet.
    sharesFlows: (argv) => !argv.includes('--host') && !argv.some((a) => a.startsWith('--host=')),
  },
  {
    name: 'dports',
    summary: 'packets per destination port',
    load: async () => (await import('./dports.js')).dportsCommand,
  },
  {
    name: 'conversations',
    summary: 'one row per flow: endpoints, packets, bytes, Zeek conn_state and history',
    load: async () => (await import('./conversations.js')).conversationsCommand,
    sharesFlows: () => true,
  },
  {
    name: 'tally',
    summary: 'packets per combination of fields (cut | sort | uniq -c)',
    load: async () => (await import('./tally.js')).tallyCommand,
  },
  {
    name: 'summary',
    summary: 'the baseline on one screen: capture, protocols, talkers, handshakes, clients, UDP services, findings',
    load: async () => (await import('./summary.js')).summaryCommand,
  },
  {
    name: 'report',
    summary: 'write a self-contained HTML report: baseline, timeline, findings',
    load: async () => (await import('./report.js')).reportCommand,
  },
];

/** Finds a command's registry entry by name. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
