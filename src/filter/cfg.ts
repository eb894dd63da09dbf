/**
 * The filter as a decision graph, optimized the way libpcap's BPF optimizer changes what a filter does.
 *
 * Why this matters beyond speed: a load past the captured bytes rejects the packet, so which tests remain
 * after optimization decides the fate of short packets. libpcap's optimizer (optimize.c) threads jumps over
 * tests whose result the path already knows (a repeated test, or `x == k2` after `x == k1` held) and drops
 * tests whose two branches meet. `proto 1 or not host ::1` thus never loads ip[9] from an IPv4 packet:
 * both outcomes accept it. pcapsift does the same transformations on a graph built from the test tree, and
 * reads "no path reaches accept" as libpcap's "expression rejects all packets".
 *
 * Known gap: the optimizer also moves tests across each other (or_pull/and_pull in optimize.c), e.g. in
 * `host A or B` it tests the IPv4 source against B before loading the destination. On a packet cut inside
 * the headers the filter reads, that can decide whether an out-of-bounds load happens; pcapsift keeps
 * source order there. Packets captured at least to the headers tested are not affected.
 */
import type { Pred, Val } from './ir.js';

/** A test node: `test` true goes to `t`, false to `f`. Leaves accept or reject. */
export type Node = { readonly kind: 'accept' } | { readonly kind: 'reject' } | TestNode;

export interface TestNode {
  readonly kind: 'test';
  readonly id: number;
  /** Mutable only for resolveAccumulator, after optimization. */
  test: Pred;
  readonly key: string;
  /** For `value == constant` tests: the value's key (facts about equal values), else undefined. */
  readonly valueKey: string | undefined;
  t: Node;
  f: Node;
}

export const ACCEPT: Node = { kind: 'accept' };
export const REJECT: Node = { kind: 'reject' };

/** Builds nodes with hash-consing, so identical (test, t, f) triples are one node. */
class Builder {
  private nextId = 0;
  private readonly ids = new Map<Node, string>([
    [ACCEPT, 'A'],
    [REJECT, 'R'],
  ]);
  private readonly table = new Map<string, TestNode>();

  nodeKey(n: Node): string {
    return this.ids.get(n)!;
  }

  make(test: Pred, key: string, t: Node, f: Node): Node {
    if (t === f) return t;
    const k = `${key}|${this.nodeKey(t)}|${this.nodeKey(f)}`;
    let n = this.table.get(k);
    if (n === undefined) {
      const valueKey = test.k === 'cmp' && test.op === '=' && test.b.k === 'const' ? JSON.stringify(test.a) : undefined;
      n = { kind: 'test', id: this.nextId++, test, key, valueKey, t, f };
      this.table.set(k, n);
      this.ids.set(n, `n${n.id}`);
    }
    return n;
  }

  /** Builds the graph of `p` with the given continuations. */
  build(p: Pred, t: Node, f: Node): Node {
    switch (p.k) {
      case 'true':
        return t;
      case 'false':
        return f;
      case 'and':
        return this.build(p.a, this.build(p.b, t, f), f);
      case 'or':
        return this.build(p.a, t, this.build(p.b, t, f));
      case 'not':
        return this.build(p.a, f, t);
      default:
        return this.make(p, JSON.stringify(p), t, f);
    }
  }
}

/** What holds on every path into a node: results of tests, and values known equal to a constant. */
interface Facts {
  readonly tests: ReadonlyMap<string, boolean>;
  readonly equal: ReadonlyMap<string, number>;
}

const NO_FACTS: Facts = { tests: new Map(), equal: new Map() };

function meet(a: Facts, b: Facts): Facts {
  if (a === b) return a;
  const tests = new Map<string, boolean>();
  for (const [k, v] of a.tests) if (b.tests.get(k) === v) tests.set(k, v);
  const equal = new Map<string, number>();
  for (const [k, v] of a.equal) if (b.equal.get(k) === v) equal.set(k, v);
  return { tests, equal };
}

/** Which facts can matter: tests that occur more than once, values compared with constants more than once. */
interface Relevance {
  tests: Set<string>;
  values: Set<string>;
}

