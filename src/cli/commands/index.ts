/**
 * The registry of analysis commands. Each command lives in its own file under this folder and is listed
 * here once.
 */
import { reportCommand } from './report.js';
import { findingsCommand } from './findings.js';
import { handshakesCommand } from './handshakes.js';
import { portsCommand } from './ports.js';
import { servicesCommand } from './services.js';
import { dportsCommand } from './dports.js';
import { conversationsCommand } from './conversations.js';
import { tallyCommand } from './tally.js';
import { summaryCommand } from './summary.js';

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

export const COMMANDS: Command[] = [findingsCommand, handshakesCommand, portsCommand, servicesCommand, dportsCommand, conversationsCommand, tallyCommand, summaryCommand, reportCommand];

/** Finds a command by name. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
