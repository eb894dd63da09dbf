/** The HTML renderer without a browser: escaping, the CSP hashes, nothing loaded from outside. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cspHash, escapeHtml, jsonForScript, renderReportHtml } from '../../src/report/html.js';
import { REPORT_DATA_ID } from '../../src/report/page.js';
import { HOSTILE, sampleModel } from './fixture.js';

function between(html: string, open: string, close: string): string {
  const a = html.indexOf(open);
  assert.ok(a >= 0, `no ${open}`);
  const b = html.indexOf(close, a + open.length);
  return html.slice(a + open.length, b);
}

describe('report html', () => {
  it('escapes HTML text', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('writes JSON that cannot end a script element and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE), fc.fullUnicodeString())), (strings) => {
        const text = jsonForScript({ strings });
        assert.ok(!/[<>&\u2028\u2029]/.test(text));
        assert.deepEqual(JSON.parse(text), { strings });
      }),
      { numRuns: 300 },
    );
  });

  it('has a CSP that allows exactly its inline script and style, and no network', () => {
    const html = renderReportHtml(sampleModel());
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '">').replace(/&#39;/g, "'");
    assert.match(csp, /^default-src 'none'; /);
    const script = between(html, '<script>', '</script>');
    const style = between(html, '<style>', '</style>');
    assert.ok(csp.includes(`script-src ${cspHash(script)};`));
    assert.ok(csp.includes(`style-src ${cspHash(style)};`));
    assert.ok(!csp.includes('unsafe'));
    // One executable script, one style sheet, no external references.
    assert.equal(html.match(/<script>/g)?.length, 1);
    assert.equal(html.match(/<style>/g)?.length, 1);
    assert.doesNotMatch(html, /<(link|img|iframe|object|embed)\b/i);
    assert.doesNotMatch(html, /\ssrc=/i);
    // URLs only as the SVG namespace and in uPlot's licence comment.
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg|github\.com\/leeoniya\/uPlot)/);
  });

  it('keeps hostile strings out of the markup', () => {
    const model = sampleModel({ hostile: true });
    const html = renderReportHtml(model);
    const data = between(html, `<script type="application/json" id="${REPORT_DATA_ID}">`, '</script>');
    assert.deepEqual(JSON.parse(data), model);
    // The only capture string outside the data block is the <title>, HTML-escaped.
    const outside = html.replace(data, '');
    for (const h of HOSTILE) assert.ok(!outside.includes(h), `raw hostile text outside the data: ${h}`);
    assert.ok(between(html, '<title>', '</title>').includes('&lt;script&gt;'));
  });

  it('stays small for a large model', () => {
    const html = renderReportHtml(sampleModel({ conversations: 500, buckets: 1500 }));
    assert.ok(html.length < 400_000, `${html.length} bytes`);
  });
});
