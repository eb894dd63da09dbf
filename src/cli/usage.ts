/** A mistake in how a command was called: reported in one line with exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on (bad filter, missing host...): one line, exit status 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Exit statuses, as a CLI user expects them. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
