/**
 * Folds constants in the test tree, and turns the optimized decision graph (cfg.ts) into one JavaScript
 * function over (data, offset, caplen, wirelen).
 *
 * Run-time model: each load checks that its bytes were captured; if not, it sets `oob` and yields 0, and
 * the packet is rejected whatever the rest decides (BPF returns 0 at once). The graph's tests run in the
 * order the BPF program runs them, so a load BPF would not reach is not made.
 */
import type { Pred, Val } from './ir.js';
import { FALSE, TRUE } from './ir.js';
import { topological, type Node, type TestNode } from './cfg.js';

/** A compiled filter: true when the packet is selected. */
export type FilterPredicate = (data: Uint8Array, offset: number, caplen: number, wirelen: number) => boolean;

/** Folds true/false through and/or/not. */
export function fold(p: Pred): Pred {
  switch (p.k) {
    case 'and': {
      const a = fold(p.a);
      if (a.k === 'false') return FALSE;
      const b = fold(p.b);
      if (a.k === 'true') return b;
      if (b.k === 'true') return a;
      // `a and false`: the optimizer drops a's tests too, so no load of a can reject first.
      if (b.k === 'false') return FALSE;
      return { k: 'and', a, b };
    }
    case 'or': {
      const a = fold(p.a);
      if (a.k === 'true') return TRUE;
      const b = fold(p.b);
      if (a.k === 'false') return b;
      if (b.k === 'false') return a;
      if (b.k === 'true') return TRUE;
      return { k: 'or', a, b };
    }
    case 'not': {
      const a = fold(p.a);
      if (a.k === 'true') return FALSE;
      if (a.k === 'false') return TRUE;
      if (a.k === 'not') return a.a;
      return { k: 'not', a };
    }
    case 'cmp':
      if (p.a.k === 'const' && p.b.k === 'const') {
        const x = p.a.v;
        const y = p.b.v;
        const r = p.op === '=' ? x === y : p.op === '>' ? x > y : p.op === '>=' ? x >= y : (x & y) !== 0;
        return r ? TRUE : FALSE;
      }
      return p;
    default:
      return p;
  }
}

/** Emits JavaScript for a test tree. */
class Emitter {
  private temps = 0;
  /** Emit constant-offset loads without their bounds check (the caller has checked maxEnd). */
  unchecked = false;
  /** The largest end offset of a constant-offset load emitted with a check. */
  maxEnd = 0;
  /** Array constants, declared once outside the filter function so a call allocates nothing. */
  readonly constants: string[] = [];

  constant(values: readonly number[]): string {
    const text = `[${values.join(', ')}]`;
    let i = this.constants.indexOf(text);
    if (i < 0) i = this.constants.push(text) - 1;
    return `K${i}`;
  }

  usesChain = false;
  usesV6 = false;

  temp(): string {
    return `t${this.temps++}`;
  }

  declarations(): string {
    const names: string[] = [];
    for (let i = 0; i < this.temps; i++) names.push(`t${i} = 0`);
    return names.length === 0 ? '' : `let ${names.join(', ')};`;
  }

  /** A load of `size` bytes at absolute offset `off` from the packet start. */
  private load(off: Val, size: number): string {
    const read = (at: string): string => {
      if (size === 1) return `d[${at}]`;
      if (size === 2) return `(d[${at}] << 8 | d[${at} + 1])`;
      return `((d[${at}] << 24 | d[${at} + 1] << 16 | d[${at} + 2] << 8 | d[${at} + 3]) >>> 0)`;
    };
    if (off.k === 'const') {
      // In the fast copy every constant-offset load is known to be captured (checked once up front).
      if (this.unchecked) return read(`o + ${off.v}`);
      this.maxEnd = Math.max(this.maxEnd, off.v + size);
      return `(${off.v + size} <= n ? ${read(`o + ${off.v}`)} : (oob = 1, 0))`;
    }
    const t = this.temp();
    return `((${t} = ${this.val(off)}) + ${size} <= n ? ${read(`o + ${t}`)} : (oob = 1, 0))`;
  }

