/**
 * Renders a ReportModel as one self-contained HTML file: the charting library, the page's code, its style
 * and the data are all inline, and a Content-Security-Policy allows nothing else (no network, no other
 * script or style: the inline ones are allowed by their SHA-256 hashes).
 *
 * The data goes in as JSON inside <script type="application/json">, which the browser never runs; `<`,
 * `>`, `&` and the two JavaScript line separators are written as \u escapes so no capture string can close
 * the element or open a comment. The page reads it with JSON.parse and writes text with textContent.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportModel } from './model.js';
import { REPORT_CSS, REPORT_DATA_ID, reportPageMain } from './page.js';

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Serialises a value as JSON safe to place inside a <script> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Returns the CSP source for an inline element's exact content. */
export function cspHash(content: string): string {
  return "'sha256-" + createHash('sha256').update(content, 'utf8').digest('base64') + "'";
}

interface ChartLibrary {
  js: string;
  css: string;
}
let chartLibrary: ChartLibrary | undefined;

/** Reads uPlot's minified build and style sheet from node_modules (once per process). */
export function loadChartLibrary(): ChartLibrary {
  if (chartLibrary === undefined) {
    const require = createRequire(import.meta.url);
    // uplot's package.json has no "exports" map, so its dist files resolve directly.
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    chartLibrary = { js, css };
  }
  return chartLibrary;
}

/** Renders the report page for a model. */
export function renderReportHtml(model: ReportModel): string {
  const lib = loadChartLibrary();
  // A closing tag inside the library would end our script element early; uPlot has none, but be sure.
  const libJs = lib.js.replace(/<\/(script)/gi, '<\\/$1');
  const script = `${libJs}\n;(${reportPageMain.toString()})();\n`;
  const style = `${lib.css}\n${REPORT_CSS}`;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `pcapsift report: ${model.capture.file}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header class="top">
<div class="brand">pcapsift report</div>
<h1 id="file-name"></h1>
<p class="sub" id="generated"></p>
<nav class="toc"><a href="#overview">Overview</a><a href="#timeline">Timeline</a><a href="#findings">Findings</a><a href="#handshakes">Handshakes</a><a href="#clients">Clients</a><a href="#conversations">Conversations</a><a href="#names">Names</a></nav>
</header>
<main>
<section id="overview"><h2>Capture</h2><div class="facts" id="facts"></div><h3>Protocols</h3><div id="protocols"></div></section>
<section id="timeline"></section>
<section id="findings"></section>
<section id="handshakes"></section>
<section id="clients"></section>
<section id="conversations"></section>
<section id="names"></section>
</main>
<footer>Made by pcapsift. This file is self-contained: it loads nothing from the network.</footer>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(model)}</script>
<script>${script}</script>
</body>
</html>
`;
}
