/**
 * The report page's own code and style. `reportPageMain` runs in the browser: the renderer inlines its
 * source text (`Function.prototype.toString`), so it is type-checked here yet must stay self-contained:
 * no imports at run time, no references to anything outside its body but the DOM and the `uPlot` global.
 *
 * Safety rule for everything below: capture strings reach the DOM through `textContent` or SVG text nodes
 * only, never through innerHTML or an attribute that could run code. Numbers are formatted here.
 */
import type UPlotClass from 'uplot';
import type { ClientSummary, ConversationRow, NameCount, PortCount, ReportFinding, ReportModel, ServiceCount } from './model.js';

/** The uPlot global the inlined library defines. */
declare const uPlot: typeof UPlotClass;

/** The id of the <script type="application/json"> element that carries the model. */
export const REPORT_DATA_ID = 'report-data';

/** Draws the whole report from the embedded model. */
export function reportPageMain(): void {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const COLORS = {
    packets: '#3b6fd8',
    packetsFill: 'rgba(59,111,216,0.18)',
    syn: '#3b6fd8',
    synAck: '#1f9d55',
    rst: '#d64545',
    fin: '#d9901a',
    high: '#d64545',
    medium: '#d9901a',
    low: '#6b7a90',
    bar: '#3b6fd8',
    bar2: '#7c5cc4',
    bar3: '#1f9d55',
    established: '#1f9d55',
    synAckOnly: '#d9901a',
    rejected: '#d64545',
    unanswered: '#9aa5b4',
  };

  const dataEl = document.getElementById('report-data');
  const model = JSON.parse(dataEl?.textContent ?? '{}') as ReportModel;
  const charts: { chart: UPlotClass; host: HTMLElement }[] = [];

  // ---- small DOM helpers: every text goes in as a text node ----
  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function byId(id: string): HTMLElement {
    const e = document.getElementById(id);
    if (!e) throw new Error('missing #' + id);
    return e;
  }
  function num(n: number): string {
    return n.toLocaleString('en-US');
  }
  function bytes(n: number): string {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    let v = n;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)) + ' ' + units[i];
  }
  function pad(n: number, w = 2): string {
    return String(n).padStart(w, '0');
  }
  function time(sec: number | null, withMs = true): string {
    if (sec === null || !Number.isFinite(sec)) return '—';
    const d = new Date(sec * 1000);
    const s =
      d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
    return withMs ? s + '.' + pad(d.getUTCMilliseconds(), 3) : s;
  }
  function duration(sec: number): string {
    if (!Number.isFinite(sec) || sec <= 0) return '0 s';
    if (sec < 1) return (sec * 1000).toFixed(1) + ' ms';
    if (sec < 60) return sec.toFixed(sec < 10 ? 2 : 1) + ' s';
    const h = Math.floor(sec / 3600);
    const m = Math.floor((sec % 3600) / 60);
    const s = Math.floor(sec % 60);
    return h > 0 ? h + ' h ' + pad(m) + ' min' : m + ' min ' + pad(s) + ' s';
  }
  function endpoint(ip: string, port: number | null): string {
    if (port === null) return ip;
    return ip.includes(':') ? '[' + ip + ']:' + port : ip + ':' + port;
  }
  function section(id: string, title: string, subtitle?: string): HTMLElement {
    const s = byId(id);
    s.append(el('h2', undefined, title));
    if (subtitle) s.append(el('p', 'sub', subtitle));
    return s;
  }
  function guard(id: string, draw: () => void): void {
    try {
      draw();
    } catch (err) {
      console.error('report: could not draw ' + id, err);
      const s = document.getElementById(id);
      if (s) s.append(el('p', 'error', 'This part of the report could not be drawn.'));
    }
  }

  /** Draws a horizontal bar chart (SVG) of labelled values; labels are text nodes. */
  function barChart(items: { label: string; value: number; title?: string }[], color: string, unit: string, name: string): Element {
    const rowH = 22;
    const labelW = 168;
    const valueW = 56;
    const width = 380;
    const barW = width - labelW - valueW;
    const max = items.reduce((m, it) => Math.max(m, it.value), 0) || 1;
    const chart = svg('svg', {
      class: 'bars',
      viewBox: `0 0 ${width} ${Math.max(items.length, 1) * rowH + 4}`,
      role: 'img',
      'aria-label': name,
    });
    if (items.length === 0) {
      const t = svg('text', { x: 0, y: 16, class: 'empty' });
      t.textContent = 'none';
      chart.append(t);
      return chart;
    }
    items.forEach((it, i) => {
      const y = i * rowH + 2;
      const g = svg('g', {});
      const title = svg('title', {});
      title.textContent = (it.title ?? it.label) + ': ' + num(it.value) + ' ' + unit;
      g.append(title);
      const label = svg('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'bar-label' });
      label.textContent = it.label.length > 26 ? it.label.slice(0, 25) + '…' : it.label;
      const w = Math.max(1, (it.value / max) * barW);
      const rect = svg('rect', { x: labelW, y: y + 3, width: w.toFixed(1), height: rowH - 7, rx: 2, fill: color });
      const value = svg('text', { x: labelW + w + 6, y: y + 15, class: 'bar-value' });
      value.textContent = num(it.value);
      g.append(label, rect, value);
      chart.append(g);
    });
    return chart;
  }

  /** Draws one stacked horizontal bar of parts (SVG) with a legend. */
  function stackedBar(parts: { label: string; value: number; color: string }[]): Element {
    const wrap = el('div', 'stack');
    const total = parts.reduce((s, p) => s + p.value, 0);
    const width = 1000;
    const chart = svg('svg', { class: 'stackbar', viewBox: `0 0 ${width} 28`, preserveAspectRatio: 'none', role: 'img' });
    let x = 0;
    for (const p of parts) {
      if (p.value === 0 || total === 0) continue;
      const w = (p.value / total) * width;
      const rect = svg('rect', { x: x.toFixed(2), y: 0, width: w.toFixed(2), height: 28, fill: p.color });
      const title = svg('title', {});
      title.textContent = p.label + ': ' + num(p.value);
      rect.append(title);
      chart.append(rect);
      x += w;
    }
    if (total === 0) chart.append(svg('rect', { x: 0, y: 0, width, height: 28, fill: '#e5e9f0' }));
    wrap.append(chart);
    const legend = el('div', 'legend');
    for (const p of parts) {
      const item = el('span', 'legend-item');
      const sw = el('span', 'swatch');
      sw.style.background = p.color;
      item.append(sw, el('span', undefined, p.label + ' '), el('b', undefined, num(p.value)));
      legend.append(item);
    }
    wrap.append(legend);
    return wrap;
  }

  function table(headers: string[], rows: (string | number)[][], numeric: boolean[]): HTMLTableElement {
    const t = el('table', 'data');
    const thead = el('thead');
    const tr = el('tr');
    headers.forEach((h, i) => tr.append(el('th', numeric[i] ? 'num' : undefined, h)));
    thead.append(tr);
    const tbody = el('tbody');
    for (const r of rows) {
      const row = el('tr');
      r.forEach((c, i) => row.append(el('td', numeric[i] ? 'num' : undefined, typeof c === 'number' ? num(c) : c)));
      tbody.append(row);
    }
    t.append(thead, tbody);
    return t;
  }

  // ---- header and facts ----
  function drawHeader(): void {
    const c = model.capture;
    byId('file-name').textContent = c.file;
    byId('generated').textContent = 'Generated ' + time(Date.parse(model.generatedAt) / 1000, false) + ' UTC by ' + model.generator;
    const facts = byId('facts');
    const sev = { high: 0, medium: 0, low: 0 };
    for (const f of model.findings) sev[f.severity]++;
    const day = (sec: number | null) => (sec === null ? '' : time(sec, false).slice(0, 10) + ' UTC');
    const clock = (sec: number | null) => (sec === null ? '—' : time(sec).slice(11));
    const cards: [string, string, string?][] = [
      ['Packets', num(c.packets)],
      ['Bytes on the wire', bytes(c.bytes)],
      ['Duration', duration(c.duration)],
      ['First packet', clock(c.first), day(c.first)],
      ['Last packet', clock(c.last), day(c.last)],
      ['Format', c.format || '—', c.linkTypes.join(', ')],
      ['Hosts', num(c.hosts)],
      ['Conversations', num(model.conversationsTotal)],
      ['Findings', num(model.findings.length), sev.high + ' high · ' + sev.medium + ' medium · ' + sev.low + ' low'],
    ];
    for (const [label, value, note] of cards) {
      const card = el('div', 'fact');
      card.append(el('div', 'fact-label', label), el('div', 'fact-value', value));
      if (note) card.append(el('div', 'fact-note', note));
      if (label === 'Findings' && model.findings.length > 0) card.classList.add(sev.high > 0 ? 'alert-high' : 'alert-medium');
      facts.append(card);
    }
    const protos = byId('protocols');
    const total = c.protocols.reduce((s, p) => s + p.packets, 0);
    const palette = ['#3b6fd8', '#7c5cc4', '#1f9d55', '#d9901a', '#d64545', '#2b9cb3', '#9aa5b4', '#b35c9c'];
    protos.append(
      stackedBar(c.protocols.map((p, i) => ({ label: p.name, value: p.packets, color: palette[i % palette.length]! }))),
    );
    if (total === 0) protos.append(el('p', 'sub', 'No packets.'));
    if (model.notes.length > 0) {
      const ul = el('ul', 'notes');
      for (const n of model.notes) ul.append(el('li', undefined, n));
      byId('overview').append(ul);
    }
  }

  // ---- timeline ----
  /**
   * Marks the findings on a timeline: a dashed line and number where each starts, and its extent as a
   * band; findings that cover most of the view get a thin bar at the top instead, so that a long beacon
   * does not wash out the chart. Numbers that would overlap are left out (the line stays).
   */
  function findingMarkers(): { hooks: { draw: ((u: UPlotClass) => void)[] } } {
    return {
      hooks: {
        draw: [
          (u: UPlotClass) => {
            const ctx = u.ctx;
            const { left, top, width, height } = u.bbox;
            const px = devicePixelRatio;
            ctx.save();
            // uPlot leaves its axis text settings on the context.
            ctx.textAlign = 'left';
            ctx.textBaseline = 'alphabetic';
            ctx.beginPath();
            ctx.rect(left, top, width, height);
            ctx.clip();
            let lastLabel = Number.NEGATIVE_INFINITY;
            let lane = 0;
            model.findings.slice(0, FINDINGS_MARKED).forEach((f, i) => {
              const x0 = u.valToPos(f.start, 'x', true);
              const x1 = u.valToPos(Math.max(f.end, f.start), 'x', true);
              const color = COLORS[f.severity];
              ctx.fillStyle = color;
              if (x1 - x0 > width * 0.3) {
                ctx.globalAlpha = 0.55;
                ctx.fillRect(Math.max(x0, left), top + lane * 4 * px, Math.min(x1, left + width) - Math.max(x0, left), 3 * px);
                lane = (lane + 1) % 4;
              } else if (x1 - x0 > 2) {
                ctx.globalAlpha = 0.08;
                ctx.fillRect(x0, top, x1 - x0, height);
              }
              ctx.globalAlpha = 0.85;
              ctx.strokeStyle = color;
              ctx.lineWidth = 1.25 * px;
              ctx.setLineDash([4 * px, 3 * px]);
              ctx.beginPath();
              ctx.moveTo(x0, top);
              ctx.lineTo(x0, top + height);
              ctx.stroke();
              ctx.setLineDash([]);
              if (x0 - lastLabel > 26 * px) {
                ctx.globalAlpha = 1;
                ctx.font = '600 ' + 11 * px + 'px system-ui, sans-serif';
                ctx.fillText('#' + (i + 1), x0 + 3 * px, top + 28 * px);
                lastLabel = x0;
              }
            });
            ctx.restore();
          },
        ],
      },
    };
  }

  function bucketName(sec: number): string {
    if (sec === 1) return 'second';
    if (sec < 1) return Math.round(sec * 1000) + ' ms';
    if (sec < 60) return sec + ' s';
    if (sec < 3600) return sec / 60 + ' min';
    if (sec < 86400) return sec / 3600 + ' h';
    return sec / 86400 + ' days';
  }

  function drawTimeline(): void {
    const tl = model.timeline;
    const s = section(
      'timeline',
      'Timeline',
      tl.packets.length === 0
        ? 'No packets.'
        : 'Packets per ' + bucketName(tl.bucket) +
            ' (UTC, ' + time(tl.start, false).slice(0, 10) + ')' +
            ', and the TCP flags an analyst watches. Dashed lines mark where findings start (numbers as in Findings' +
            (model.findings.length > FINDINGS_MARKED ? '; the first ' + FINDINGS_MARKED + ' are marked' : '') +
            '). Drag to zoom, double-click to reset.',
    );
    if (tl.packets.length === 0) return;
    const xs = tl.packets.map((_, i) => tl.start + i * tl.bucket);
    const host1 = el('div', 'chart');
    host1.id = 'chart-packets';
    const host2 = el('div', 'chart');
    host2.id = 'chart-flags';
    s.append(host1, host2);
    const width = Math.max(320, host1.clientWidth || s.clientWidth - 48);
    const sync = uPlot.sync('timeline');
    const tzDate = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axisFont = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const grid = { stroke: '#edf0f4', width: 1 };
    // Tick labels in UTC, as precise as the tick spacing needs.
    const tickLabels = (_u: UPlotClass, splits: number[], _axis: number, _space: number, incr: number) =>
      splits.map((v) => {
        const t = time(v);
        if (incr < 1) return t.slice(11, incr < 0.01 ? 23 : incr < 0.1 ? 22 : 21);
        if (incr < 60) return t.slice(11, 19);
        if (incr < 86400) return t.slice(11, 16) + (v % 86400 === 0 ? ' ' + t.slice(5, 10) : '');
        return t.slice(0, 10);
      });
    const axes = (yLabel: string) => [
      { font: axisFont, grid, ticks: { stroke: '#dfe3ea' }, stroke: '#5b6678', space: 80, values: tickLabels },
      { font: axisFont, grid, ticks: { stroke: '#dfe3ea' }, stroke: '#5b6678', label: yLabel, labelFont: axisFont, size: 56 },
    ];
    // Counts start at zero so that bars compare by height.
    const scales = { x: { time: true }, y: { range: (_u: UPlotClass, _min: number, max: number): [number, number] => [0, max > 0 ? max * 1.08 : 1] } };
    const xSeries = { label: 'Time (UTC)', value: (_u: UPlotClass, v: number | null) => (v === null ? '--' : time(v)) };
    const cursor = { sync: { key: sync.key }, drag: { x: true, y: false } };
    const packets = new uPlot(
      {
        width,
        height: 220,
        tzDate,
        cursor,
        plugins: [findingMarkers()],
        scales,
        axes: axes('packets'),
        series: [
          xSeries,
          { label: 'Packets', stroke: COLORS.packets, fill: COLORS.packetsFill, width: 1.5, paths: stepped, points: { show: false } },
        ],
      },
      [xs, tl.packets],
      host1,
    );
    const flags = new uPlot(
      {
        width,
        height: 200,
        tzDate,
        cursor,
        plugins: [findingMarkers()],
        scales,
        axes: axes('segments'),
        series: [
          xSeries,
          { label: 'SYN', stroke: COLORS.syn, width: 1.5, paths: stepped, points: { show: false } },
          { label: 'SYN/ACK', stroke: COLORS.synAck, width: 1.5, paths: stepped, points: { show: false } },
          { label: 'RST', stroke: COLORS.rst, width: 1.5, paths: stepped, points: { show: false } },
          { label: 'FIN', stroke: COLORS.fin, width: 1.5, paths: stepped, points: { show: false } },
        ],
      },
      [xs, tl.syn, tl.synAck, tl.rst, tl.fin],
      host2,
    );
    charts.push({ chart: packets, host: host1 }, { chart: flags, host: host2 });
  }

  // ---- findings ----
  /** Findings shown open at first; the rest start folded to one line each. */
  const FINDINGS_OPEN = 6;
  /** Findings marked on the timeline (they come most severe first). */
  const FINDINGS_MARKED = 40;

  function drawFindings(): void {
    const s = section(
      'findings',
      'Findings',
      model.findings.length === 0
        ? 'Nothing suspicious was found.'
        : 'Each finding says what was seen and why it matters; its filter selects the evidence: tcpdump -nn -r FILE \'FILTER\'.',
    );
    if (model.findings.length === 0) return;
    // A line of counts per kind that also filters the list.
    const kinds = new Map<string, { n: number; severity: string }>();
    for (const f of model.findings) {
      const k = kinds.get(f.kind);
      if (k === undefined) kinds.set(f.kind, { n: 1, severity: f.severity });
      else k.n++;
    }
    const chips = el('div', 'chips');
    let selected = '';
    const cards: { kind: string; card: HTMLElement }[] = [];
    const applyKind = () => {
      for (const c of cards) c.card.hidden = selected !== '' && c.kind !== selected;
      for (const b of chips.querySelectorAll('button')) b.classList.toggle('on', (b as HTMLButtonElement).dataset['kind'] === selected);
    };
    const chip = (kind: string, label: string, severity: string) => {
      const b = el('button', 'chip sev-' + severity, label);
      b.type = 'button';
      b.dataset['kind'] = kind;
      b.addEventListener('click', () => {
        selected = selected === kind ? '' : kind;
        applyKind();
      });
      chips.append(b);
    };
    chip('', 'all ' + model.findings.length, 'all');
    for (const [kind, k] of kinds) chip(kind, kind + ' ' + k.n, k.severity);
    s.append(chips);
    model.findings.forEach((f: ReportFinding, i: number) => {
      const card = el('details', 'finding sev-' + f.severity);
      card.open = i < FINDINGS_OPEN;
      const head = el('summary', 'finding-head');
      const targets = f.targets.length > 6 ? f.targets.slice(0, 6).join(', ') + ' and ' + (f.targets.length - 6) + ' more' : f.targets.join(', ');
      const gist = f.source + (targets ? ' → ' + (f.targets.length > 2 ? f.targets.length + ' hosts' : targets) : '') + ' · ' + num(f.packets) + ' packets · ' + time(f.start, false);
      head.append(el('span', 'finding-num', '#' + (i + 1)), el('span', 'badge ' + f.severity, f.severity), el('h3', undefined, f.kind), el('span', 'gist', gist));
      const meta = el('div', 'finding-meta');
      const ports = f.ports.length > 12 ? f.ports.slice(0, 12).join(', ') + ' … (' + f.ports.length + ' ports)' : f.ports.join(', ');
      const metaItems: [string, string][] = [
        ['Source', f.source],
        ['Targets', targets || '—'],
        ['Ports', ports || '—'],
        ['When', time(f.start) + ' → ' + time(f.end)],
        ['Packets', num(f.packets)],
      ];
      if (f.frames.length > 0) metaItems.push(['Frames', f.frames.slice(0, 10).join(', ') + (f.frames.length > 10 ? ' …' : '')]);
      for (const [k, v] of metaItems) {
        const item = el('div', 'meta-item');
        item.append(el('span', 'meta-key', k), el('span', 'meta-value', v));
        meta.append(item);
      }
      card.append(head, el('p', 'explanation', f.explanation), meta);
      if (f.evidence.length > 0) {
        const ul = el('ul', 'evidence');
        for (const line of f.evidence) ul.append(el('li', undefined, line));
        card.append(ul);
      }
      const filterRow = el('div', 'filter-row');
      const code = el('code', 'filter', f.filter);
      const button = el('button', 'copy', 'Copy filter');
      button.type = 'button';
      button.addEventListener('click', () => copyText(f.filter, code, button));
      filterRow.append(el('span', 'meta-key', 'tcpdump filter'), code, button);
      card.append(filterRow);
      cards.push({ kind: f.kind, card });
      s.append(card);
    });
  }

  function copyText(text: string, source: HTMLElement, button: HTMLButtonElement): void {
    const done = (ok: boolean) => {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      button.classList.toggle('copied', ok);
      setTimeout(() => {
        button.textContent = 'Copy filter';
        button.classList.remove('copied');
      }, 1500);
    };
    const fallback = () => {
      const range = document.createRange();
      range.selectNodeContents(source);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      let ok = false;
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
      done(ok);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => done(true), fallback);
    } else {
      fallback();
    }
  }

  // ---- handshakes ----
  function drawHandshakes(): void {
    const h = model.handshakes;
    const s = section(
      'handshakes',
      'TCP handshakes',
      num(h.attempts) + ' connection attempts, ' + num(h.established) + ' established; ' + num(h.synAcks) + ' SYN/ACK segments.',
    );
    const outcome = el('div', 'chart-block');
    outcome.id = 'chart-handshakes';
    outcome.append(
      stackedBar([
        { label: 'Established', value: h.established, color: COLORS.established },
        { label: 'SYN/ACK, no final ACK', value: h.synAckOnly, color: COLORS.synAckOnly },
        { label: 'Rejected (RST)', value: h.rejected, color: COLORS.rejected },
        { label: 'Unanswered', value: h.unanswered, color: COLORS.unanswered },
      ]),
    );
    s.append(outcome);
    if (h.servers.length > 0) {
      s.append(el('h3', undefined, 'By server'));
      s.append(
        table(
          ['Server', 'Established', 'SYN/ACK only', 'Rejected', 'Unanswered'],
          h.servers.map((r) => [endpoint(r.server, r.port), r.established, r.synAckOnly, r.rejected, r.unanswered]),
          [false, true, true, true, true],
        ),
      );
    }
  }

  // ---- clients ----
  function portLabel(p: PortCount): string {
    return p.proto + '/' + p.port;
  }
  function drawClients(): void {
    const s = section(
      'clients',
      'Clients',
      model.clients.length === 0
        ? 'No TCP or UDP clients.'
        : 'For each host that opened connections or sent requests: its source ports, the services it talked to, and its packets per destination port.' +
            (model.clientsTotal > model.clients.length ? ' The ' + model.clients.length + ' busiest of ' + num(model.clientsTotal) + ' clients.' : ''),
    );
    model.clients.forEach((c: ClientSummary) => {
      const card = el('article', 'client');
      const head = el('div', 'client-head');
      head.append(el('h3', undefined, c.ip), el('span', 'sub', num(c.packets) + ' packets sent'));
      card.append(head);
      const grid = el('div', 'client-grid');
      const col = (title: string, note: string, chart: Element) => {
        const d = el('div', 'client-col');
        d.append(el('h4', undefined, title), el('div', 'fact-note', note), chart);
        grid.append(d);
      };
      col(
        'Source ports',
        num(c.portsDistinct) + ' distinct' + (c.portsDistinct > c.ports.length ? ', top ' + c.ports.length : ''),
        barChart(c.ports.map((p) => ({ label: portLabel(p), value: p.packets })), COLORS.bar, 'packets', 'Source ports of ' + c.ip),
      );
      col(
        'Services',
        num(c.servicesDistinct) + ' distinct' + (c.servicesDistinct > c.services.length ? ', top ' + c.services.length : ''),
        barChart(
          c.services.map((v: ServiceCount) => ({ label: v.proto + ' ' + endpoint(v.ip, v.port), value: v.packets })),
          COLORS.bar2,
          'packets',
          'Services ' + c.ip + ' talked to',
        ),
      );
      col(
        'Destination ports',
        'packets per port',
        barChart(c.portTotals.map((p) => ({ label: portLabel(p), value: p.packets })), COLORS.bar3, 'packets', 'Packets per destination port from ' + c.ip),
      );
      card.append(grid);
      s.append(card);
    });
  }

  // ---- conversations: a table that sorts and filters in the page ----
  function drawConversations(): void {
    const rows = model.conversations;
    const s = section(
      'conversations',
      'Conversations',
      num(model.conversationsTotal) + ' conversations' +
        (model.conversationsTotal > rows.length ? '; the ' + num(rows.length) + ' with the most packets are listed.' : '.'),
    );
    type Col = { key: string; label: string; numeric: boolean; value: (r: ConversationRow) => string | number; show: (r: ConversationRow) => string };
    const cols: Col[] = [
      { key: 'proto', label: 'Proto', numeric: false, value: (r) => r.proto, show: (r) => r.proto },
      { key: 'orig', label: 'Originator', numeric: false, value: (r) => r.origIp + ' ' + (r.origPort ?? ''), show: (r) => endpoint(r.origIp, r.origPort) },
      { key: 'resp', label: 'Responder', numeric: false, value: (r) => r.respIp + ' ' + (r.respPort ?? ''), show: (r) => endpoint(r.respIp, r.respPort) },
      { key: 'start', label: 'Start (UTC)', numeric: true, value: (r) => r.start, show: (r) => time(r.start) },
      { key: 'duration', label: 'Duration', numeric: true, value: (r) => r.duration, show: (r) => duration(r.duration) },
      { key: 'packets', label: 'Packets', numeric: true, value: (r) => r.packetsOrig + r.packetsResp, show: (r) => num(r.packetsOrig) + ' / ' + num(r.packetsResp) },
      { key: 'bytes', label: 'Bytes', numeric: true, value: (r) => r.bytesOrig + r.bytesResp, show: (r) => bytes(r.bytesOrig) + ' / ' + bytes(r.bytesResp) },
      { key: 'state', label: 'State', numeric: false, value: (r) => r.state, show: (r) => r.state },
      { key: 'history', label: 'History', numeric: false, value: (r) => r.history, show: (r) => r.history },
      { key: 'answered', label: 'Answered', numeric: false, value: (r) => r.answered, show: (r) => r.answered },
    ];
    const controls = el('div', 'table-controls');
    const input = el('input', 'filter-input');
    input.type = 'search';
    input.id = 'conv-filter';
    input.placeholder = 'Filter: an address, a port, tcp, S0, REJ…';
    input.setAttribute('aria-label', 'Filter conversations');
    const count = el('span', 'sub');
    count.id = 'conv-count';
    controls.append(input, count);
    const t = el('table', 'data sortable');
    t.id = 'conv-table';
    const thead = el('thead');
    const htr = el('tr');
    const tbody = el('tbody');
    t.append(thead, tbody);
    thead.append(htr);
    // Lower-cased search text per row, built once.
    const haystack = rows.map((r) => cols.map((c) => String(c.show(r))).join(' ').toLowerCase() + ' ' + r.origIp + ' ' + r.respIp);
    const meanings = model.stateMeanings ?? {};
    let sortKey = 'packets';
    let sortDesc = true;
    const headers: HTMLTableCellElement[] = [];
    for (const c of cols) {
      const th = el('th', c.numeric ? 'num' : undefined);
      const b = el('button', 'sort', c.label);
      b.type = 'button';
      b.dataset['key'] = c.key;
      b.addEventListener('click', () => {
        if (sortKey === c.key) sortDesc = !sortDesc;
        else {
          sortKey = c.key;
          sortDesc = c.numeric;
        }
        render();
      });
      th.append(b);
      headers.push(th);
      htr.append(th);
    }
    const render = () => {
      const terms = input.value.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
      const col = cols.find((c) => c.key === sortKey)!;
      const idx: number[] = [];
      for (let i = 0; i < rows.length; i++) {
        const h = haystack[i]!;
        if (terms.every((w) => h.includes(w))) idx.push(i);
      }
      idx.sort((a, b) => {
        const va = col.value(rows[a]!);
        const vb = col.value(rows[b]!);
        const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
        return (sortDesc ? -c : c) || a - b;
      });
      const frag = document.createDocumentFragment();
      for (const i of idx) {
        const r = rows[i]!;
        const tr = el('tr');
        for (const c of cols) {
          const td = el('td', c.numeric ? 'num' : c.key === 'state' ? 'state state-' + r.state : undefined, c.show(r));
          if (c.key === 'state' && meanings[r.state] !== undefined) td.title = r.state + ': ' + meanings[r.state];
          tr.append(td);
        }
        frag.append(tr);
      }
      tbody.replaceChildren(frag);
      headers.forEach((th, i) => {
        const active = cols[i]!.key === sortKey;
        th.setAttribute('aria-sort', active ? (sortDesc ? 'descending' : 'ascending') : 'none');
        th.classList.toggle('sorted', active);
      });
      count.textContent = idx.length === rows.length ? num(rows.length) + ' rows' : num(idx.length) + ' of ' + num(rows.length) + ' rows';
    };
    input.addEventListener('input', render);
    const wrap = el('div', 'table-wrap');
    wrap.append(t);
    s.append(controls, wrap);
    render();
  }

  // ---- names the capture carried ----
  function drawNames(): void {
    const s = section('names', 'Names and requests', 'DNS questions and HTTP request lines, as the capture carried them.');
    const grid = el('div', 'names-grid');
    const block = (title: string, items: NameCount[], noteLabel: string) => {
      const d = el('div');
      d.append(el('h3', undefined, title));
      if (items.length === 0) d.append(el('p', 'sub', 'none'));
      else d.append(table([title === 'DNS questions' ? 'Name' : 'Request', noteLabel, 'Count'], items.map((n) => [n.name, n.note, n.count]), [false, false, true]));
      grid.append(d);
    };
    block('DNS questions', model.dnsNames, 'Answer');
    block('HTTP requests', model.httpRequests, 'Host');
    s.append(grid);
  }

  guard('overview', drawHeader);
  guard('timeline', drawTimeline);
  guard('findings', drawFindings);
  guard('handshakes', drawHandshakes);
  guard('clients', drawClients);
  guard('conversations', drawConversations);
  guard('names', drawNames);

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      for (const { chart, host } of charts) chart.setSize({ width: Math.max(320, host.clientWidth), height: chart.height });
    }, 100);
  });
  document.documentElement.dataset['ready'] = '1';
}

