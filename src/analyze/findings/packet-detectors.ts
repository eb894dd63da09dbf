/**
 * The detectors that judge packets one by one, not flows (odd TCP flags, NXDOMAIN bursts, malformed
 * packets), with the packet and VLAN counts: one thread runs them on every packet, this one or, when the
 * flows are tracked on several threads, the worker that reads every packet (share-tracker.ts), whose
 * counts this thread then adopts.
 */
import type { DecodedPacket } from '../../decode/packet.js';
import { NxdomainDetector } from './nxdomain.js';
import { OddFlagsDetector } from './odd-flags.js';
import type { FindingsOptions } from './options.js';
import { WeirdDetector } from './weird.js';

/** What the packet detectors counted, as another thread hands it over (structured-cloneable). */
export interface PacketCounts {
  packets: number;
  vlanTags: number;
  oddFlags: ReturnType<OddFlagsDetector['state']>;
  nxdomain: ReturnType<NxdomainDetector['state']>;
  weird: ReturnType<WeirdDetector['state']>;
}

export class PacketDetectors {
  readonly oddFlags: OddFlagsDetector;
  readonly nxdomain: NxdomainDetector;
  readonly weird: WeirdDetector;
  /** Packets seen. */
  packets = 0;
  /** The most VLAN tags any packet carried. */
  vlanTags = 0;

  constructor(options: FindingsOptions) {
    this.oddFlags = new OddFlagsDetector(options);
    this.nxdomain = new NxdomainDetector(options);
    this.weird = new WeirdDetector(options);
  }

  packet(p: DecodedPacket): void {
    this.packets++;
    if (p.vlanCount > this.vlanTags) this.vlanTags = p.vlanCount;
    this.oddFlags.packet(p);
    this.nxdomain.packet(p);
    this.weird.packet(p);
  }

  counts(): PacketCounts {
    return { packets: this.packets, vlanTags: this.vlanTags, oddFlags: this.oddFlags.state(), nxdomain: this.nxdomain.state(), weird: this.weird.state() };
  }

  /** Takes over what another thread counted (its `counts()`), in place of any packet seen here. */
  adopt(c: PacketCounts): void {
    this.packets = c.packets;
    this.vlanTags = c.vlanTags;
    this.oddFlags.adopt(c.oddFlags);
    this.nxdomain.adopt(c.nxdomain);
    this.weird.adopt(c.weird);
  }
}