  val(v: Val): string {
    switch (v.k) {
      case 'const':
        return String(v.v);
      case 'len':
        return 'w';
      case 'kconst':
        return String(v.v);
      case 'acc':
        return '0';
      case 'load':
        return this.load(v.off, v.size);
      case 'neg':
        return `((-${this.val(v.a)}) >>> 0)`;
      case 'v6tran':
        this.usesV6 = true;
        return `v6t(d, o, n, ${v.nl}, ${this.constant(v.protos)})`;
      case 'bin': {
        const a = this.val(v.a);
        const b = this.val(v.b);
        switch (v.op) {
          case '+':
            return `((${a} + ${b}) >>> 0)`;
          case '-':
            return `((${a} - ${b}) >>> 0)`;
          case '*':
            return `(Math.imul(${a}, ${b}) >>> 0)`;
          case '/':
          case '%': {
            // BPF rejects the packet on a division by zero at run time.
            const t = this.temp();
            const opExpr = v.op === '/' ? `Math.floor(${a} / ${t})` : `(${a} % ${t})`;
            return `((${t} = ${b}) === 0 ? (oob = 1, 0) : ${opExpr})`;
          }
          case '&':
            return `((${a} & ${b}) >>> 0)`;
          case '|':
            return `((${a} | ${b}) >>> 0)`;
          case '^':
            return `((${a} ^ ${b}) >>> 0)`;
          case '<<':
          case '>>': {
            // libpcap's interpreter gives 0 for a shift by 32 or more (JavaScript would take the count mod 32).
            if (v.b.k === 'const') return v.op === '<<' ? `((${a} << ${v.b.v}) >>> 0)` : `(${a} >>> ${v.b.v})`;
            const t = this.temp();
            return `((${t} = ${b}) > 31 ? (${a}, 0) : ${v.op === '<<' ? `((${a} << ${t}) >>> 0)` : `(${a} >>> ${t})`})`;
          }
          case 'v4or6':
            // --ipv6-transport accessor base: the IPv4 header length, or the IPv6 walk's result.
            this.usesV6 = true;
            return `(isV4(d, o, n, ${JSON.stringify(v.b.k === 'v6tran' ? v.b.nl : 0)}) ? ${a} : ${b})`;
          default:
            throw new Error(`unknown operator ${v.op}`);
        }
      }
    }
  }

  private cmp(p: Pred & { k: 'cmp' }): string {
    const a = this.val(p.a);
    const b = this.val(p.b);
    switch (p.op) {
      case '=':
        return `(${a} === ${b})`;
      case '>':
        return `(${a} > ${b})`;
      case '>=':
        return `(${a} >= ${b})`;
      case 'jset':
        return `((${a} & ${b}) !== 0)`;
    }
  }

  pred(p: Pred): string {
    switch (p.k) {
      case 'true':
        return 'true';
      case 'false':
        return 'false';
      case 'and':
        return `(${this.pred(p.a)} && ${this.pred(p.b)})`;
      case 'or':
        return `(${this.pred(p.a)} || ${this.pred(p.b)})`;
      case 'not':
        return `!${this.pred(p.a)}`;
      case 'cmp':
        return this.cmp(p);
      case 'chain': {
        this.usesChain = true;
        const t = this.temp();
        return `((${t} = chain(d, o, n, ${p.nl}, ${p.v6}, ${p.proto})) < 0 ? (oob = 1, false) : ${t} === 1)`;
      }
      case 'v6proto': {
        this.usesV6 = true;
        return `(v6t(d, o, n, ${p.nl}, ${this.constant(p.protos)}) !== NO_TRANSPORT)`;
      }
    }
  }
}

/** Value of `v6t` when the IPv6 chain does not lead to a wanted protocol. */
const NO_TRANSPORT = 0xffffffff;

/**
 * gen_protochain's loop, run directly: follow the IPv6 extension headers (Hop-by-Hop, Routing, Fragment,
 * Destination Options) or, for IPv4, AH only. Returns 1 on reaching `proto`, 0 on another header, -1 when
 * a read goes past the captured bytes (BPF rejects then). libpcap's AH step sets the offset to the AH
 * length instead of adding it; that quirk is kept.
 */
function chain(d: Uint8Array, o: number, n: number, nl: number, v6: boolean, proto: number): number {
  let x: number;
  let a: number;
  if (v6) {
    if (nl + 6 >= n) return -1;
    a = d[o + nl + 6]!;
    x = 40;
  } else {
    if (nl + 9 >= n) return -1;
    a = d[o + nl + 9]!;
    x = 4 * (d[o + nl]! & 0xf);
  }
  for (let guard = 0; guard < 256; guard++) {
    if (a === proto) return 1;
    if (a === 59) return 0;
    if (v6 && (a === 0 || a === 60 || a === 43 || a === 44)) {
      if (nl + x + 1 >= n) return -1;
      const next = d[o + nl + x]!;
      x = x + (d[o + nl + x + 1]! + 1) * 8;
      a = next;
      continue;
    }
    if (a === 51) {
      if (nl + x + 1 >= n) return -1;
      const next = d[o + nl + x]!;
      x = (d[o + nl + x + 1]! + 2) * 4;
      a = next;
      continue;
    }
    return 0;
  }
  return 0;
}

/**
 * --ipv6-transport: the offset (from the packet start) of the transport header of an IPv6 packet after its
 * extension headers, when the chain leads to one of `protos` (not in a non-first fragment); else
 * NO_TRANSPORT.
 */