/** The page's style sheet (uPlot's own sheet is inlined before it). */
export const REPORT_CSS = `
:root {
  --ink: #1d2433; --muted: #5b6678; --faint: #8a94a6; --line: #e3e7ee; --bg: #f6f7f9; --card: #fff;
  --accent: #3b6fd8; --high: #d64545; --medium: #d9901a; --low: #6b7a90;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
header.top { background: #1d2433; color: #fff; padding: 22px 32px 20px; }
header.top .brand { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #9fb3d9; font-weight: 600; }
header.top h1 { margin: 4px 0 2px; font-size: 22px; font-weight: 600; word-break: break-all; }
header.top .sub { color: #aab4c5; margin: 0; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 18px; margin-top: 12px; font-size: 13px; }
nav.toc a { color: #cfe0ff; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 32px 48px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 24px 22px; margin: 0 0 18px; }
h2 { font-size: 17px; margin: 0 0 2px; font-weight: 650; }
h3 { font-size: 14px; margin: 16px 0 6px; font-weight: 650; }
h4 { font-size: 13px; margin: 0; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
p.sub, span.sub { color: var(--muted); margin: 0 0 12px; font-size: 13px; }
span.sub { margin: 0 0 0 10px; }
p.error { color: var(--high); font-weight: 600; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 10px 0 16px; }
.fact { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fbfcfd; }
.fact-label { font-size: 12px; color: var(--muted); }
.fact-value { font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; word-break: break-word; }
.fact-note { font-size: 12px; color: var(--faint); }
.fact.alert-high { border-color: #f0b4b4; background: #fff6f6; }
.fact.alert-medium { border-color: #f0d2a0; background: #fffaf1; }
.notes { color: #7a4a00; background: #fffaf1; border: 1px solid #f0d2a0; border-radius: 8px; font-size: 13px; padding: 8px 12px 8px 28px; margin: 14px 0 0; }
.stackbar { width: 100%; height: 22px; border-radius: 5px; display: block; overflow: hidden; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 8px; font-size: 13px; color: var(--muted); }
.legend b { color: var(--ink); font-weight: 600; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.chart { margin: 8px 0 4px; min-height: 120px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 13px; }
.bars { width: 100%; max-width: 520px; display: block; font-size: 12px; }
.bars .bar-label { fill: var(--ink); font-family: var(--mono); font-size: 11.5px; }
.bars .bar-value { fill: var(--muted); font-variant-numeric: tabular-nums; }
.bars .empty { fill: var(--faint); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--low); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.finding.sev-high { border-left-color: var(--high); }
.finding.sev-medium { border-left-color: var(--medium); }
.finding-head { display: flex; align-items: center; gap: 10px; cursor: pointer; list-style: none; }
.finding-head::-webkit-details-marker { display: none; }
.finding-head::before { content: "▸"; color: var(--faint); font-size: 12px; width: 10px; }
details[open] > .finding-head::before { content: "▾"; }
.finding-head .gist { color: var(--muted); font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
details.finding:not([open]) { padding-top: 8px; padding-bottom: 8px; margin: 6px 0; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 8px; }
button.chip { font: inherit; font-size: 12px; font-family: var(--mono); border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 2px 10px; cursor: pointer; color: var(--ink); }
button.chip.sev-high { border-color: #f0b4b4; }
button.chip.sev-medium { border-color: #f0d2a0; }
button.chip.on { background: var(--ink); color: #fff; border-color: var(--ink); }
.finding-head h3 { margin: 0; font-family: var(--mono); font-size: 14px; }
.finding-num { color: var(--faint); font-weight: 600; font-variant-numeric: tabular-nums; }
.badge { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; padding: 1px 8px; border-radius: 10px; color: #fff; background: var(--low); }
.badge.high { background: var(--high); }
.badge.medium { background: var(--medium); }
.explanation { margin: 8px 0; }
.finding-meta { display: flex; flex-wrap: wrap; gap: 4px 22px; font-size: 13px; }
.meta-key { color: var(--muted); margin-right: 6px; }
.meta-value { font-variant-numeric: tabular-nums; word-break: break-all; }
.evidence { margin: 8px 0; padding-left: 20px; font-family: var(--mono); font-size: 12px; color: #334; }
.evidence li { margin: 1px 0; word-break: break-all; }
.filter-row { display: flex; align-items: center; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
code.filter { font-family: var(--mono); font-size: 12.5px; background: #f1f3f7; border: 1px solid var(--line); border-radius: 5px; padding: 3px 8px; word-break: break-all; }
button.copy { font: inherit; font-size: 12px; border: 1px solid #c9d3e3; background: #fff; color: var(--accent); border-radius: 5px; padding: 3px 10px; cursor: pointer; }
button.copy:hover { background: #eef3fd; }
button.copy.copied { color: #1f9d55; border-color: #a9dcbc; }
.client { border-top: 1px solid var(--line); padding-top: 6px; margin-top: 10px; }
.client-head { display: flex; align-items: baseline; }
.client-head h3 { font-family: var(--mono); font-size: 15px; margin: 10px 0 6px; }
.client-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 24px; }
.client-col .fact-note { margin-bottom: 4px; }
.table-controls { display: flex; align-items: center; gap: 8px; margin: 4px 0 10px; }
input.filter-input { font: inherit; width: 360px; max-width: 100%; padding: 6px 10px; border: 1px solid #c9d3e3; border-radius: 6px; }
input.filter-input:focus { outline: 2px solid #b8cdf5; border-color: var(--accent); }
.table-wrap { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
table.data th, table.data td { padding: 5px 10px; text-align: left; border-bottom: 1px solid #eef1f5; white-space: nowrap; }
table.data td { font-family: var(--mono); font-size: 12px; }
table.data th { background: #f8f9fb; color: var(--muted); font-weight: 600; position: sticky; top: 0; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tbody tr:hover { background: #f5f8ff; }
button.sort { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th.sorted button.sort { color: var(--ink); }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; font-size: 10px; }
th[aria-sort="descending"] button.sort::after { content: " ▼"; font-size: 10px; }
td.state-S0, td.state-REJ, td.state-RSTOS0, td.state-RSTRH, td.state-SH, td.state-SHR { color: var(--high); }
td.state-SF { color: #1f9d55; }
.names-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 8px 24px; }
.names-grid td:first-child { white-space: normal; word-break: break-all; }
footer { text-align: center; color: var(--faint); font-size: 12px; padding: 0 0 24px; }
@media print { body { background: #fff; } section { break-inside: avoid; border: 0; } .table-wrap { max-height: none; } }
`;
