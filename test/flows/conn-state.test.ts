/**
 * Zeek's conn_state and history, on captures built packet by packet: one scenario per state (the shapes
 * of CONNECTION-STATES.md, including the nmap scan table), and conn_state's decision order as a table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conversations } from '../../src/analyze/conversations.js';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import {
  connState,
  EP_ACTIVE,
  EP_CLOSED,
  EP_ESTABLISHED,
  EP_INACTIVE,
  EP_PARTIAL,
  EP_RESET,
  EP_SYN_ACK_SENT,
  EP_SYN_SENT,
} from '../../src/flows/states.js';
import { tempCapture } from '../analyze/built.js';

const C = '10.0.0.2';
const S = '10.0.0.1';
const T = 1700000000;

type Seg = [from: 'c' | 's', flags: string, seq?: number, payload?: number, window?: number];

/** Builds one TCP flow from a list of segments and returns its single conversation. */
async function flowOf(segs: Seg[], v6 = false) {
  const cap = new CaptureBuilder();
  const c = v6 ? '2001:db8::2' : C;
  const s = v6 ? '2001:db8::1' : S;
  let t = T;
  for (const [from, flags, seq, len, win] of segs) {
    const fromClient = from === 'c';
    cap.tcp(t, fromClient ? c : s, fromClient ? s : c, {
      sport: fromClient ? 40000 : 80,
      dport: fromClient ? 80 : 40000,
      seq: seq ?? (fromClient ? 1000 : 5000),
      ack: flags.includes('A') ? 1 : 0,
      flags,
      window: win ?? 1024,
      payload: new Uint8Array(len ?? 0),
    });
    t += 0.01;
  }
  const r = await conversations(tempCapture(cap));
  assert.equal(r.conversations.length, 1, 'one flow');
  return r.conversations[0]!;
}

const SCENARIOS: { name: string; segs: Seg[]; state: string; history: string; orig?: 'c' | 's' }[] = [
  { name: 'S0: SYN unanswered', segs: [['c', 'S']], state: 'S0', history: 'S' },
  { name: 'S0: SYN retransmitted with the same ISN', segs: [['c', 'S'], ['c', 'S']], state: 'S0', history: 'S' },
  { name: 'S0 with two ISNs gives two S', segs: [['c', 'S', 1], ['c', 'S', 2]], state: 'S0', history: 'SS' },
  { name: 'S1: handshake, no close', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'PA', 1001, 10], ['s', 'A']], state: 'S1', history: 'ShADa' },
  {
    name: 'SF: open and close',
    segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'PA', 1001, 10], ['s', 'PA', 5001, 20], ['c', 'FA', 1011], ['s', 'FA', 5021], ['c', 'A']],
    state: 'SF',
    history: 'ShADdFf',
  },
  { name: 'REJ: SYN answered by RST', segs: [['c', 'S'], ['s', 'RA', 0]], state: 'REJ', history: 'Sr' },
  { name: 'S2: originator FIN only', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'FA']], state: 'S2', history: 'ShAF' },
  { name: 'S3: responder FIN only', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['s', 'FA']], state: 'S3', history: 'ShAf' },
  { name: 'RSTO: SYN scan of an open port', segs: [['c', 'S'], ['s', 'SA'], ['c', 'R', 1001]], state: 'RSTO', history: 'ShR' },
  { name: 'RSTO: connect scan', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'RA', 1001]], state: 'RSTO', history: 'ShAR' },
  { name: 'RSTR: established, responder resets', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['s', 'RA', 5001]], state: 'RSTR', history: 'ShAr' },
  { name: 'RSTR: FIN scan, closed port', segs: [['c', 'F'], ['s', 'RA', 0]], state: 'RSTR', history: 'Fr' },
  { name: 'RSTOS0: SYN then RST, no SYN/ACK', segs: [['c', 'S'], ['c', 'R', 1001]], state: 'RSTOS0', history: 'SR' },
  { name: 'RSTRH: ACK scan answered by RST', segs: [['c', 'A'], ['s', 'R', 1]], state: 'RSTRH', history: 'Ar' },
  { name: 'RSTRH: NULL scan, closed port', segs: [['c', ''], ['s', 'RA', 0]], state: 'RSTRH', history: 'r' },
  { name: 'SH: FIN scan, open port (silence)', segs: [['c', 'F']], state: 'SH', history: 'F' },
  { name: 'SH: XMAS probe', segs: [['c', 'FPU']], state: 'SH', history: 'F' },
  { name: 'SHR: responder SYN/ACK then FIN, SYN not seen', segs: [['s', 'SA'], ['s', 'FA']], state: 'SHR', history: '^hf', orig: 'c' },
  { name: 'OTH: NULL probe, silence', segs: [['c', '']], state: 'OTH', history: '' },
  { name: 'OTH: midstream data', segs: [['c', 'PA', 1, 100], ['s', 'A']], state: 'OTH', history: 'Da' },
  { name: 'Q: SYN+FIN probe', segs: [['c', 'SF']], state: 'SH', history: 'Q' },
  { name: 'I: FIN+RST', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'FRA']], state: 'RSTO', history: 'ShAI' },
  {
    name: 'RST after both FINs changes nothing',
    segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'FA'], ['s', 'FA'], ['c', 'R', 1002]],
    state: 'SF',
    history: 'ShAFfR',
  },
  { name: 'retransmitted payload gives t', segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ['s', 'PA', 5001, 10], ['s', 'PA', 5001, 10]], state: 'S1', history: 'ShAdt' },
  {
    name: 'zero windows give w at 1 and 10 (logarithmic)',
    segs: [['c', 'S'], ['s', 'SA'], ['c', 'A'], ...Array.from({ length: 10 }, (): Seg => ['s', 'A', 5001, 0, 0])],
    state: 'S1',
    history: 'ShAaww',
  },
];

