/**
 * Numbers for host addresses: each connection's two hosts are numbered once, from their address words,
 * and the detectors keep their per-host state in arrays indexed by that number instead of maps keyed by
 * text. The numbering is an open-addressing table over the address words, so a host seen before costs a
 * hash and a compare: no text is formatted or hashed for it.
 */
import { ipv4ToString, ipv6ToString } from '../../decode/address.js';
import { isV6 } from './evidence.js';

/** Private, loopback, link-local and shared (CGNAT) addresses: both ends private means no outside server. */
export function isPrivate(host: string): boolean {
  if (isV6(host)) {
    const h = host.toLowerCase();
    return h === '::1' || h.startsWith('fe8') || h.startsWith('fe9') || h.startsWith('fea') || h.startsWith('feb') || h.startsWith('fc') || h.startsWith('fd');
  }
  // The first two octets, read in place (this runs once per host; no split, no arrays).
  let a = 0;
  let i = 0;
  for (; i < host.length && host.charCodeAt(i) !== 0x2e; i++) a = a * 10 + host.charCodeAt(i) - 0x30;
  let b = 0;
  for (i++; i < host.length && host.charCodeAt(i) !== 0x2e; i++) b = b * 10 + host.charCodeAt(i) - 0x30;
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** The low address bits that index HostIds' table of recent IPv4 hosts. */
const V4_NEAR_MASK = 0xffff;

/** Words per host in `keys`: the version, then the four address words. */
const HOST_WORDS = 5;

function hostHash(version: number, w0: number, w1: number, w2: number, w3: number): number {
  let h = Math.imul(w3 ^ version, 0x9e3779b1);
  h = Math.imul(h ^ w2 ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ w0 ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Says, from its address words, whether a host is private as `isPrivate` says of its text (the same
 * prefixes of the canonical text: for IPv6, the first group's hex digits).
 */
export function isPrivateAt(version: number, w0: number, w1: number, w2: number, w3: number): boolean {
  if (version === 4) {
    const a = w3 >>> 24;
    const b = (w3 >>> 16) & 0xff;
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 1) return true;
  // The text starts with the first group without leading zeros (a zero group starts '::' or '0:').
  const g = w0 >>> 16;
  const lead = g >= 0x1000 ? g >>> 8 : g >= 0x100 ? g >>> 4 : g;
  if (g >= 0x10 && (lead === 0xfc || lead === 0xfd)) return true;
  const lead3 = g >= 0x1000 ? g >>> 4 : g;
  return g >= 0x100 && lead3 >= 0xfe8 && lead3 <= 0xfeb;
}

export class HostIds {
  /** Name -> number, built only when `find` is first asked (at judging time), not per new host. */
  private readonly ids = new Map<string, number>();
  private indexed = 0;
  /** Each host's text, '' until first asked (`name`): most hosts are never named in a finding. */
  private readonly texts: string[] = [];
  private keys = new Uint32Array(1024 * HOST_WORDS);
  /** Host number + 1 per slot, or 0. */
  private slots = new Int32Array(2048);

  /** Hosts numbered so far. */
  get count(): number {
    return this.texts.length;
  }

  /** A host's address as text. */
  name(id: number): string {
    let s = this.texts[id]!;
    if (s === '') {
      const b = id * HOST_WORDS;
      const k = this.keys;
      s = k[b] === 4 ? ipv4ToString(k[b + 4]! >>> 0) : ipv6ToString([k[b + 1]!, k[b + 2]!, k[b + 3]!, k[b + 4]!]);
      this.texts[id] = s;
    }
    return s;
  }

  /** The number of a host given by text, given on first sight. */
  id(name: string): number {
    let id = this.find(name);
    if (id < 0) {
      id = this.texts.length;
      this.texts.push(name);
      this.setPrivacy(id, isPrivate(name));
    }
    return id;
  }

  private setPrivacy(id: number, yes: boolean): void {
    if (id >= this.privacy.length) {
      const a = new Uint8Array(Math.max(id + 1, this.privacy.length * 2));
      a.set(this.privacy);
      this.privacy = a;
    }
    this.privacy[id] = yes ? 1 : 0;
  }

  /** The number of the host whose address is words a[o..o+3] (IPv4 in the last word), given on first sight. */
  idAt(version: number, a: Uint32Array, o: number): number {
    const w3 = a[o + 3]!;
    const near = (w3 & V4_NEAR_MASK) * 2;
    if (version === 4 && this.v4Near[near] === w3 && this.v4Near[near + 1] !== 0) return this.v4Near[near + 1]! - 1;
    const id = this.lookup(version, a[o]!, a[o + 1]!, a[o + 2]!, w3);
    if (version === 4) {
      this.v4Near[near] = w3;
      this.v4Near[near + 1] = id + 1;
    }
    return id;
  }

  /**
   * IPv4 hosts by their address's low 16 bits, (address, number + 1) each: the hosts of a /16 network never
   * collide here, and this small table stays in cache where the whole one (keys and slots, megabytes for a
   * hundred thousand hosts) costs two misses a lookup.
   */
  private readonly v4Near = new Uint32Array((V4_NEAR_MASK + 1) * 2);

  private lookup(version: number, w0: number, w1: number, w2: number, w3: number): number {
    const h = hostHash(version, w0, w1, w2, w3);
    const mask = this.slots.length - 1;
    const k = this.keys;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === 0) break;
      const b = (s - 1) * HOST_WORDS;
      if (k[b + 4] === w3 && k[b] === version && k[b + 3] === w2 && k[b + 2] === w1 && k[b + 1] === w0) return s - 1;
    }
    // Numbered from the words alone: the text is made only if a finding names the host.
    const id = this.texts.length;
    this.texts.push('');
    this.setPrivacy(id, isPrivateAt(version, w0, w1, w2, w3));
    this.remember(id, version, w0, w1, w2, w3, h);
    return id;
  }

  /** Says whether host `id` is private, loopback, link-local or shared (see isPrivate), known from first sight. */
  isPrivate(id: number): boolean {
    return this.privacy[id] === 1;
  }
  private privacy = new Uint8Array(1024);

  /** The number of a host already seen, or -1. */
  find(name: string): number {
    // Brings the name index up to date with the hosts numbered since it was last asked.
    for (; this.indexed < this.texts.length; this.indexed++) {
      const text = this.name(this.indexed);
      if (!this.ids.has(text)) this.ids.set(text, this.indexed);
    }
    return this.ids.get(name) ?? -1;
  }

  private remember(id: number, version: number, w0: number, w1: number, w2: number, w3: number, h: number): void {
    if ((id + 1) * HOST_WORDS > this.keys.length) {
      const keys = new Uint32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    const b = id * HOST_WORDS;
    this.keys[b] = version;
    this.keys[b + 1] = w0;
    this.keys[b + 2] = w1;
    this.keys[b + 3] = w2;
    this.keys[b + 4] = w3;
    this.place(id, h);
    if (this.texts.length * 2 > this.slots.length) this.rehash();
  }

  private place(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  /** Doubles the slots and places every host numbered from its words again. */
  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const k = this.keys;
    for (const s of old) {
      if (s === 0) continue;
      const b = (s - 1) * HOST_WORDS;
      this.place(s - 1, hostHash(k[b]!, k[b + 1]!, k[b + 2]!, k[b + 3]!, k[b + 4]!));
    }
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
      if (v !== undefined) yield [this.hosts.name(i), v];
    }
  }
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

/**
 * Rows numbered by a pair of host numbers (source, destination), in an open-addressing table over
 * Int32Arrays: a lookup neither allocates nor hashes a boxed number, as a Map keyed by
 * `source * 2^26 + destination` would.
 */
export class PairIndex {
  /** Per slot: source, destination, row + 1 (0 when empty). */
  private slots = new Int32Array(3 * 4096);
  private mask = 4095;
  /** Rows numbered so far. */
  size = 0;

  /** The row of pair (a, b), numbered on first sight; `created` says whether it was new. */
  row(a: number, b: number): number {
    const s = this.slots;
    for (let i = pairHash(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const v = s[i * 3 + 2]!;
      if (v === 0) {
        s[i * 3] = a;
        s[i * 3 + 1] = b;
        s[i * 3 + 2] = ++this.size;
        this.created = true;
        if (this.size * 2 > this.mask + 1) this.grow();
        return this.size - 1;
      }
      if (s[i * 3] === a && s[i * 3 + 1] === b) {
        this.created = false;
        return v - 1;
      }
    }
  }
  created = false;

  /** The row of pair (a, b), or -1 when never numbered. */
  find(a: number, b: number): number {
    const s = this.slots;
    for (let i = pairHash(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const v = s[i * 3 + 2]!;
      if (v === 0) return -1;
      if (s[i * 3] === a && s[i * 3 + 1] === b) return v - 1;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(3 * (this.mask + 1));
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === 0) continue;
      let i = pairHash(old[j]!, old[j + 1]!) & this.mask;
      while (this.slots[i * 3 + 2] !== 0) i = (i + 1) & this.mask;
      this.slots[i * 3] = old[j]!;
      this.slots[i * 3 + 1] = old[j + 1]!;
      this.slots[i * 3 + 2] = old[j + 2]!;
    }
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}
