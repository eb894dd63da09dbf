/**
 * Numbers for host addresses: the connection table names each connection's two hosts once, and the
 * detectors keep their per-host state in arrays indexed by that number instead of maps keyed by text
 * (one lookup per connection instead of one per detector, on maps that grow with the capture).
 */
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