for (const sc of SCENARIOS) {
  test(`conn_state ${sc.name}`, async () => {
    const r = await flowOf(sc.segs);
    assert.equal(r.state, sc.state);
    assert.equal(r.history, sc.history);
    if (sc.orig === 'c') assert.equal(r.orig.ip, C, 'the flip makes the SYN/ACK receiver the originator');
  });
}

test('conn_state is the same over IPv6', async () => {
  const r = await flowOf([['c', 'S'], ['s', 'SA'], ['c', 'A'], ['c', 'FA'], ['s', 'FA'], ['c', 'A']], true);
  assert.equal(r.state, 'SF');
  assert.equal(r.history, 'ShAFf');
  assert.equal(r.orig.ip, '2001:db8::2');
});

test('UDP states: SF both ways, S0 request only, SHR reply only', async () => {
  const cap = new CaptureBuilder();
  cap.dns({ t: T, client: C, cport: 50000, server: S, id: 1, name: 'a.example' });
  cap.dns({ t: T + 1, client: C, cport: 50001, server: S, id: 2, name: 'b.example', rtt: null });
  cap.udp(T + 2, S, 53, C, 50002, new Uint8Array(20));
  const r = await conversations(tempCapture(cap));
  const by = (port: number) => r.conversations.find((x) => x.orig.port === port || x.resp.port === port)!;
  assert.deepEqual([by(50000).state, by(50000).history, by(50000).answered], ['SF', 'Dd', true]);
  assert.deepEqual([by(50001).state, by(50001).history, by(50001).answered], ['S0', 'D', false]);
  // A reply seen alone: its sender is the originator of the flow (first packet), which Zeek calls SF... from
  // the other side; pcapsift keeps the first packet's sender as originator.
  assert.equal(by(50002).packets.orig, 1);
});

test('an ICMP port unreachable marks the UDP flow it quotes as rejected', async () => {
  const cap = new CaptureBuilder();
  const probe = cap.udp(T, C, 40000, S, 7777, new Uint8Array(8));
  cap.portUnreachable(T + 0.001, S, probe);
  const c6 = '2001:db8::2';
  const s6 = '2001:db8::1';
  const probe6 = cap.udp(T + 1, c6, 40001, s6, 7778, new Uint8Array(8));
  cap.portUnreachable(T + 1.001, s6, probe6);
  const r = await conversations(tempCapture(cap));
  const udp = r.conversations.filter((x) => x.proto === 'udp');
  assert.equal(udp.length, 2);
  for (const u of udp) {
    assert.equal(u.rejected, true);
    assert.equal(u.answered, false);
    assert.equal(u.state, 'S0');
  }
  // Zeek also logs the ICMP error as its own flow.
  assert.equal(r.conversations.filter((x) => x.proto === 'icmp' || x.proto === 'icmp6').length, 2);
});

