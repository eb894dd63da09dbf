/**
 * pcapsift's library API. Each helper area adds its exports here (additively).
 */

// ---- analyses (one pass over a capture; each returns plain data)
export { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analyze/analysis.js';
export { handshakes, HandshakesConsumer, type HandshakeConnection, type HandshakeServer, type HandshakesResult } from './analyze/handshakes.js';
export { ports, SourcePortsConsumer, type PortRow, type PortsResult } from './analyze/ports.js';
export { services, HostServicesConsumer, ClientServicesConsumer, type ServiceRow, type ServicesResult } from './analyze/services.js';
export { dports, DestinationPortsConsumer, type DportsResult } from './analyze/dports.js';
export { tally, TallyConsumer, TALLY_FIELDS, TALLY_FIELD_NAMES, tcpFlagLetters, type TallyField, type TallyRow, type TallyResult } from './analyze/tally.js';
export { conversations, ConversationsConsumer, type ConversationsResult } from './analyze/conversations.js';
export { flowRecord, type FlowRecord, type Endpoint, type HandshakeOutcome } from './analyze/flow-record.js';
export { summary, type SummaryOptions, type SummaryResult, type ClientSummary, type UdpServiceSummary } from './analyze/summary.js';
export type { EndpointOptions } from './analyze/host.js';

// ---- decoding and flows
export { DecodedPacket, decodePacket, decodeRecord, ipToString, parseIp } from './decode/index.js';
export { FlowTable, type FlowTableOptions, type FlowTableStats } from './flows/flow-table.js';
export { connState, type ConnState, CONN_STATE_MEANINGS } from './flows/states.js';

// ---- capture reading and output formats
export { readCapture, type CaptureHandlers, type ReadOptions, type ReadResult } from './capture/reader.js';
export { CaptureError } from './capture/errors.js';
export type { PacketRecord, CaptureInfo } from './capture/packet.js';
export { compileFilter, FilterError, type FilterPredicate } from './filter/index.js';
export { type OutputFormat } from './report/format.js';

// ---- the HTML report
export { buildReportModel, type ReportOptions } from './report/build.js';
export { renderReportHtml } from './report/html.js';
export { REPORT_MODEL_VERSION, type ReportModel, type ReportFinding, type ConversationRow, type Timeline } from './report/model.js';
