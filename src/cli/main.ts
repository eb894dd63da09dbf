#!/usr/bin/env node
/**
 * pcapsift's command line: `pcapsift COMMAND ...` for the analyses, and tcpdump's own flags
 * (`pcapsift -nn -r FILE [EXPRESSION]`) for the reader.
 */
import { COMMANDS, findCommand } from './commands/index.js';
import { errorLine, OutputClosed, stdout } from './output.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './usage.js';
import { FilterError } from '../filter/errors.js';

function mainHelp(): string {
  const lines = [
    'pcapsift: answers the questions analysts ask of packet captures.',
    '',
    'usage: pcapsift [tcpdump flags] -r FILE [EXPRESSION]   print packets exactly as tcpdump does',
    '       pcapsift COMMAND FILE [options] [EXPRESSION]   answer a question',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    "Run 'pcapsift COMMAND --help' for a command's options and examples, 'pcapsift --help' for the reader's.",
  ];
  return lines.join('\n');
}

/** The tcpdump mode's help, loaded with its module (only when asked for). */
async function readHelp(): Promise<string> {
  return (await import('./commands/read.js')).READ_HELP;
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    errorLine(mainHelp());
    return EXIT_USAGE;
  }
  if (first === 'help') {
    const cmd = argv[1] === undefined ? undefined : findCommand(argv[1]);
    stdout.write((cmd ? (await cmd.load()).help : argv[1] === 'read' ? await readHelp() : mainHelp()) + '\n');
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    stdout.write('pcapsift 0.1.0\n');
    return EXIT_OK;
  }
  const entry = findCommand(first);
  if (entry !== undefined) {
    if (entry.sharesFlows?.(argv) === true && !argv.includes('--help') && !argv.includes('-h')) await prestartFlowShares(argv);
    const cmd = await entry.load();
    if (argv.includes('--help') || argv.includes('-h')) {
      stdout.write(cmd.help + '\n');
      return EXIT_OK;
    }
    return cmd.run(argv.slice(1));
  }
  if (first === '--help' || first === '-h' || (first === 'read' && (argv.includes('--help') || argv.includes('-h')))) {
    stdout.write((await readHelp()) + '\n\n' + mainHelp() + '\n');
    return EXIT_OK;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write((await readHelp()) + '\n');
    return EXIT_OK;
  }
  // Counting reads on every core: start the workers now, so that they boot while the reader's modules load.
  if (argv.includes('--count')) (await import('../parallel/prestart.js')).prestartWorkers([new URL('../analyze/count.js', import.meta.url).href]);
  const { runRead } = await import('./commands/read.js');
  return runRead(first === 'read' ? argv.slice(1) : argv);
}

/**
 * Starts the flow-share workers of a command that will track flows on several threads (a capture file
 * large enough, more than one thread), before its modules load.
 */
async function prestartFlowShares(argv: readonly string[]): Promise<void> {
  const shares = await import('../analyze/flow-shares.js');
  const t = argv.indexOf('--threads');
  const eq = argv.find((a) => a.startsWith('--threads='));
  const threads = Number(eq !== undefined ? eq.slice('--threads='.length) : t >= 0 ? argv[t + 1] : (await import('../parallel/prestart.js')).defaultThreads());
  if (!(threads > 1) || !argv.some((a) => shares.isLargeCapture(a))) return;
  shares.prestartShareWorkers(threads - 1);
}

process.stdout.on('error', () => {
  // EPIPE on an async write: the reader of our output has gone; stop quietly.
  process.exit(EXIT_OK);
});

main(process.argv.slice(2)).then(
  (code) => {
    try {
      stdout.flush();
    } catch (err) {
      if (err instanceof OutputClosed) process.exit(EXIT_OK);
    }
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof OutputClosed) process.exit(EXIT_OK);
    try {
      stdout.flush();
    } catch {
      process.exit(EXIT_OK);
    }
    if (err instanceof UsageError) {
      errorLine(`pcapsift: ${err.message}`);
      errorLine("Run 'pcapsift --help' (or 'pcapsift COMMAND --help') for usage.");
      process.exitCode = EXIT_USAGE;
    } else if (err instanceof CommandError || err instanceof FilterError) {
      errorLine(`pcapsift: ${err.message}`);
      process.exitCode = EXIT_FAILURE;
    } else {
      const e = err as Error;
      errorLine(`pcapsift: internal error: ${e?.message ?? String(err)}`);
      if (process.env['PCAPSIFT_DEBUG']) errorLine(String(e?.stack));
      process.exitCode = EXIT_FAILURE;
    }
  },
);
