/**
 * The intermediate form between the syntax tree and JavaScript: boolean tests over values read from the
 * packet, as libpcap's gencode builds BPF blocks. Offsets here are absolute (from the first byte of the
 * packet): the link layer is resolved before this point.
 */

/** A 32-bit unsigned value. */
export type Val =
  | { readonly k: 'const'; readonly v: number }
  | { readonly k: 'len' }
  /**
   * A constant the BPF optimizer learns too late to fold the jump on it (computed arithmetic such as
   * `(2+2)`): the test stays in the program, with both of its branches usually led to one place.
   */
  | { readonly k: 'kconst'; readonly v: number }
  /**
   * The BPF accumulator as libpcap 1.10's `byte N & V` / `byte N | V` leave it: they forget to load the
   * byte, so they test whatever A holds (0 when nothing ran before). Unknown to the optimizer.
   */
  | { readonly k: 'acc' }
  /** Load `size` bytes big-endian at `off` (BPF `ld[bhw]`): beyond the captured bytes the packet is rejected. */
  | { readonly k: 'load'; readonly off: Val; readonly size: 1 | 2 | 4 }
  /** `refused`: the optimizer's complaint about this operation (a computed zero divisor...), if it reaches it. */
  | { readonly k: 'bin'; readonly op: string; readonly a: Val; readonly b: Val; readonly refused?: string; readonly column?: number }
  | { readonly k: 'neg'; readonly a: Val }
  /** --ipv6-transport: offset of the transport header after the IPv6 extension headers, or reject. */
  | { readonly k: 'v6tran'; readonly nl: number; readonly protos: readonly number[] };

/** A test. 'jset' is `(a & b) != 0`. */
export type Pred =
  | { readonly k: 'true' }
  | { readonly k: 'false' }
  | { readonly k: 'and' | 'or'; readonly a: Pred; readonly b: Pred }
  | { readonly k: 'not'; readonly a: Pred }
  /** `relation`: from `arth relop arth`, which BPF runs as A = a - b compared with 0 (this leaves A = a - b). */
  | { readonly k: 'cmp'; readonly op: '=' | '>' | '>=' | 'jset'; readonly a: Val; readonly b: Val; readonly relation?: boolean }
  /** `protochain`: walks the header chain at run time (gen_protochain's loop). */
  | { readonly k: 'chain'; readonly v6: boolean; readonly nl: number; readonly proto: number }
  /** --ipv6-transport: the IPv6 header chain leads to one of `protos` (with the transport header present). */
  | { readonly k: 'v6proto'; readonly nl: number; readonly protos: readonly number[] };

export const TRUE: Pred = { k: 'true' };
export const FALSE: Pred = { k: 'false' };

/** Makes a constant. */
export function c(v: number): Val {
  return { k: 'const', v: v >>> 0 };
}

/** Makes a load at a constant absolute offset. */
export function ld(off: number | Val, size: 1 | 2 | 4): Val {
  return { k: 'load', off: typeof off === 'number' ? c(off) : off, size };
}

/** Makes `a + b` (folding constants). */
export function add(a: Val, b: Val): Val {
  if (b.k === 'const' && b.v === 0) return a;
  if (a.k === 'const' && b.k === 'const') return c(a.v + b.v);
  return { k: 'bin', op: '+', a, b };
}

/** `a == v` */
export function eq(a: Val, v: number): Pred {
  return { k: 'cmp', op: '=', a, b: c(v) };
}

/** `(a & mask) == v`, or `a == v` when the mask is all ones. */
export function eqMasked(a: Val, mask: number, v: number, width: 8 | 16 | 32): Pred {
  const full = width === 32 ? 0xffffffff : width === 16 ? 0xffff : 0xff;
  if ((mask >>> 0) === full) return eq(a, v);
  return { k: 'cmp', op: '=', a: { k: 'bin', op: '&', a, b: c(mask) }, b: c(v & mask) };
}

/** `a > v` */
export function gt(a: Val, v: number): Pred {
  return { k: 'cmp', op: '>', a, b: c(v) };
}

/** `a >= v` */
export function ge(a: Val, v: number): Pred {
  return { k: 'cmp', op: '>=', a, b: c(v) };
}

/** `(a & mask) != 0` */
export function jset(a: Val, mask: number): Pred {
  return { k: 'cmp', op: 'jset', a, b: c(mask) };
}

export function and(a: Pred, b: Pred): Pred {
  return { k: 'and', a, b };
}

export function or(a: Pred, b: Pred): Pred {
  return { k: 'or', a, b };
}

export function not(a: Pred): Pred {
  return { k: 'not', a };
}

/** Ors any number of tests (false for none). */
export function anyOf(...ps: Pred[]): Pred {
  if (ps.length === 0) return FALSE;
  return ps.reduce((x, y) => or(x, y));
}

/** Ands any number of tests (true for none). */
export function allOf(...ps: Pred[]): Pred {
  if (ps.length === 0) return TRUE;
  return ps.reduce((x, y) => and(x, y));
}
