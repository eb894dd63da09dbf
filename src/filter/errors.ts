/** The error type of the filter compiler, kept apart so every filter module can throw it. */

/** A filter expression tcpdump would reject: the problem and the 1-based column where it lies (0 if none). */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    readonly problem: string,
    readonly column: number,
  ) {
    super(column > 0 ? `${problem} (at column ${column})` : problem);
  }
}

/** The message libpcap's parser gives for any grammar error. */
export const SYNTAX_ERROR = "can't parse filter expression: syntax error";
