/**
 * TCP flag combinations that normal stacks never send: SYN+FIN, SYN+RST, all six flags, no flags, FIN
 * without ACK. Counted per sending host, packet by packet; what a reported FIN, NULL or XMAS scan of the
 * same host already explains is left out.
 */
import type { Detector, FinishContext } from './detector.js';
import { anyOf, firstFrames, isV6, listSome, plural, sortedHosts, sortedPorts, tcpFlagTest } from './evidence.js';
import type { DecodedPacket } from '../../decode/packet.js';
import { IPPROTO_TCP } from '../../wire/ipv4.js';
import { TCP_ACK_FLAG as TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../decode/tcp.js';
import { hostTextAt } from './hosts.js';
import type { FindingsOptions } from './options.js';
import type { Finding, FindingKind } from './types.js';

/** The six classic flags; ECE and CWR are ignored when naming probes. */
export const TCP_FLAG_MASK = 0x3f;

/** The combinations, each with the flags-byte test (mask, value) that selects it. */
export const ODD_COMBINATIONS = [
  { name: 'all flags', mask: TCP_FLAG_MASK, value: TCP_FLAG_MASK, scan: undefined },
  { name: 'SYN+FIN', mask: TCP_SYN | TCP_FIN, value: TCP_SYN | TCP_FIN, scan: undefined },
  { name: 'SYN+RST', mask: TCP_SYN | TCP_RST, value: TCP_SYN | TCP_RST, scan: undefined },
  { name: 'no flags', mask: TCP_FLAG_MASK, value: 0, scan: 'null-scan' },
  { name: 'FIN+PSH+URG (XMAS)', mask: TCP_FLAG_MASK, value: TCP_FIN | TCP_PSH | TCP_URG, scan: 'xmas-scan' },
  { name: 'FIN without ACK', mask: TCP_FIN | TCP_ACK, value: TCP_FIN, scan: 'fin-scan' },
] as const satisfies readonly { name: string; mask: number; value: number; scan: FindingKind | undefined }[];

/** Which combination a flags byte is, or -1 for a normal one. */
export function oddCombination(flags: number): number {
  const f = flags & TCP_FLAG_MASK;
  // The usual segment (ACK without SYN+FIN, SYN+RST or every flag) is none of them: say so at once.
  if ((f & TCP_ACK) !== 0 && (f & (TCP_SYN | TCP_FIN)) !== (TCP_SYN | TCP_FIN) && (f & (TCP_SYN | TCP_RST)) !== (TCP_SYN | TCP_RST) && f !== TCP_FLAG_MASK) return -1;
  for (let i = 0; i < ODD_COMBINATIONS.length; i++) {
    const c = ODD_COMBINATIONS[i]!;
    if ((f & c.mask) === c.value) return i;
  }
  return -1;
}

class OddHost {
  readonly counts = new Array<number>(ODD_COMBINATIONS.length).fill(0);
  readonly frames: number[][] = ODD_COMBINATIONS.map(() => []);
  readonly targets = new Set<string>();
  readonly ports = new Set<number>();
  start = Infinity;
  end = -Infinity;
}

export class OddFlagsDetector implements Detector {
  /** Per sending host (as text), in the order first seen. */
  private hosts = new Map<string, OddHost>();

  constructor(private readonly options: FindingsOptions) {}

  /** What was counted, for the detector of another thread to go on from (`adopt`; structured-cloneable). */
  state(): Map<string, OddHost> {
    return this.hosts;
  }

  /** Takes over what another thread's detector counted (its `state()`), before any packet here. */
  adopt(state: Map<string, OddHost>): void {
    this.hosts = state;
  }

  packet(p: DecodedPacket): void {
    // tcpFlags is -1 unless the whole fixed TCP header was captured.
    if (p.protocol !== IPPROTO_TCP || p.tcpFlags < 0) return;
    const which = oddCombination(p.tcpFlags);
    if (which < 0) return;
    const src = hostTextAt(p.ipVersion, p.src, 0);
    const ts = p.time();
    let h = this.hosts.get(src);
    if (h === undefined) this.hosts.set(src, (h = new OddHost()));
    h.counts[which]!++;
    if (h.frames[which]!.length < this.options.sampleFrames) h.frames[which]!.push(p.frame);
    if (h.targets.size < 1000) h.targets.add(hostTextAt(p.ipVersion, p.dst, 0));
    if (h.ports.size < 1000) h.ports.add(p.dstPort);
    if (ts < h.start) h.start = ts;
    if (ts > h.end) h.end = ts;
  }

  finish(ctx: FinishContext): Finding[] {
    const out: Finding[] = [];
    for (const [src, h] of this.hosts) {
      const scans = ctx.scanKinds.get(src);
      const kept: number[] = [];
      for (let i = 0; i < ODD_COMBINATIONS.length; i++) {
        const c = ODD_COMBINATIONS[i]!;
        if (h.counts[i] === 0) continue;
        // What a reported FIN, NULL or XMAS scan of this host sent is already explained there.
        if (c.scan !== undefined && scans?.has(c.scan)) continue;
        kept.push(i);
      }
      const total = kept.reduce((a, i) => a + h.counts[i]!, 0);
      if (kept.length === 0 || total < this.options.oddFlagsPackets) continue;
      const counts: Record<string, number> = {};
      for (const i of kept) counts[ODD_COMBINATIONS[i]!.name] = h.counts[i]!;
      const v6 = isV6(src);
      const tests = kept.map((i) => tcpFlagTest(v6, ODD_COMBINATIONS[i]!.mask, ODD_COMBINATIONS[i]!.value));
      const what = kept.map((i) => `${h.counts[i]} ${ODD_COMBINATIONS[i]!.name}`).join(', ');
      const targets = sortedHosts(h.targets);
      out.push({
        kind: 'odd-flags',
        severity: total >= 5 ? 'medium' : 'low',
        source: src,
        targets,
        ports: sortedPorts(h.ports),
        start: h.start,
        end: h.end,
        packets: total,
        frames: firstFrames(kept.flatMap((i) => h.frames[i]!), this.options.sampleFrames),
        explanation:
          `${src} sent ${plural(total, 'TCP packet')} with flag combinations no normal stack sends (${what}) ` +
          `to ${listSome(targets, 4)}: crafted packets, as scanners, fingerprinting tools and evasion attempts send.`,
        filter: `src host ${src} and ${anyOf(tests.map((t) => (t.includes(' and ') ? `(${t})` : t)))}`,
        details: { type: 'counts', counts },
      });
    }
    return out;
  }
}
