/**
 * A recursive-descent parser for libpcap 1.10's `grammar.y`, keeping its surprises:
 * - `and` and `or` have equal precedence and group left to right; `not` binds tightest;
 * - a bare ID after `and`/`or`/`not` reuses the qualifiers of the term before it (the grammar passes them
 *   through `$<blk>0`); after `)` the qualifiers in force before the group apply again; after a bare
 *   protocol, a relation or other keyword primitives no qualifiers are in force (libpcap's `qerr`);
 * - arithmetic precedence is `* /` > `+ -` > `<< >>` > `&` > `|`, while `%` and `^` have none, so bison
 *   always shifts: their left operand is the nearest operand and their right operand runs to the end.
 *
 * Where bison decides with its LALR states (a `(` that may open an expression, an ID group or arithmetic),
 * the parser tries the alternatives in turn; an alternative counts only if it is followed by a token that
 * may follow a term (`and`, `or`, `)` or the end).
 */
import {
  NO_QUALIFIERS,
  type AddrQual,
  type Arith,
  type ArithOp,
  type DirQual,
  type FilterAst,
  type FilterNode,
  type IdValue,
  type ProtoQual,
  type Qualifiers,
  type RelOp,
} from './ast.js';
import { FilterError, SYNTAX_ERROR } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** Protocol keywords usable as qualifiers and accessors (grammar.y's `pname`). */
const PNAMES = new Set([
  'link', 'ip', 'arp', 'rarp', 'sctp', 'tcp', 'udp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp', 'atalk', 'aarp',
  'decnet', 'lat', 'sca', 'mopdl', 'moprc', 'ip6', 'icmp6', 'ah', 'esp', 'iso', 'esis', 'isis', 'l1', 'l2', 'iih', 'lsp',
  'snp', 'psnp', 'csnp', 'clnp', 'stp', 'ipx', 'netbeui', 'radio',
]);
const DQUAL = new Set(['src', 'dst', 'addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta']);
const AQUAL = new Set(['host', 'net', 'port', 'portrange']);
const RELOPS = new Set(['>', '>=', '=', '<=', '<', '!=']);
const ARITH_PREC: Readonly<Record<string, number>> = { '|': 1, '&': 2, '<<': 3, '>>': 3, '+': 4, '-': 4, '*': 5, '/': 5 };
/** Keywords pcapsift parses but does not implement (other link layers): they fail at compile time. */
const UNSUPPORTED_BARE = new Set(['pppoed', 'lane', 'metac', 'bcc', 'oam', 'oamf4', 'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'connectmsg', 'metaconnect', 'fisu', 'lssu', 'msu', 'hfisu', 'hlssu', 'hmsu']);
const UNSUPPORTED_PNUM = new Set(['mpls', 'pppoes', 'geneve']);
const UNSUPPORTED_ARG = new Set(['ifname', 'rset', 'rnr', 'srnr', 'reason', 'action', 'vpi', 'vci', 'sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls', 'type', 'subtype', 'dir']);

interface Parsed {
  node: FilterNode;
  q: Qualifiers;
}

class Parser {
  private pos = 0;
  /** The furthest error seen while trying alternatives: the one to report. */
  private furthest: FilterError | undefined;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private is(t: Token, kind: Token['kind'], text?: string): boolean {
    return t.kind === kind && (text === undefined || t.text === text);
  }

  private fail(t: Token = this.peek()): never {
    throw new FilterError(SYNTAX_ERROR, t.column);
  }

  private expectOp(text: string): Token {
    const t = this.peek();
    if (!this.is(t, 'op', text)) this.fail(t);
    return this.next();
  }

  private expectNum(): Token {
    const t = this.peek();
    if (t.kind !== 'num') this.fail(t);
    return this.next();
  }

  /** True when the next token may follow a complete term. */
  private atTermEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || this.is(t, 'kw', 'and') || this.is(t, 'kw', 'or') || this.is(t, 'op', ')');
  }

  /** Runs alternatives from the same position; keeps the first that parses and ends a term. */
  private attempt<T>(...alternatives: (() => T)[]): T {
    const start = this.pos;
    let best: FilterError | undefined;
    for (const alt of alternatives) {
      this.pos = start;
      try {
        const r = alt();
        if (this.atTermEnd()) return r;
        this.fail();
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        // Semantic errors found while parsing (a bad address, a bad number) are final, as in libpcap.
        if (err.problem !== SYNTAX_ERROR) throw err;
        if (best === undefined || err.column > best.column) best = err;
      }
    }
    this.pos = start;
    throw best ?? new FilterError(SYNTAX_ERROR, this.peek().column);
  }

  parseProgram(): FilterAst {
    if (this.peek().kind === 'eof') return undefined;
    const r = this.parseExpr(NO_QUALIFIERS);
    if (this.peek().kind !== 'eof') this.fail();
    return r.node;
  }

  /** expr: term | expr and term | expr and id | expr or term | expr or id */
  private parseExpr(q0: Qualifiers): Parsed {
    let { node, q } = this.parseTerm(q0);
    for (;;) {
      const t = this.peek();
      if (!this.is(t, 'kw', 'and') && !this.is(t, 'kw', 'or')) return { node, q };
      this.next();
      const right = this.parseTermOrId(q);
      node = { kind: t.text as 'and' | 'or', left: node, right: right.node };
      q = right.q;
    }
  }

  /** After `and`/`or`: an id (inheriting q) or a term. Decided by the token after any `not`s. */
  private parseTermOrId(q: Qualifiers): Parsed {
    let j = 0;
    while (this.is(this.peek(j), 'kw', 'not')) j++;
    const t = this.peek(j);
    switch (t.kind) {
      case 'id':
      case 'hid':
      case 'hid6':
      case 'eid':
      case 'aid':
        return this.parseId(q);
      case 'num': {
        const after = this.peek(j + 1);
        if (after.kind === 'op' && after.text !== ')' && after.text !== '(') return this.parseTerm(q);
        return this.parseId(q);
      }
      default:
        if (this.is(t, 'op', '(')) return this.attempt(() => this.parseId(q), () => this.parseTerm(q));
        return this.parseTerm(q);
    }
  }

  /** id: nid | pnum | paren pid ')' ; nid includes `not id`. Every ID gets the inherited qualifiers. */
  private parseId(q: Qualifiers): Parsed {
    const t = this.peek();
    if (this.is(t, 'kw', 'not')) {
      this.next();
      const inner = this.parseId(q);
      return { node: { kind: 'not', operand: inner.node }, q: inner.q };
    }
    if (this.is(t, 'op', '(')) {
      this.next();
      const r = this.parsePid(q);
      this.expectOp(')');
      return r;
    }
    if (t.kind === 'num') {
      this.next();
      return { node: { kind: 'primitive', q, id: { type: 'num', value: t.value }, column: t.column }, q };
    }
    return { node: this.parseNid(q), q };
  }

  /** The inside of an ID group: (nid | pnum) followed by any number of `and id` / `or id`. */
  private parsePid(q: Qualifiers): Parsed {
    let node: FilterNode;
    const t = this.peek();
    if (t.kind === 'num' || this.is(t, 'op', '(')) {
      const column = t.column;
      node = { kind: 'primitive', q, id: { type: 'num', value: this.parsePnum() }, column };
    } else if (this.is(t, 'kw', 'not')) {
      node = this.parseId(q).node;
    } else {
      node = this.parseNid(q);
    }
    for (;;) {
      const op = this.peek();
      if (!this.is(op, 'kw', 'and') && !this.is(op, 'kw', 'or')) return { node, q };
      this.next();
      const right = this.parseId(q);
      node = { kind: op.text as 'and' | 'or', left: node, right: right.node };
    }
  }

  /** pnum: NUM | paren pnum ')' */
  private parsePnum(): number {
    if (this.is(this.peek(), 'op', '(')) {
      this.next();
      const v = this.parsePnum();
      this.expectOp(')');
      return v;
    }
    return this.expectNum().value;
  }

  /** nid: ID | HID '/' NUM | HID mask HID | HID | HID6 '/' NUM | HID6 | EID | AID */
  private parseNid(q: Qualifiers): FilterNode {
    const t = this.next();
    let id: IdValue;
    switch (t.kind) {
      case 'id':
        id = { type: 'name', text: t.text };
        break;
      case 'hid':
        if (this.is(this.peek(), 'op', '/')) {
          this.next();
          id = { type: 'hid-bits', text: t.text, bits: this.expectNum().value };
        } else if (this.is(this.peek(), 'kw', 'mask')) {
          this.next();
          const m = this.peek();
          if (m.kind !== 'hid') this.fail(m);
          this.next();
          id = { type: 'hid-mask', text: t.text, mask: m.text };
        } else {
          id = { type: 'hid', text: t.text };
        }
        break;
      case 'hid6':
        if (this.is(this.peek(), 'op', '/')) {
          this.next();
          id = { type: 'hid6', text: t.text, bits: this.expectNum().value };
        } else {
          id = { type: 'hid6', text: t.text, bits: undefined };
        }
        break;
      case 'eid':
        id = { type: 'eid', text: t.text };
        break;
      case 'aid':
        id = { type: 'aid', text: t.text };
        break;
      default:
        this.fail(t);
    }
    return { kind: 'primitive', q, id, column: t.column };
  }

  /** term: rterm | not term */
  private parseTerm(q: Qualifiers): Parsed {
    if (this.is(this.peek(), 'kw', 'not')) {
      this.next();
      const inner = this.parseTerm(q);
      return { node: { kind: 'not', operand: inner.node }, q: inner.q };
    }
    return this.parseRterm(q);
  }

  private parseRterm(q: Qualifiers): Parsed {
    const t = this.peek();
    if (this.is(t, 'op', '(')) {
      return this.attempt(
        () => {
          this.next();
          const inner = this.parseExpr(q);
          this.expectOp(')');
          // After the group, the qualifiers in force before it apply again (`$$.q = $1.q`).
          return { node: inner.node, q };
        },
        () => this.parseRelation(),
      );
    }
    if (t.kind === 'num' || this.is(t, 'op', '-') || this.is(t, 'kw', 'len')) return this.parseRelation();
    if (t.kind !== 'kw') this.fail(t);
    const kw = t.text;
    if (PNAMES.has(kw)) {
      const after = this.peek(1);
      if (this.is(after, 'op', '[')) return this.parseRelation();
      if (after.kind === 'kw' && (DQUAL.has(after.text) || AQUAL.has(after.text) || after.text === 'proto' || after.text === 'protochain' || after.text === 'gateway')) {
        this.next();
        return this.parseHeadId(kw);
      }
      if (this.is(after, 'kw', 'broadcast') || this.is(after, 'kw', 'multicast')) {
        this.next();
        this.next();
        return { node: { kind: after.text as 'broadcast' | 'multicast', proto: kw, column: t.column }, q: NO_QUALIFIERS };
      }
      if (after.kind === 'kw' && (after.text === 'type' || after.text === 'subtype' || after.text === 'dir')) {
        this.next();
        return this.parseUnsupported();
      }
      this.next();
      return { node: { kind: 'proto', proto: kw, column: t.column }, q: NO_QUALIFIERS };
    }
    if (DQUAL.has(kw) || AQUAL.has(kw) || kw === 'proto' || kw === 'protochain' || kw === 'gateway') return this.parseHeadId('default');
    const other = (node: FilterNode): Parsed => ({ node, q: NO_QUALIFIERS });
    switch (kw) {
      case 'broadcast':
      case 'multicast':
        this.next();
        return other({ kind: kw, proto: 'default', column: t.column });
      case 'less':
      case 'greater':
        this.next();
        return other({ kind: kw, value: this.expectNum().value });
      case 'byte': {
        this.next();
        const offset = this.expectNum().value;
        const op = this.peek();
        if (!(op.kind === 'op' && ['&', '|', '<', '>', '='].includes(op.text))) this.fail(op);
        this.next();
        return other({ kind: 'byte', offset, op: op.text, value: this.expectNum().value });
      }
      case 'inbound':
      case 'outbound':
        this.next();
        return other({ kind: kw, column: t.column });
      case 'ifindex':
        this.next();
        return other({ kind: 'ifindex', value: this.expectNum().value, column: t.column });
      case 'vlan': {
        this.next();
        const n = this.peek();
        const id = n.kind === 'num' || this.is(n, 'op', '(') ? this.parsePnum() : undefined;
        return other({ kind: 'vlan', id, column: t.column });
      }
      default:
        return this.parseUnsupported();
    }
  }

  /** Keywords for link layers pcapsift does not filter on: parsed as libpcap would, refused at compile time. */
  private parseUnsupported(): Parsed {
    const t = this.next();
    if (t.kind !== 'kw') this.fail(t);
    let arg: string | undefined;
    const n = this.peek();
    if (UNSUPPORTED_BARE.has(t.text)) {
      // no argument
    } else if (UNSUPPORTED_PNUM.has(t.text)) {
      if (n.kind === 'num' || this.is(n, 'op', '(')) arg = String(this.parsePnum());
    } else if (t.text === 'llc') {
      if (n.kind === 'id' || this.is(n, 'kw', 'rnr')) arg = this.next().text;
    } else if (UNSUPPORTED_ARG.has(t.text)) {
      if (n.kind !== 'id' && n.kind !== 'num') this.fail(n);
      arg = this.next().text;
      // 802.11 `type T subtype S`
      if (t.text === 'type' && this.is(this.peek(), 'kw', 'subtype')) {
        this.next();
        const s = this.peek();
        if (s.kind !== 'id' && s.kind !== 'num') this.fail(s);
        arg += ` subtype ${this.next().text}`;
      }
    } else {
      this.fail(t);
    }
    return { node: { kind: 'keyword', keyword: t.text, arg, column: t.column }, q: NO_QUALIFIERS };
  }

  /** head id: [pqual] [dqual] [aqual | proto | protochain | gateway] ID */
  private parseHeadId(proto: ProtoQual): Parsed {
    let dir: DirQual = 'default';
    let addr: AddrQual = 'default';
    const t = this.peek();
    if (t.kind === 'kw' && DQUAL.has(t.text)) {
      this.next();
      dir = t.text as DirQual;
      const c = this.peek();
      const other = this.peek(1);
      if ((t.text === 'src' || t.text === 'dst') && (this.is(c, 'kw', 'or') || this.is(c, 'kw', 'and')) && this.is(other, 'kw', t.text === 'src' ? 'dst' : 'src')) {
        this.next();
        this.next();
        dir = c.text === 'or' ? 'src or dst' : 'src and dst';
      }
      const a = this.peek();
      if (a.kind === 'kw' && AQUAL.has(a.text)) {
        this.next();
        addr = a.text as AddrQual;
      }
    } else if (t.kind === 'kw' && (AQUAL.has(t.text) || t.text === 'proto' || t.text === 'protochain' || t.text === 'gateway')) {
      this.next();
      addr = t.text as AddrQual;
    } else {
      this.fail(t);
    }
    const q: Qualifiers = { proto, dir, addr };
    return this.parseId(q);
  }

  /** arth relop arth */
  private parseRelation(): Parsed {
    const column = this.peek().column;
    const left = this.parseArith(0);
    const op = this.peek();
    if (!(op.kind === 'op' && RELOPS.has(op.text))) this.fail(op);
    this.next();
    const right = this.parseArith(0);
    return { node: { kind: 'relation', op: op.text as RelOp, left, right, column }, q: NO_QUALIFIERS };
  }

  /** Precedence climbing; `%` and `^` take everything to their right (bison's default shift). */
  private parseArith(minPrec: number): Arith {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return left;
      if (t.text === '%' || t.text === '^') {
        this.next();
        left = { kind: 'binary', op: t.text, left, right: this.parseArith(0), column: t.column };
        continue;
      }
      const p = ARITH_PREC[t.text];
      if (p === undefined || p < minPrec) return left;
      this.next();
      left = { kind: 'binary', op: t.text as ArithOp, left, right: this.parseArith(p + 1), column: t.column };
    }
  }

  private parseUnary(): Arith {
    const t = this.peek();
    if (this.is(t, 'op', '-')) {
      this.next();
      let operand = this.parseUnary();
      // Unary minus outranks every operator that has a precedence, but not `%` and `^` (bison shifts).
      for (;;) {
        const o = this.peek();
        if (!(this.is(o, 'op', '%') || this.is(o, 'op', '^'))) break;
        this.next();
        operand = { kind: 'binary', op: o.text as ArithOp, left: operand, right: this.parseArith(0), column: o.column };
      }
      return { kind: 'neg', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Arith {
    const t = this.next();
    if (t.kind === 'num') return { kind: 'num', value: t.value };
    if (this.is(t, 'kw', 'len')) return { kind: 'len' };
    if (this.is(t, 'op', '(')) {
      const inner = this.parseArith(0);
      this.expectOp(')');
      return inner;
    }
    if (t.kind === 'kw' && PNAMES.has(t.text)) {
      this.expectOp('[');
      const offset = this.parseArith(0);
      let size = 1;
      if (this.is(this.peek(), 'op', ':')) {
        this.next();
        const s = this.expectNum();
        size = s.value;
        if (size !== 1 && size !== 2 && size !== 4) {
          this.expectOp(']');
          throw new FilterError('data size must be 1, 2, or 4', s.column);
        }
      }
      this.expectOp(']');
      return { kind: 'load', proto: t.text, offset, size, column: t.column };
    }
    this.fail(t);
  }
}

/** Parses an expression into its syntax tree. Throws FilterError with the column of the problem. */
export function parseFilter(expression: string): FilterAst {
  return new Parser(tokenize(expression)).parseProgram();
}
