/**
 * TFTP (RFC 1350, options RFC 2347): opcodes and error codes.
 *
 *    2 bytes     string    1 byte     string   1 byte
 *   ------------------------------------------------
 *  | Opcode |  Filename  |   0  |    Mode    |   0  |   RRQ/WRQ
 *   ------------------------------------------------
 *  | Opcode |   Block #  |   Data ...                 DATA/ACK
 *  | Opcode |  ErrorCode |   ErrMsg   |   0  |         ERROR
 */

export const TFTP_OPCODE = 0;
export const TFTP_BLOCK = 2;

export const TFTP_RRQ = 1;
export const TFTP_WRQ = 2;
export const TFTP_DATA = 3;
export const TFTP_ACK = 4;
export const TFTP_ERROR = 5;
export const TFTP_OACK = 6;

/** tcpdump's op2str: opcode -> name. */
export const TFTP_OPCODE_NAMES: ReadonlyMap<number, string> = new Map([
  [TFTP_RRQ, 'RRQ'], [TFTP_WRQ, 'WRQ'], [TFTP_DATA, 'DATA'], [TFTP_ACK, 'ACK'], [TFTP_ERROR, 'ERROR'], [TFTP_OACK, 'OACK'],
]);

/** tcpdump's err2str: error code -> name. */
export const TFTP_ERROR_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'EUNDEF'], [1, 'ENOTFOUND'], [2, 'EACCESS'], [3, 'ENOSPACE'], [4, 'EBADOP'], [5, 'EBADID'], [6, 'EEXISTS'],
  [7, 'ENOUSER'], [8, 'EOPTNEG'],
]);
