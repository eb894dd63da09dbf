/**
 * The libpcap filter language (tcpdump 4.99 / libpcap 1.10 semantics), compiled to fast predicates.
 *
 * `compileFilter(expression, linkType)` parses the expression, expands its primitives for the link type as
 * libpcap's gencode does, refuses what libpcap refuses (including programs its optimizer reduces to
 * "reject every packet"), and returns a generated function over the raw packet bytes.
 *
 * Pipeline: lexer.ts (scanner.l's tokens) → parser.ts (grammar.y, with qualifier inheritance) → ast.ts
 * (syntax tree, `explain`) → gencode.ts (primitives to tests per link type) → ir.ts (tests) → cfg.ts
 * (decision graph, optimized as libpcap's optimizer changes behaviour) → codegen.ts (JavaScript).
 *
 * Known differences from tcpdump 4.99.3 (all on edge cases):
 * - on a packet cut inside the headers a filter reads, libpcap's optimizer may have moved a test before
 *   another (or_pull/and_pull) and so avoid or make an out-of-bounds load; pcapsift keeps source order;
 * - `byte N & V` / `byte N | V` (which libpcap 1.10.3 compiles without a load) test the accumulator: the
 *   value the previous test compared (0 first); where paths from tests of different values meet, 0;
 * - host names come from /etc/hosts only (no DNS), network names are not resolved;
 * - DECnet/ATM/802.11/MTP/pf/geneve primitives and ARCnet addresses are refused.
 */
import { explain, type FilterAst } from './ast.js';
import { buildGraph, reachesAccept, resolveAccumulator, topological, type Node } from './cfg.js';
import { emitGraph, fold, type FilterPredicate } from './codegen.js';
import type { Pred, Val } from './ir.js';
import { FilterError } from './errors.js';
import { CodeGenerator } from './gencode.js';
import { parseFilter } from './parser.js';

export { FilterError } from './errors.js';
export type { FilterPredicate } from './codegen.js';
export { parseFilter } from './parser.js';
export { explain, explainArith } from './ast.js';
export type { Arith, FilterAst, FilterNode, IdValue, Qualifiers } from './ast.js';

export interface FilterOptions {
  /** Beyond libpcap: tcp[], udp[], port and tcp/udp/sctp also work on IPv6 and through IPv6 extension headers. */
  ipv6Transport?: boolean;
  /** LINKTYPE_NULL only: the capture file is big-endian, so its AF_ values are stored big-endian. */
  bigEndianFile?: boolean;
}

/** A compiled filter with what went into it, for --explain and tests. */
export interface CompiledFilter {
  readonly predicate: FilterPredicate;
  readonly ast: FilterAst;
  /** The generated JavaScript body. */
  readonly source: string;
}

/** Compiles an expression for a link type, keeping the syntax tree and generated source. */
export function compileFilterDetailed(expression: string, linkType: number, options: FilterOptions = {}): CompiledFilter {
  return withinLimits(() => compile(expression, linkType, options));
}

/** Turns running out of stack on a huge or deeply nested expression into a filter error, not a crash. */
function withinLimits<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof RangeError) throw new FilterError('expression too complex', 0);
    throw err;
  }
}

function compile(expression: string, linkType: number, options: FilterOptions): CompiledFilter {
  const ast = parseFilter(expression);
  if (ast === undefined) return { predicate: () => true, ast, source: 'return true;' };
  const gen = new CodeGenerator(linkType, { ipv6Transport: options.ipv6Transport === true, bigEndianFile: options.bigEndianFile === true });
  const raw = gen.node(ast);
  // libpcap turns its optimizer off for protochain's loop: then nothing is folded, simplified or refused.
  const optimize = !hasChain(raw);
  const tests = optimize ? fold(raw) : raw;
  const graph = buildGraph(tests, optimize);
  if (optimize) {
    const refused = refusedOperation(graph);
    if (refused !== undefined) throw refused;
    if (!reachesAccept(graph)) throw new FilterError('expression rejects all packets', 0);
  }
  resolveAccumulator(graph);
  const { predicate, source } = emitGraph(graph);
  return { predicate, ast, source };
}

/** The optimizer's complaint about an operation in a test that survived to it (a computed zero divisor...). */
function refusedOperation(root: Node): FilterError | undefined {
  const inVal = (v: Val): FilterError | undefined => {
    switch (v.k) {
      case 'bin':
        if (v.refused !== undefined) return new FilterError(v.refused, v.column ?? 0);
        return inVal(v.a) ?? inVal(v.b);
      case 'load':
        return inVal(v.off);
      case 'neg':
        return inVal(v.a);
      default:
        return undefined;
    }
  };
  for (const n of topological(root)) if (n.test.k === 'cmp') {
    const e = inVal(n.test.a) ?? inVal(n.test.b);
    if (e !== undefined) return e;
  }
  return undefined;
}

function hasChain(p: Pred): boolean {
  switch (p.k) {
    case 'chain':
      return true;
    case 'and':
    case 'or':
      return hasChain(p.a) || hasChain(p.b);
    case 'not':
      return hasChain(p.a);
    default:
      return false;
  }
}

/** Compiles an expression for a link type. Throws FilterError for what tcpdump would reject. */
export function compileFilter(expression: string, linkType: number, options: FilterOptions = {}): FilterPredicate {
  return compileFilterDetailed(expression, linkType, options).predicate;
}

/** Parses an expression and prints it with every implied qualifier explicit (see ast.ts for the form). */
export function explainFilter(expression: string): string {
  return withinLimits(() => explain(parseFilter(expression)));
}