function relevance(order: readonly TestNode[]): Relevance {
  const testCount = new Map<string, number>();
  const valueCount = new Map<string, number>();
  for (const n of order) {
    testCount.set(n.key, (testCount.get(n.key) ?? 0) + 1);
    if (n.valueKey !== undefined) valueCount.set(n.valueKey, (valueCount.get(n.valueKey) ?? 0) + 1);
  }
  const tests = new Set<string>();
  for (const [k, c] of testCount) if (c > 1) tests.add(k);
  const values = new Set<string>();
  for (const [k, c] of valueCount) if (c > 1) values.add(k);
  return { tests, values };
}

/** The facts after taking `result` out of test node n (only facts a later test could use are kept). */
function extend(f: Facts, n: TestNode, result: boolean, r: Relevance): Facts {
  let tests = f.tests;
  if (r.tests.has(n.key)) {
    const m = new Map(f.tests);
    m.set(n.key, result);
    tests = m;
  }
  let equal = f.equal;
  const p = n.test;
  if (result && n.valueKey !== undefined && p.k === 'cmp' && p.b.k === 'const' && r.values.has(n.valueKey)) {
    const m = new Map(f.equal);
    m.set(n.valueKey, p.b.v);
    equal = m;
  }
  return tests === f.tests && equal === f.equal ? f : { tests, equal };
}

/** The known result of a test under some facts (undefined: unknown). */
function known(n: TestNode, f: Facts): boolean | undefined {
  const r = f.tests.get(n.key);
  if (r !== undefined) return r;
  if (n.valueKey !== undefined) {
    const v = f.equal.get(n.valueKey);
    const p = n.test;
    if (v !== undefined && p.k === 'cmp' && p.b.k === 'const') return v === p.b.v;
  }
  return undefined;
}

/** Lists the test nodes reachable from root, each before every node it leads to. */
export function topological(root: Node): TestNode[] {
  // Iterative post-order depth-first walk (graphs of thousands of tests would overflow a recursive one).
  const order: TestNode[] = [];
  const seen = new Set<Node>();
  const stack: { n: TestNode; next: number }[] = [];
  const push = (n: Node): void => {
    if (n.kind !== 'test' || seen.has(n)) return;
    seen.add(n);
    stack.push({ n, next: 0 });
  };
  push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === 0) {
      top.next = 1;
      push(top.n.t);
    } else if (top.next === 1) {
      top.next = 2;
      push(top.n.f);
    } else {
      stack.pop();
      order.push(top.n);
    }
  }
  return order.reverse();
}

/** One pass of jump threading over known results, then rebuilding (which drops tests whose branches meet). */
function pass(root: Node, b: Builder): Node {
  const order = topological(root);
  const relevant = relevance(order);
  const facts = new Map<Node, Facts>();
  if (root.kind === 'test') facts.set(root, NO_FACTS);
  const redirect = new Map<TestNode, { t: Node; f: Node }>();
  for (const n of order) {
    const here = facts.get(n) ?? NO_FACTS;
    const follow = (target: Node, along: Facts): Node => {
      let cur = target;
      // Bounded per pass (long chains of known tests make this quadratic); later passes continue.
      for (let steps = 0; steps < 64; steps++) {
        if (cur.kind !== 'test') return cur;
        const r = known(cur, along);
        if (r === undefined) return cur;
        cur = r ? cur.t : cur.f;
      }
      return cur;
    };
    const ft = extend(here, n, true, relevant);
    const ff = extend(here, n, false, relevant);
    const t = follow(n.t, ft);
    const f = follow(n.f, ff);
    redirect.set(n, { t, f });
    for (const [target, along] of [
      [t, ft],
      [f, ff],
    ] as const) {
      if (target.kind !== 'test') continue;
      const prev = facts.get(target);
      facts.set(target, prev === undefined ? along : meet(prev, along));
    }
  }
  // Rebuild bottom-up with the new edges; hash-consing merges equal nodes and drops t === f tests.
  const rebuilt = new Map<Node, Node>();
  const rebuild = (n: Node): Node => {
    if (n.kind !== 'test') return n;
    const done = rebuilt.get(n);
    if (done !== undefined) return done;
    const r = redirect.get(n)!;
    const out = b.make(n.test, n.key, rebuild(r.t), rebuild(r.f));
    rebuilt.set(n, out);
    return out;
  };
  // The root's own result may be known from nothing only if it is constant; threading starts at its successors.
  return rebuild(root);
}

function shape(root: Node): string {
  return topological(root)
    .map((n) => `${n.id}`)
    .join(',');
}

