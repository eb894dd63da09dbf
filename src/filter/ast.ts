/**
 * The syntax tree of a filter expression, and `explain`, which prints it with every implied qualifier made
 * explicit and the grouping made visible.
 *
 * Explained form (pcapsift's own normal form, stable for tests):
 * - every `and`/`or` is parenthesised: `((a and b) or c)`, which shows libpcap's equal precedence;
 * - every qualified primitive prints `[proto] dir type ID` with the direction and type spelled out
 *   (`(src or dst host 1.2.3.4)`, `tcp dst port 443`), in brackets when the direction has two words; a primitive without a protocol qualifier stays without
 *   one, as it means "any protocol the type applies to" (libpcap's Q_DEFAULT);
 * - an ID that inherited its qualifiers from the previous primitive prints them in full;
 * - `vlan`, `len`, byte accessors, relations and named constants print in the source's spelling, with
 *   numbers in decimal and arithmetic fully parenthesised.
 */

/** A protocol qualifier (`tcp`, `ip6`, `link`...), 'default' when absent, 'undef' for libpcap's qerr. */
export type ProtoQual = string;
/** A direction qualifier. */
export type DirQual = 'default' | 'src' | 'dst' | 'src or dst' | 'src and dst' | 'addr1' | 'addr2' | 'addr3' | 'addr4' | 'ra' | 'ta' | 'undef';
/** An address-type qualifier. */
export type AddrQual = 'default' | 'host' | 'net' | 'port' | 'portrange' | 'proto' | 'protochain' | 'gateway' | 'undef';

/** The qualifiers in force for an ID (libpcap's `struct qual`). */
export interface Qualifiers {
  readonly proto: ProtoQual;
  readonly dir: DirQual;
  readonly addr: AddrQual;
}

/** libpcap's `qerr`: no qualifiers in force (a bare ID there is an error). */
export const NO_QUALIFIERS: Qualifiers = { proto: 'undef', dir: 'undef', addr: 'undef' };

/** What an ID is, as the lexer classified it. */
export type IdValue =
  | { readonly type: 'name'; readonly text: string }
  | { readonly type: 'num'; readonly value: number }
  | { readonly type: 'hid'; readonly text: string }
  | { readonly type: 'hid-bits'; readonly text: string; readonly bits: number }
  | { readonly type: 'hid-mask'; readonly text: string; readonly mask: string }
  | { readonly type: 'hid6'; readonly text: string; readonly bits: number | undefined }
  | { readonly type: 'eid'; readonly text: string }
  | { readonly type: 'aid'; readonly text: string };

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type RelOp = '>' | '>=' | '=' | '<=' | '<' | '!=';

/** An arithmetic expression (libpcap's `arth`). */
export type Arith =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'len' }
  | { readonly kind: 'load'; readonly proto: ProtoQual; readonly offset: Arith; readonly size: number; readonly column: number }
  | { readonly kind: 'binary'; readonly op: ArithOp; readonly left: Arith; readonly right: Arith; readonly column: number }
  | { readonly kind: 'neg'; readonly operand: Arith };

/** A boolean filter expression. */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'primitive'; readonly q: Qualifiers; readonly id: IdValue; readonly column: number }
  | { readonly kind: 'proto'; readonly proto: ProtoQual; readonly column: number }
  | { readonly kind: 'relation'; readonly op: RelOp; readonly left: Arith; readonly right: Arith; readonly column: number }
  | { readonly kind: 'broadcast' | 'multicast'; readonly proto: ProtoQual; readonly column: number }
  | { readonly kind: 'less' | 'greater'; readonly value: number }
  | { readonly kind: 'byte'; readonly offset: number; readonly op: string; readonly value: number }
  | { readonly kind: 'inbound' | 'outbound'; readonly column: number }
  | { readonly kind: 'ifindex'; readonly value: number; readonly column: number }
  | { readonly kind: 'vlan'; readonly id: number | undefined; readonly column: number }
  /** Other encapsulations and link layers: mpls, pppoes, pppoed and llc work on Ethernet; 802.11, ATM, MTP, pf... are refused. */
  | { readonly kind: 'keyword'; readonly keyword: string; readonly arg: string | undefined; readonly column: number };

/** The parsed filter: undefined for the empty expression (which selects every packet). */
export type FilterAst = FilterNode | undefined;

function explainId(id: IdValue): string {
  switch (id.type) {
    case 'name':
    case 'hid':
    case 'eid':
    case 'aid':
      return id.text;
    case 'num':
      return String(id.value);
    case 'hid-bits':
      return `${id.text}/${id.bits}`;
    case 'hid-mask':
      return `${id.text} mask ${id.mask}`;
    case 'hid6':
      return id.bits === undefined ? id.text : `${id.text}/${id.bits}`;
  }
}

function explainQualifiers(q: Qualifiers): string {
  const parts: string[] = [];
  if (q.proto !== 'default' && q.proto !== 'undef') parts.push(q.proto);
  const addr = q.addr === 'default' || q.addr === 'undef' ? 'host' : q.addr;
  // Direction applies to host/net/port/portrange/gateway only; proto and protochain take none.
  if (addr !== 'proto' && addr !== 'protochain') parts.push(q.dir === 'default' || q.dir === 'undef' ? 'src or dst' : q.dir);
  parts.push(addr);
  return parts.join(' ');
}

/** Prints an arithmetic expression with every operation parenthesised. */
export function explainArith(a: Arith): string {
  switch (a.kind) {
    case 'num':
      return String(a.value);
    case 'len':
      return 'len';
    case 'load':
      return `${a.proto}[${explainArith(a.offset)}${a.size === 1 ? '' : `:${a.size}`}]`;
    case 'binary':
      return `(${explainArith(a.left)} ${a.op} ${explainArith(a.right)})`;
    case 'neg':
      return `(-${explainArith(a.operand)})`;
  }
}

/** Prints a filter with all implied qualifiers explicit and every and/or parenthesised. */
export function explain(node: FilterAst): string {
  if (node === undefined) return '(every packet)';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${explain(node.left)} ${node.kind} ${explain(node.right)})`;
    case 'not':
      return `not ${explain(node.operand)}`;
    case 'primitive': {
      // A two-word direction would read as boolean operators: bracket the primitive.
      const text = `${explainQualifiers(node.q)} ${explainId(node.id)}`;
      return text.includes(' or ') || text.includes(' and ') ? `(${text})` : text;
    }
    case 'proto':
      return node.proto;
    case 'relation':
      return `${explainArith(node.left)} ${node.op} ${explainArith(node.right)}`;
    case 'broadcast':
    case 'multicast':
      return node.proto === 'default' ? node.kind : `${node.proto} ${node.kind}`;
    case 'less':
    case 'greater':
      return `${node.kind} ${node.value}`;
    case 'byte':
      return `byte ${node.offset} ${node.op} ${node.value}`;
    case 'inbound':
    case 'outbound':
      return node.kind;
    case 'ifindex':
      return `ifindex ${node.value}`;
    case 'vlan':
      return node.id === undefined ? 'vlan' : `vlan ${node.id}`;
    case 'keyword':
      return node.arg === undefined ? node.keyword : `${node.keyword} ${node.arg}`;
  }
}
