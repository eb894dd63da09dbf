/**
 * tcpdump's timestamps (util-print.c ts_print) for every -t mode. Local time follows TZ: the UTC offset
 * is looked up once per hour of capture time (Date is slow), and the date text once per day.
 */
import type { PrintOptions } from './options.js';

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function frac(units: number, nano: boolean): string {
  // The common case, in range, without padStart: 1000000 + units has exactly one extra leading digit.
  if (nano) {
    if (units < 1e9) return String(1e9 + units).slice(1);
  } else if (units < 1e6) return String(1e6 + units).slice(1);
  const s = String(units);
  const width = nano ? 9 : 6;
  return s.length >= width ? s : '000000000'.slice(0, width - s.length) + s;
}

/** Civil date (proleptic Gregorian) of a day number since 1970-01-01 (Howard Hinnant's algorithm). */
function civil(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${PAD2[m]}-${PAD2[d]}`;
}

export class TimestampFormatter {
  private offsetHour = NaN;
  private offsetSec = 0;
  private dateDay = NaN;
  private dateText = '';
  /** -ttt / -ttttt reference (seconds, fraction units). */
  private refSec = 0;
  private refFrac = 0;
  private refSet = false;
  /** The last second printed in the default mode and its `HH:MM:SS.` text. */
  private lastSec = NaN;
  private lastPrefix = '';

  constructor(private readonly opts: PrintOptions) {}

  private localOffset(sec: number): number {
    const hour = Math.floor(sec / 3600);
    if (hour !== this.offsetHour) {
      this.offsetHour = hour;
      this.offsetSec = -new Date(sec * 1000).getTimezoneOffset() * 60;
    }
    return this.offsetSec;
  }

  private hms(t: number): string {
    const s = ((t % 86400) + 86400) % 86400;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${PAD2[h]}:${PAD2[m]}:${PAD2[s % 60]}`;
  }

  private date(t: number): string {
    const day = Math.floor(t / 86400);
    if (day !== this.dateDay) {
      this.dateDay = day;
      this.dateText = civil(day);
    }
    return this.dateText;
  }

  /** Returns the timestamp text with its trailing space ('' for -t). `nsec` is the stored fraction in ns. */
  format(sec: number, nsec: number): string {
    const nano = this.opts.nano;
    // libpcap hands tcpdump microseconds (cut, not rounded) unless --nano asked for nanoseconds.
    const units = nano ? nsec : Math.floor(nsec / 1000);
    switch (this.opts.timestamps) {
      case 1:
        return '';
      case 2:
        if ((sec >>> 0) & 0x80000000) return '[Error converting time] ';
        return `${sec >>> 0}.${frac(units, nano)} `;
      case 3:
      case 5: {
        if (!this.refSet) {
          this.refSet = true;
          this.refSec = sec;
          this.refFrac = units;
        }
        const scale = nano ? 1e9 : 1e6;
        let dSec = sec - this.refSec;
        let dFrac = units - this.refFrac;
        let neg = dSec < 0 || (dSec === 0 && dFrac < 0);
        if (neg) {
          dSec = -dSec;
          dFrac = -dFrac;
        }
        if (dFrac < 0) {
          dFrac += scale;
          dSec -= 1;
        }
        if (this.opts.timestamps === 3) {
          this.refSec = sec;
          this.refFrac = units;
        }
        return `${neg ? '-' : ' '}${this.hms(dSec)}.${frac(dFrac, nano)} `;
      }
      case 4: {
        if ((sec >>> 0) & 0x80000000) return '[Error converting time] ';
        const t = sec + this.localOffset(sec);
        return `${this.date(t)} ${this.hms(t)}.${frac(units, nano)} `;
      }
      default: {
        if (sec !== this.lastSec) {
          if ((sec >>> 0) & 0x80000000) return '[Error converting time] ';
          this.lastSec = sec;
          this.lastPrefix = `${this.hms(sec + this.localOffset(sec))}.`;
        }
        return `${this.lastPrefix}${frac(units, nano)} `;
      }
    }
  }
}
