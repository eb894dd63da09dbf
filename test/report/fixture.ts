/**
 * Report models for the tests: a plausible one built by hand (so the renderer and the page are tested
 * whatever the analyses produce), with an option to put hostile text in every string field.
 */
import { emptyReportModel, type ReportModel } from '../../src/report/model.js';

/** Text that runs code if a page ever treats it as HTML or script. */
export const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  '</script><script>window.__pwned=3</script>',
  "<svg onload=window.__pwned=4>",
  '<!--<script>window.__pwned=5//-->',
  '\u2028</style><iframe srcdoc="<script>parent.__pwned=6</script>">',
];

/** Builds a model with `conversations` rows; `hostile` puts HOSTILE strings in every free-text field. */
export function sampleModel(opts: { hostile?: boolean; conversations?: number; buckets?: number } = {}): ReportModel {
  const h = (i: number, plain: string) => (opts.hostile ? plain + HOSTILE[i % HOSTILE.length]! : plain);
  const m = emptyReportModel(h(0, 'samples/web.pcap'));
  const start = 1_700_000_000;
  const buckets = opts.buckets ?? 240;
  m.generatedAt = new Date(start * 1000).toISOString();
  m.capture = {
    file: m.capture.file,
    format: 'pcap',
    linkTypes: ['EN10MB'],
    packets: 0,
    bytes: 0,
    first: start + 0.125,
    last: start + buckets - 0.5,
    duration: buckets - 0.625,
    protocols: [
      { name: 'tcp', packets: 900 },
      { name: 'udp', packets: 250 },
      { name: h(1, 'icmp'), packets: 12 },
      { name: 'arp', packets: 4 },
    ],
    hosts: 9,
    fault: null,
  };
  const tl = m.timeline;
  tl.start = start;
  tl.bucket = 1;
  for (let i = 0; i < buckets; i++) {
    const burst = i % 37 < 4 ? 20 : 0;
    tl.packets.push(3 + (i % 7) + burst);
    tl.syn.push(i % 37 === 0 ? 6 : i % 11 === 0 ? 1 : 0);
    tl.synAck.push(i % 11 === 0 ? 1 : 0);
    tl.rst.push(i % 37 === 1 ? 5 : 0);
    tl.fin.push(i % 13 === 0 ? 2 : 0);
  }
  m.capture.packets = tl.packets.reduce((a, b) => a + b, 0);
  m.capture.bytes = m.capture.packets * 420;
  m.handshakes = {
    attempts: 31,
    established: 22,
    synAckOnly: 2,
    rejected: 5,
    unanswered: 2,
    synAcks: 24,
    servers: [
      { server: '93.184.216.34', port: 443, established: 9, synAckOnly: 1, rejected: 0, unanswered: 0 },
      { server: '151.101.1.69', port: 80, established: 8, synAckOnly: 1, rejected: 0, unanswered: 1 },
      { server: '2606:4700::6810:85e5', port: 443, established: 5, synAckOnly: 0, rejected: 0, unanswered: 1 },
      { server: '192.168.218.1', port: 8080, established: 0, synAckOnly: 0, rejected: 5, unanswered: 0 },
    ],
  };
  m.clients = [
    {
      ip: '192.168.218.131',
      packets: 640,
      ports: [
        { proto: 'udp', port: 53211, packets: 40 },
        { proto: 'tcp', port: 49822, packets: 120 },
        { proto: 'tcp', port: 49823, packets: 96 },
        { proto: 'udp', port: 123, packets: 8 },
      ],
      portsDistinct: 31,
      services: [
        { proto: 'tcp', ip: '93.184.216.34', port: 443, packets: 300 },
        { proto: 'tcp', ip: '151.101.1.69', port: 80, packets: 200 },
        { proto: 'udp', ip: '192.168.218.2', port: 53, packets: 40 },
        { proto: 'udp', ip: '2001:db8::123', port: 123, packets: 8 },
      ],
      servicesDistinct: 9,
      portTotals: [
        { proto: 'tcp', port: 443, packets: 360 },
        { proto: 'tcp', port: 80, packets: 220 },
        { proto: 'udp', port: 53, packets: 40 },
        { proto: 'udp', port: 123, packets: 8 },
      ],
    },
    {
      ip: '192.168.218.140',
      packets: 80,
      ports: [{ proto: 'tcp', port: 51000, packets: 80 }],
      portsDistinct: 1,
      services: [{ proto: 'tcp', ip: '192.168.218.1', port: 22, packets: 80 }],
      servicesDistinct: 1,
      portTotals: [{ proto: 'tcp', port: 22, packets: 80 }],
    },
  ];
  m.clientsTotal = 2;
  const states = ['SF', 'S0', 'REJ', 'SF', 'RSTO', 'SF', 'OTH'];
  const n = opts.conversations ?? 40;
  for (let i = 0; i < n; i++) {
    const udp = i % 5 === 4;
    m.conversations.push({
      proto: udp ? 'udp' : 'tcp',
      origIp: '192.168.218.' + (131 + (i % 3)),
      origPort: 49152 + i,
      respIp: i % 4 === 0 ? '93.184.216.34' : '10.0.' + (i % 9) + '.' + (i % 250),
      respPort: udp ? 53 : [80, 443, 22, 8080][i % 4]!,
      start: start + i * 2.5,
      duration: (i * 7919) % 97 / 3,
      packetsOrig: 3 + ((i * 31) % 50),
      packetsResp: (i * 17) % 40,
      bytesOrig: 200 + ((i * 997) % 9000),
      bytesResp: (i * 4099) % 90000,
      state: udp ? '' : states[i % states.length]!,
      history: udp ? (opts.hostile ? HOSTILE[i % HOSTILE.length]! : 'Dd') : 'ShADadFf',
      answered: udp ? (i % 2 ? 'yes' : 'no') : '',
    });
  }
  m.conversationsTotal = n + 3;
  m.stateMeanings = { SF: 'normal establishment and termination', S0: opts.hostile ? HOSTILE[1]! : 'attempt seen, no reply' };
  m.findings = [
    {
      kind: 'syn-scan',
      severity: 'high',
      source: '192.168.218.200',
      targets: ['192.168.218.1'],
      ports: [21, 22, 23, 25, 80, 110, 139, 443, 445, 3389],
      start: start + 37,
      end: start + 41,
      packets: 40,
      frames: [101, 102, 103],
      explanation: h(2, 'One host sent SYNs to 1000 ports of 192.168.218.1 and reset every answered one.'),
      evidence: [h(3, '1000 SYNs, 980 answered by RST/ACK'), '20 ports answered SYN/ACK (open): 22, 80, 443'],
      filter: h(4, "src host 192.168.218.200 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn"),
    },
    {
      kind: 'beacon',
      severity: 'medium',
      source: '192.168.218.131',
      targets: ['203.0.113.9'],
      ports: [443],
      start: start + 5,
      end: start + buckets - 10,
      packets: 120,
      frames: [],
      explanation: 'Connections every 60 s with little jitter for the whole capture: a program calling home.',
      evidence: ['score 0.93 (timing 0.97, size 0.95, duration 0.85, histogram 0.94)'],
      filter: 'host 192.168.218.131 and host 203.0.113.9',
    },
    {
      kind: 'unanswered-udp',
      severity: 'low',
      source: '192.168.218.131',
      targets: ['192.168.218.9'],
      ports: [123],
      start: start + 120,
      end: start + 121,
      packets: 2,
      frames: [400, 420],
      explanation: 'NTP requests that never got a reply.',
      evidence: [],
      filter: 'udp and host 192.168.218.9 and port 123',
    },
  ];
  m.dnsNames = [
    { name: h(5, 'www.example.com'), count: 4, note: 'NOERROR' },
    { name: 'nosuch.example.org', count: 1, note: 'NXDomain' },
  ];
  m.httpRequests = [{ name: h(0, 'GET /index.html HTTP/1.1'), count: 2, note: h(1, 'www.example.com') }];
  m.notes = opts.hostile ? [HOSTILE[2]!] : [];
  return m;
}
