/** Flows: the flow table, Zeek's TCP states, conn_state and history. */
export * from './flow-table.js';
export * from './states.js';
export { HS_ACK, HS_REJECTED, HS_SYN, HS_SYNACK, trackTcp } from './tcp-state.js';
