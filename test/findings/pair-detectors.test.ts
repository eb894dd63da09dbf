/**
 * The pair detectors' findings are made before the scans are known (on another thread, with several):
 * `withoutScanned` then drops the beacon and unanswered-UDP findings of the pairs a reported scan
 * explains, as those detectors skipped them when they finished after the scans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FinishContext } from '../../src/analyze/findings/detector.js';
import { DEFAULT_FINDINGS_OPTIONS, type Finding, type FindingKind } from '../../src/analyze/findings/index.js';
import { withoutScanned } from '../../src/analyze/findings/pair-detectors.js';

function finding(kind: FindingKind, source: string, target: string): Finding {
  return { kind, severity: 'low', source, targets: [target], ports: [123], start: 0, end: 1, packets: 1, frames: [1], explanation: '', filter: '', details: { type: 'counts', counts: {} } };
}

test('a reported scan removes the beacon and unanswered-UDP findings of its pairs, and only those', () => {
  const fc = new FinishContext(DEFAULT_FINDINGS_OPTIONS);
  fc.addScan({ ...finding('udp-scan', '10.0.0.1', '10.0.0.2'), targets: ['10.0.0.2', '10.0.0.3'] });
  const found = {
    beacons: [finding('beacon', '10.0.0.1', '10.0.0.2'), finding('beacon', '10.0.0.1', '10.0.0.9'), finding('beacon', '10.0.0.2', '10.0.0.1')],
    ports: [finding('busy-port', '10.0.0.1', '10.0.0.2')],
    udpServices: [finding('unanswered-udp', '10.0.0.1', '10.0.0.3'), finding('unanswered-udp', '10.0.0.4', '10.0.0.3')],
  };
  const kept = withoutScanned(found, fc);
  assert.deepEqual(kept.beacons, [found.beacons[1], found.beacons[2]]);
  assert.deepEqual(kept.ports, found.ports);
  assert.deepEqual(kept.udpServices, [found.udpServices[1]]);
  // Without a scan, nothing goes.
  assert.deepEqual(withoutScanned(found, new FinishContext(DEFAULT_FINDINGS_OPTIONS)), found);
});
