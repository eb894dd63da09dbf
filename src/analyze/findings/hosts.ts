/**
 * Numbers for host addresses: the connection table names each connection's two hosts once, and the
 * detectors keep their per-host state in arrays indexed by that number instead of maps keyed by text
 * (one lookup per connection instead of one per detector, on maps that grow with the capture).
 */
import { ipv4ToString, ipv6ToString } from '../../decode/address.js';

const ID_CACHE_SIZE = 1 << 16;

export class HostIds {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  /** The number of a host, given on first sight. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /**
   * The number of an IPv4 host (its address as a number, and its text): a direct-mapped cache in front of
   * the map answers most lookups without hashing the text.
   */
  id4(addr: number, name: string): number {
    const i = (Math.imul(addr, 0x9e3779b1) >>> 16) & (ID_CACHE_SIZE - 1);
    if (this.cacheAddr[i] === addr) return this.cacheId[i]!;
    const id = this.id(name);
    this.cacheAddr[i] = addr;
    this.cacheId[i] = id;
    return id;
  }
  private readonly cacheAddr = new Float64Array(ID_CACHE_SIZE).fill(-1);
  private readonly cacheId = new Int32Array(ID_CACHE_SIZE);

  /** The number of a host already seen, or -1. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }
}

/** Per-host values, indexed by host number. */
export class HostMap<V> {
  private readonly values: (V | undefined)[] = [];

  constructor(readonly hosts: HostIds) {}

  get(id: number): V | undefined {
    return this.values[id];
  }

  set(id: number, v: V): void {
    while (this.values.length < id) this.values.push(undefined);
    this.values[id] = v;
  }

  /** The value for a host by name. */
  byName(name: string): V | undefined {
    const id = this.hosts.find(name);
    return id < 0 ? undefined : this.values[id];
  }

  /** Every host with a value, with its name. */
  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v !== undefined) yield [this.hosts.names[i]!, v];
    }
  }
}

/** Formats an IPv4 address held in an unsigned 32-bit number. */
export function ip4Text(a: number): string {
  return ipv4ToString(a >>> 0);
}

/**
 * Formats an IPv4 address through a small direct-mapped cache: the same address gives the same string
 * object, so the detectors' maps keyed by address text hash it once, and no new string is made.
 */
export function ip4TextCached(a: number): string {
  const i = (Math.imul(a, 0x9e3779b1) >>> 20) & (TEXT_CACHE_SIZE - 1);
  if (textCacheKey[i] === a) return textCacheValue[i]!;
  const s = ipv4ToString(a >>> 0);
  textCacheKey[i] = a;
  textCacheValue[i] = s;
  return s;
}

/** Formats an IPv6 address given as four 32-bit words through a direct-mapped cache (see ip4TextCached). */
export function ip6TextCached(w0: number, w1: number, w2: number, w3: number): string {
  const i = (Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 0x9e3779b1), 0x85ebca6b) >>> 20) & (TEXT_CACHE_SIZE - 1);
  const k = i * 4;
  if (text6Key[k] === w0 && text6Key[k + 1] === w1 && text6Key[k + 2] === w2 && text6Key[k + 3] === w3 && text6Value[i] !== '') return text6Value[i]!;
  const s = ipv6ToString([w0, w1, w2, w3]);
  text6Key[k] = w0;
  text6Key[k + 1] = w1;
  text6Key[k + 2] = w2;
  text6Key[k + 3] = w3;
  text6Value[i] = s;
  return s;
}

/** Formats the address in words a[o..o+3] (IPv4 in the last word), cached. */
export function hostTextAt(version: number, a: Uint32Array, o: number): string {
  return version === 4 ? ip4TextCached(a[o + 3]!) : ip6TextCached(a[o]!, a[o + 1]!, a[o + 2]!, a[o + 3]!);
}

const TEXT_CACHE_SIZE = 4096;
const text6Key = new Uint32Array(TEXT_CACHE_SIZE * 4);
const text6Value: string[] = new Array<string>(TEXT_CACHE_SIZE).fill('');
const textCacheKey = new Float64Array(TEXT_CACHE_SIZE).fill(-1);
const textCacheValue: string[] = new Array<string>(TEXT_CACHE_SIZE).fill('');