function v6t(d: Uint8Array, o: number, n: number, nl: number, protos: readonly number[]): number {
  if (nl + 40 > n) return NO_TRANSPORT;
  let nxt = d[o + nl + 6]!;
  let x = nl + 40;
  for (let guard = 0; guard < 32; guard++) {
    if (protos.includes(nxt)) return x;
    if (nxt === 0 || nxt === 60 || nxt === 43) {
      if (x + 2 > n) return NO_TRANSPORT;
      const next = d[o + x]!;
      x += (d[o + x + 1]! + 1) * 8;
      nxt = next;
    } else if (nxt === 44) {
      if (x + 8 > n) return NO_TRANSPORT;
      // Only the first fragment carries the transport header.
      if (((d[o + x + 2]! << 8) | d[o + x + 3]!) & 0xfff8) return NO_TRANSPORT;
      nxt = d[o + x]!;
      x += 8;
    } else if (nxt === 51) {
      if (x + 2 > n) return NO_TRANSPORT;
      const next = d[o + x]!;
      x += (d[o + x + 1]! + 2) * 4;
      nxt = next;
    } else {
      return NO_TRANSPORT;
    }
  }
  return NO_TRANSPORT;
}

/** --ipv6-transport: is the network header IPv4 (by version nibble)? */
function isV4(d: Uint8Array, o: number, n: number, nl: number): boolean {
  return nl < n && d[o + nl]! >> 4 === 4;
}

/** Beyond this many tests the labelled-block nest gets too deep for V8's parser: use a state machine. */
const NESTING_LIMIT = 400;

/** Compiles a large graph as a loop over a switch: one case per test, the same run-time semantics. */
function emitStateMachine(order: readonly TestNode[], index: ReadonlyMap<Node, number>, e: Emitter): { predicate: FilterPredicate; source: string } {
  const target = (n: Node): string => (n.kind === 'accept' ? 'return oob === 0;' : n.kind === 'reject' ? 'return false;' : `s = ${index.get(n)!}; continue;`);
  const cases = order.map((n, i) => `case ${i}: if (${e.pred(n.test)}) { ${target(n.t)} } ${target(n.f)}`).join(' ');
  const source = `${e.declarations()} let oob = 0; let s = 0; for (;;) { switch (s) { ${cases} default: return false; } }`;
  const constants = e.constants.map((text, i) => `const K${i} = ${text};`).join(' ');
  const factory = new Function('chain', 'v6t', 'isV4', 'NO_TRANSPORT', `${constants} return function filter(d, o, n, w) { ${source} };`) as (
    ...helpers: unknown[]
  ) => FilterPredicate;
  return { predicate: factory(chain, v6t, isV4, NO_TRANSPORT), source };
}

/** Compiles a decision graph into a predicate, and returns the generated source for inspection. */
export function emitGraph(root: Node): { predicate: FilterPredicate; source: string } {
  if (root.kind === 'accept') return { predicate: () => true, source: 'return true;' };
  if (root.kind === 'reject') return { predicate: () => false, source: 'return false;' };
  const order = topological(root);
  const index = new Map<Node, number>(order.map((n, i) => [n, i]));
  const e = new Emitter();
  // Forward jumps as breaks out of nested labelled blocks: `break Li` continues at node i's code, which
  // follows the end of block Li. Accept and reject close the nest.
  const body = (prefix: string): string => {
    const label = (n: Node): string => (n.kind === 'accept' ? `${prefix}A` : n.kind === 'reject' ? `${prefix}R` : `${prefix}${index.get(n)!}`);
    let code = `${prefix}R: { ${prefix}A: { `;
    for (let i = order.length - 1; i >= 1; i--) code += `${prefix}${i}: { `;
    order.forEach((n, i) => {
      if (i > 0) code += '} ';
      const test = e.pred(n.test);
      const next = order[i + 1];
      if (n.f === next) code += `if (${test}) break ${label(n.t)}; `;
      else if (n.t === next) code += `if (!${test}) break ${label(n.f)}; `;
      else code += `if (${test}) break ${label(n.t)}; break ${label(n.f)}; `;
    });
    return `${code}} return oob === 0; } return false;`;
  };
  if (order.length > NESTING_LIMIT) return emitStateMachine(order, index, e);
  const checked = body('L');
  // A second copy for packets that hold every constant-offset byte the filter reads: no per-load checks.
  e.unchecked = true;
  const fast = e.maxEnd > 0 ? body('F') : '';
  const code = fast === '' ? checked : `if (n >= ${e.maxEnd}) { ${fast} } ${checked}`;
  const source = `${e.declarations()} let oob = 0; ${code}`;
  const constants = e.constants.map((text, i) => `const K${i} = ${text};`).join(' ');
  const factory = new Function('chain', 'v6t', 'isV4', 'NO_TRANSPORT', `${constants} return function filter(d, o, n, w) { ${source} };`) as (
    ...helpers: unknown[]
  ) => FilterPredicate;
  return { predicate: factory(chain, v6t, isV4, NO_TRANSPORT), source };
}
