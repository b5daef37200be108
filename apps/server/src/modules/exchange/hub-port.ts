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
  /** The envelope itself when the hub sent it with the list (no separate fetch needed). */
  body?: Buffer;
}

export interface HubPort {
  /**
   * Sends an envelope; `messageKey` makes a resend idempotent. Throws HubUnavailable when the hub
   * cannot be reached (the envelope is not at fault), any other error when it refuses it.
   */
  send(
    body: Buffer,
    opts: { messageKey: string; to?: string[] },
  ): Promise<{ id: string; recipients: string[] }>;
  /**
   * Deliveries waiting for our agencies, oldest first; both kinds when `kind` is omitted. Where
   * the hub can, small envelopes come with the list (`body`).
   */
  pending(kind: 'edoc' | 'status' | undefined, limit: number): Promise<HubPending[]>;
  fetch(id: string, agency: string): Promise<Buffer>;
  /** The transport acknowledgement: takes the delivery off our queue. */
  ack(id: string, agency: string, status: 'done' | 'fail', reason?: string): Promise<void>;
  /**
   * Many acknowledgements in one call, where the hub offers it (our hub does; the national axis
   * acknowledges one by one). Returns the items the hub did not take.
   */
  ackMany?(
    items: { id: string; agency: string; status: 'done' | 'fail'; reason?: string }[],
  ): Promise<{ id: string; agency: string }[]>;
  agencies(): Promise<{ code: string; legacyCode: string | null; name: string; parentCode: string | null }[]>;
}

/**
 * Thrown by a HubPort when the hub cannot be reached or cannot take the call now (no answer,
 * a timeout, a 5xx or 429): a fact about the hub, not about the envelope being sent.
 */
export class HubUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubUnavailable';
  }
}
