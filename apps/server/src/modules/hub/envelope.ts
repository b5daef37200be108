import { isEdxmlError, parseEdxmlSync } from '@congvu/edxml';

/**
 * What the hub needs to know of an envelope to route it, and nothing more: who sends, to whom,
 * which document it concerns. The hub stores and forwards the bytes unchanged; it never rebuilds
 * or re-signs an envelope.
 */
export interface EnvelopeFacts {
  kind: 'edoc' | 'status';
  /** Sender OrganId (MessageHeader From). */
  from: string;
  /** edoc: the To OrganIds; status: [] (the hub decides the recipients). */
  to: string[];
  /** edoc: MessageHeader DocumentId; status: ResponseFor DocumentId. */
  documentId: string;
  /** edoc only: TraceHeaderList Bussiness BussinessDocType (0 new, 1 recall, 2 update, 3 replace). */
  businessType?: 0 | 1 | 2 | 3;
  /** status only: StatusCode (01–06, 13, 15, 16). */
  statusCode?: string;
}

/** Reads the routing facts of an envelope; throws HubEnvelopeError(reason) when it cannot. */
export type EnvelopeInspector = (body: Buffer) => EnvelopeFacts;

/** A refused envelope; `reason` is shown to the sender (English, technical). */
export class HubEnvelopeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'HubEnvelopeError';
  }
}

/**
 * The hub's inspector: @congvu/edxml's parser in lenient mode (the documented leniencies real
 * traffic needs: a few stray bytes before the declaration, an undeclared xlink/edXML prefix, a
 * Signature without its namespace), so an envelope is routed only if it is well-formed edXML
 * within the limits (no DOCTYPE, no entity expansion) with valid base64 attachments. The routing
 * facts are all in the header; the attachments are only checked (`'check'`: not kept, not hashed).
 */
export const edxmlInspector: EnvelopeInspector = (body) => {
  let parsed: ReturnType<typeof parseEdxmlSync>;
  try {
    parsed = parseEdxmlSync(body, { mode: 'lenient', attachments: 'check' });
  } catch (e) {
    if (isEdxmlError(e)) throw new HubEnvelopeError(e.message);
    throw e;
  }
  if (parsed.kind === 'status')
    return {
      kind: 'status',
      from: parsed.status.from.organId,
      to: [],
      documentId: parsed.status.responseFor.documentId,
      statusCode: parsed.status.statusCode,
    };
  const h = parsed.edoc.header;
  return {
    kind: 'edoc',
    from: h.from.organId,
    to: h.to.map((t) => t.organId),
    documentId: h.documentId,
    businessType: parsed.edoc.business?.docType ?? 0,
  };
};