test('ICMP echo request and reply form one answered flow keyed (8, 0)', async () => {
  const cap = new CaptureBuilder();
  cap.ping(T, C, S, 1, 1);
  cap.ping(T + 1, C, S, 1, 2);
  const r = await conversations(tempCapture(cap));
  assert.equal(r.conversations.length, 1);
  const f = r.conversations[0]!;
  assert.deepEqual([f.proto, f.orig.ip, f.orig.port, f.resp.port, f.packets.orig, f.packets.resp, f.state, f.answered], ['icmp', C, 8, 0, 2, 2, 'OTH', true]);
});

// conn_state()'s decision order, as a table of (orig state, resp state, bytes, history) -> state.
const TABLE: [number, number, number, number, string, string][] = [
  [EP_SYN_SENT, EP_RESET, 0, 0, 'Sr', 'REJ'],
  [EP_SYN_ACK_SENT, EP_RESET, 0, 0, 'Hr', 'REJ'],
  [EP_RESET, EP_RESET, 0, 0, 'SrR', 'REJ'],
  [EP_RESET, EP_RESET, 5, 0, 'SDrR', 'RSTR'],
  [EP_PARTIAL, EP_RESET, 0, 0, 'Ar', 'RSTRH'],
  [EP_INACTIVE, EP_RESET, 0, 0, 'r', 'RSTRH'],
  [EP_ESTABLISHED, EP_RESET, 0, 0, 'ShAr', 'RSTR'],
  [EP_CLOSED, EP_RESET, 0, 0, 'Fr', 'RSTR'],
  [EP_RESET, EP_INACTIVE, 0, 0, 'SR', 'RSTOS0'],
  [EP_RESET, EP_INACTIVE, 0, 0, '^SR', 'RSTOS0'],
  [EP_RESET, EP_INACTIVE, 0, 0, 'SAR', 'OTH'],
  [EP_RESET, EP_PARTIAL, 0, 0, 'DaR', 'OTH'],
  [EP_RESET, EP_ESTABLISHED, 0, 0, 'ShR', 'RSTO'],
  [EP_CLOSED, EP_CLOSED, 0, 0, 'ShAFf', 'SF'],
  [EP_CLOSED, EP_INACTIVE, 0, 0, 'F', 'SH'],
  [EP_CLOSED, EP_ESTABLISHED, 0, 0, 'ShAF', 'S2'],
  [EP_INACTIVE, EP_CLOSED, 0, 0, 'f', 'SHR'],
  [EP_ESTABLISHED, EP_CLOSED, 0, 0, 'ShAf', 'S3'],
  [EP_SYN_SENT, EP_INACTIVE, 0, 0, 'S', 'S0'],
  [EP_SYN_SENT, EP_PARTIAL, 0, 0, 'Sa', 'OTH'],
  [EP_ESTABLISHED, EP_ESTABLISHED, 0, 0, 'ShA', 'S1'],
  [EP_PARTIAL, EP_PARTIAL, 0, 0, 'Dd', 'OTH'],
];

test('conn_state decision table (Zeek conn_state())', () => {
  for (const [os, rs, ob, rb, hist, want] of TABLE) assert.equal(connState('tcp', os, rs, ob, rb, hist), want, `${os} ${rs} ${hist}`);
  assert.equal(connState('udp', EP_ACTIVE, EP_ACTIVE, 0, 0, 'Dd'), 'SF');
  assert.equal(connState('udp', EP_ACTIVE, EP_INACTIVE, 0, 0, 'D'), 'S0');
  assert.equal(connState('udp', EP_INACTIVE, EP_ACTIVE, 0, 0, 'd'), 'SHR');
  assert.equal(connState('udp', EP_INACTIVE, EP_INACTIVE, 0, 0, ''), 'OTH');
  assert.equal(connState('other', EP_ACTIVE, EP_ACTIVE, 0, 0, ''), 'OTH');
});
