/**
 * What the exchange needs from a hub: our own hub (module hub, over HTTP with HMAC-signed
 * requests) or an adapter for the national axis (VDXP), which offers the same operations
 * (sendEdoc, getReceivedEdocList, getEdoc, updateStatus, getAgenciesList).
 */
export interface HubPending {
  id: string;
  kind: 'edoc' | 'status';
  from: string;
  /** The recipient agency (one of ours) this delivery is for. */
  to: string;
  documentId: string;
}

export interface HubPort {
  /** Sends an envelope; `messageKey` makes a resend idempotent. */
  send(
    body: Buffer,
    opts: { messageKey: string; to?: string[] },
  ): Promise<{ id: string; recipients: string[] }>;
  /** Deliveries waiting for our agencies, oldest first. */
  pending(kind: 'edoc' | 'status', limit: number): Promise<HubPending[]>;
  fetch(id: string, agency: string): Promise<Buffer>;
  /** The transport acknowledgement: takes the delivery off our queue. */
  ack(id: string, agency: string, status: 'done' | 'fail', reason?: string): Promise<void>;
  agencies(): Promise<{ code: string; legacyCode: string | null; name: string; parentCode: string | null }[]>;
}
