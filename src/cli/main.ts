#!/usr/bin/env node
/**
 * pcapsift's command line: `pcapsift COMMAND ...` for the analyses, and tcpdump's own flags
 * (`pcapsift -nn -r FILE [EXPRESSION]`) for the reader.
 */
import { COMMANDS, findCommand } from './commands/index.js';
import { READ_HELP, runRead } from './commands/read.js';
import { errorLine, OutputClosed, stdout } from './output.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './usage.js';
import { FilterError } from '../filter/index.js';

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

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    errorLine(mainHelp());
    return EXIT_USAGE;
  }
  if (first === 'help') {
    const cmd = argv[1] === undefined ? undefined : findCommand(argv[1]);
    stdout.write((cmd ? cmd.help : argv[1] === 'read' ? READ_HELP : mainHelp()) + '\n');
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    stdout.write('pcapsift 0.1.0\n');
    return EXIT_OK;
  }
  const cmd = findCommand(first);
  if (cmd !== undefined) {
    if (argv.includes('--help') || argv.includes('-h')) {
      stdout.write(cmd.help + '\n');
      return EXIT_OK;
    }
    return cmd.run(argv.slice(1));
  }
  if (first === '--help' || first === '-h' || (first === 'read' && (argv.includes('--help') || argv.includes('-h')))) {
    stdout.write(READ_HELP + '\n\n' + mainHelp() + '\n');
    return EXIT_OK;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(READ_HELP + '\n');
    return EXIT_OK;
  }
  return runRead(first === 'read' ? argv.slice(1) : argv);
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