/** Builds the decision graph of a test tree, optimized as libpcap's optimizer would (unless `optimize` is off). */
export function buildGraph(p: Pred, optimize: boolean): Node {
  const b = new Builder();
  let root = b.build(p, ACCEPT, REJECT);
  if (!optimize) return root;
  // Each pass costs about (tests × facts); very large filters get fewer passes (their results stay exact
  // for packets captured past the headers they read).
  const size = topological(root).length;
  const passes = size > 5000 ? 2 : size > 1000 ? 5 : 50;
  for (let i = 0; i < passes; i++) {
    const before = shape(root);
    const next = pass(root, b);
    if (next === root && shape(next) === before) break;
    root = next;
  }
  // A constant test first in the program is folded after all (`(2+2) = 4` accepts everything).
  while (root.kind === 'test' && isConstantTest(root.test)) root = evaluateConstant(root.test) ? root.t : root.f;
  return root;
}

function constantOf(v: { k: string; v?: number }): number | undefined {
  return v.k === 'const' || v.k === 'kconst' ? v.v : undefined;
}

function isConstantTest(p: Pred): boolean {
  return p.k === 'cmp' && constantOf(p.a) !== undefined && constantOf(p.b) !== undefined;
}

function evaluateConstant(p: Pred): boolean {
  if (p.k !== 'cmp') return false;
  const a = constantOf(p.a)!;
  const b = constantOf(p.b)!;
  switch (p.op) {
    case '=':
      return a === b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case 'jset':
      return (a & b) !== 0;
  }
}

/** True when some path leads to accept. */
export function reachesAccept(root: Node): boolean {
  if (root.kind !== 'test') return root.kind === 'accept';
  return topological(root).some((n) => n.t === ACCEPT || n.f === ACCEPT);
}

/** Replaces the accumulator in a value by `acc`. */
function withAccumulator(v: Val, acc: Val): Val {
  switch (v.k) {
    case 'acc':
      return acc;
    case 'bin':
      return { ...v, a: withAccumulator(v.a, acc), b: withAccumulator(v.b, acc) };
    case 'neg':
      return { k: 'neg', a: withAccumulator(v.a, acc) };
    default:
      return v;
  }
}

function usesAccumulator(v: Val): boolean {
  return v.k === 'acc' || (v.k === 'bin' && (usesAccumulator(v.a) || usesAccumulator(v.b))) || (v.k === 'neg' && usesAccumulator(v.a));
}

/**
 * `byte N & V` and `byte N | V` test whatever the BPF accumulator holds (libpcap 1.10.3 emits no load):
 * the value the previous test compared, when every way into the test comes from tests of one value;
 * 0 at the start of the program.
 */
export function resolveAccumulator(root: Node): void {
  const order = topological(root);
  /** What A holds along each edge into a node: a value, as a key and the value itself. */
  const incoming = new Map<TestNode, Val[]>();
  const accAfter = (m: TestNode, taken: boolean): Val => {
    const p = m.test;
    if (p.k !== 'cmp') return { k: 'kconst', v: 0xdeadbeef };
    if (p.relation === true) {
      // A = a - b; on the true edge of `=` that is 0.
      return p.op === '=' && taken ? { k: 'const', v: 0 } : { k: 'bin', op: '-', a: p.a, b: p.b };
    }
    if (p.op === '=' && taken && p.b.k === 'const') return p.b;
    return p.a;
  };
  for (const n of order) {
    for (const [next, taken] of [
      [n.t, true],
      [n.f, false],
    ] as const) {
      if (next.kind !== 'test') continue;
      const list = incoming.get(next) ?? [];
      list.push(accAfter(n, taken));
      incoming.set(next, list);
    }
  }
  for (const n of order) {
    const p = n.test;
    if (p.k !== 'cmp' || !(usesAccumulator(p.a) || usesAccumulator(p.b))) continue;
    const from = incoming.get(n) ?? [];
    let acc: Val | undefined = { k: 'const', v: 0 };
    if (from.length > 0) {
      const keys = from.map((v) => JSON.stringify(v));
      acc = keys.every((k) => k === keys[0]) ? from[0]! : undefined;
    }
    if (acc === undefined) continue;
    n.test = { k: 'cmp', op: p.op, a: withAccumulator(p.a, acc), b: withAccumulator(p.b, acc) };
  }
}
