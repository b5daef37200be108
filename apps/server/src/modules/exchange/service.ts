import { type KeyObject, X509Certificate } from 'node:crypto';
import {
  buildDocumentId,
  buildEdoc,
  buildStatus,
  type Edoc,
  type EdocAttachment,
  formatEdxmlTimestamp,
  isEdxmlError,
  parseDocumentId,
  parseEdxml,
  type StatusMessage,
  signEnvelope,
  verifyEnvelope,
} from '@congvu/edxml';
import { certificateRevocation, type RevocationSource } from '@congvu/pades';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import type { BlobStore } from '../../platform/files/store.ts';
import {
  DestinationUnavailable,
  enqueue,
  type HandlerContext,
  type OutboxLog,
} from '../../platform/outbox/service.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { DocumentEvent, DocumentStatusEvent, DocumentValidityEvent } from '../documents/events.ts';
import type { DocumentsService } from '../documents/service.ts';
import type { OrgService } from '../org/service.ts';
import { type HubPending, type HubPort, HubUnavailable } from './hub-port.ts';
import { exchangeRepo } from './repo.ts';
import {
  PRIORITY_OF_URGENCY,
  RECALL_ANSWER,
  STATUS_FOR_EVENT,
  UPDATE_ANSWER,
  URGENCY_OF_PRIORITY,
} from './status-map.ts';

/**
 * Liên thông văn bản, the installation side (QĐ 28/2018, QCVN 102:2016):
 * - out: an issued document with recipients outside the installation is queued as an edXML edoc
 *   in the transaction of the `issued` event; the `exchange.send` outbox topic sends it to the
 *   hub (the envelope's id is the hub message key, so a retry after a crash is accepted once);
 * - in: `pollOnce` fetches what the hub holds for our agencies, records each hub message once
 *   (edocs become incoming documents "đã đến"), commits, and only then acknowledges it to the hub;
 * - statuses: the documents module's status events of a document that came through the exchange
 *   become status messages 01–06 to its issuer, each once; statuses that arrive for our outgoing
 *   documents fill their per-recipient timeline.
 */
export const EXCHANGE_SEND_TOPIC = 'exchange.send';

const SendPayload = z.object({ id: z.uuid() });

/** Why the blob store refuses a file for good (other errors are passing). */
const REFUSED_FILE = new Set<string>(['FILE_TOO_LARGE', 'FILE_TYPE_NOT_ALLOWED']);

export interface ExchangeDeps {
  db: Db;
  org: OrgService;
  documents: DocumentsService;
  blobs: BlobStore;
  /** Absent: the installation is not connected; envelopes wait in the outbox. */
  hub?: HubPort;
  /** The key and certificate that sign outgoing envelopes (XMLDSig); absent: unsigned. */
  envelopeKey?: { privateKey: KeyObject; certificate: Uint8Array };
  /** DER trust anchors: an envelope's certificate is trusted when one of them issued it. */
  trustAnchors?: () => Promise<Uint8Array[]>;
  /**
   * CRL / OCSP over the network for the certificates of trusted envelopes (app.ts: HTTP with a
   * short cache); absent: their revocation is recorded as unknown.
   */
  revocation?: RevocationSource;
  now?: () => Date;
}

/** The header fields an update (BussinessDocType 2) corrects, as queued. */
type UpdateFields = NonNullable<DocumentValidityEvent['fields']>;

/** yyyy-MM-dd → yyyy/MM/dd */
const edxmlDate = (iso: string) => iso.replaceAll('-', '/');
/** yyyy/MM/dd → yyyy-MM-dd */
const isoDate = (d: string | undefined) => (d ? d.replaceAll('/', '-') : null);

/**
 * How long exchange.send pauses after the n-th failure in a row to reach the hub: 0.5 s, 1 s,
 * 2 s … up to 30 s, so that a hub back after a restart is used within seconds and a hub down
 * for hours is asked twice a minute. Envelopes never run out of attempts for it.
 */
export function hubRetryDelayMs(n: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, n - 1));
}

export function exchangeService(deps: ExchangeDeps) {
  const { db, org, documents, blobs } = deps;
  const now = deps.now ?? (() => new Date());
  /** Failures in a row to reach the hub (sends); 0 after a send it answered. */
  let hubDownStreak = 0;

  async function documentIdOf(v: Awaited<ReturnType<DocumentsService['exchangeView']>>): Promise<string> {
    return buildDocumentId({
      organId: v.agency.code,
      date: edxmlDate(v.issuedOn),
      number: v.number,
      notation: v.notation,
    });
  }

  /**
   * The edXML edoc of an issued document: a new document with its files (BussinessDocType 0), or
   * its recall (1), which carries the header only.
   */
  async function edocOf(
    documentId: string,
    at: Date,
    businessType: 0 | 1 | 2 | 3,
    recipients: string[],
    replaces?: string,
    update?: { reason: string; fields: UpdateFields },
  ): Promise<{ xml: string; edxmlId: string }> {
    const v = { ...(await documents.exchangeView(documentId)), ...(update?.fields ?? {}) };
    const edxmlId = await documentIdOf(v);
    const attachments: EdocAttachment[] = [];
    if (businessType === 0 || businessType === 3)
      for (const [i, f] of v.files.entries())
        attachments.push({
          contentId: `cid:${i + 1}`,
          attachmentName: f.name,
          description: f.role === 'main' ? 'Văn bản' : 'Phụ lục',
          contentType: f.mime ?? 'application/octet-stream',
          content: new Uint8Array(await blobs.read(f.sha256)),
        });
    const edoc: Edoc = {
      header: {
        from: {
          organId: v.agency.code,
          organName: v.agency.name,
          ...(v.agency.parentName ? { organizationInCharge: v.agency.parentName } : {}),
        },
        to: recipients.map((code) => ({
          organId: code,
          ...(v.recipients.find((r) => r.code === code)
            ? { organName: v.recipients.find((r) => r.code === code)?.name }
            : {}),
        })),
        documentId: edxmlId,
        code: { number: v.number, notation: v.notation },
        promulgation: { ...(v.place ? { place: v.place } : {}), date: edxmlDate(v.issuedOn) },
        // Numeric Type codes differ between systems; receivers go by TypeName (STANDARDS §1.3).
        documentType: { type: 0, typeDetail: 0, typeName: v.typeName },
        subject: v.subject,
        signerInfo: {
          ...(v.signerCompetence ? { competence: v.signerCompetence } : {}),
          ...(v.signerPosition ? { position: v.signerPosition } : {}),
          ...(v.signerName ? { fullName: v.signerName } : {}),
        },
        ...(v.dueOn ? { dueDate: edxmlDate(v.dueOn) } : {}),
        toPlaces: v.allRecipientNames,
        otherInfo: {
          priority: PRIORITY_OF_URGENCY[v.urgency],
          ...(v.pageCount ? { pageAmount: v.pageCount } : {}),
          ...(v.typistInitials ? { typerNotation: v.typistInitials } : {}),
        },
        responseFor: [],
      },
      traceHeaders: [{ organId: v.agency.code, timestamp: formatEdxmlTimestamp(at) }],
      business: {
        documentId: edxmlId,
        docType: businessType,
        reason:
          businessType === 0
            ? 'Văn bản điện tử mới'
            : businessType === 1
              ? `Thu hồi văn bản: ${v.validityReason ?? ''}`.trim()
              : businessType === 2
                ? `Cập nhật văn bản: ${update?.reason ?? ''}`.trim()
                : 'Văn bản thay thế',
        paper: 0,
        // An update changes the document's information only (DocumentInfo 1), not its recipients.
        ...(businessType === 2 ? { documentInfo: { documentInfo: 1, documentReceiver: 0 } } : {}),
        ...(businessType === 3 && replaces
          ? { replacements: [{ documentId: replaces, organIds: recipients }] }
          : {}),
      },
      manifest: attachments.map((a) => ({
        contentId: a.contentId,
        ...(a.contentType ? { contentType: a.contentType } : {}),
        ...(a.description ? { description: a.description } : {}),
        ...(a.attachmentName ? { attachmentName: a.attachmentName } : {}),
      })),
    };
    return { xml: buildEdoc(edoc, attachments), edxmlId };
  }

  /** The status message answering the issuer of an incoming document. */
  async function statusOf(outboundId: string): Promise<string> {
    const o = await exchangeRepo(db).findOutbound(outboundId);
    if (!o?.status_code) throw new Error(`exchange: no status envelope ${outboundId}`);
    const inbound = await exchangeRepo(db).inboundEdocOf(o.document_id);
    if (!inbound) throw new Error(`exchange: document ${o.document_id} did not come through the exchange`);
    const parts = parseDocumentId(inbound.edxml_document_id);
    const agencyId = await org.findActiveAgencyIdByCode(o.from_code);
    const agency = agencyId ? await org.getAgency(agencyId) : null;
    const entry = [...Object.values(STATUS_FOR_EVENT), ...Object.values(RECALL_ANSWER)].find(
      (s) => s.code === o.status_code,
    );
    const msg: StatusMessage = {
      from: { organId: o.from_code, ...(agency ? { organName: agency.name } : {}) },
      responseFor: {
        organId: inbound.from_code,
        ...(parts ? { code: `${parts.number}/${parts.notation}`, promulgationDate: parts.date } : {}),
        documentId: inbound.edxml_document_id,
      },
      statusCode: o.status_code as StatusMessage['statusCode'],
      description: o.description ?? entry?.description ?? '',
      timestamp: formatEdxmlTimestamp(o.created_at),
    };
    return buildStatus(msg);
  }

  /**
   * Checks an envelope's XML signature, whether a trust anchor issued its certificate and, when
   * one did, whether the certificate was revoked (its CRL / OCSP through deps.revocation, once per
   * envelope). A revoked certificate makes the envelope untrusted; it is still taken in, shown with
   * the warning, for the clerk to return (02, NĐ 30 art. 21.2). Unknown (no CRL/OCSP address, or
   * none reachable) leaves it trusted, said to be unchecked.
   */
  async function envelopeSignature(
    body: Buffer,
    signed: boolean,
    trustAnchors: (() => Promise<Uint8Array[]>) | undefined,
  ): Promise<
    | { state: 'absent'; signer: null; trusted: null; revocation: null }
    | {
        state: 'valid';
        signer: string;
        trusted: boolean;
        revocation: { status: 'good' | 'revoked' | 'unknown'; detail: string } | null;
      }
    | { state: 'invalid'; signer: string | null; failure: string }
  > {
    if (!signed) return { state: 'absent', signer: null, trusted: null, revocation: null };
    const v = await verifyEnvelope(body, { mode: 'lenient' });
    const signer = v.certificate?.subject ?? null;
    if (!v.valid || !v.certificate)
      return { state: 'invalid', signer, failure: v.failure?.message ?? 'EDXML_SIG_INVALID' };
    const cert = new X509Certificate(v.certificate.der);
    const at = now();
    const inTime = new Date(cert.validFrom) <= at && at <= new Date(cert.validTo);
    const anchors = trustAnchors ? await trustAnchors() : [];
    // Issued by a trust anchor (checked by signature, never by name alone).
    const issuer = inTime
      ? anchors.find((der) => {
          const ca = new X509Certificate(Buffer.from(der));
          return cert.checkIssued(ca) && cert.verify(ca.publicKey);
        })
      : undefined;
    if (!issuer) return { state: 'valid', signer: v.certificate.subject, trusted: false, revocation: null };
    let revocation: { status: 'good' | 'revoked' | 'unknown'; detail: string };
    try {
      const r = await certificateRevocation(v.certificate.der, issuer, deps.revocation, at);
      revocation = { status: r.status, detail: r.message };
    } catch (e) {
      revocation = {
        status: 'unknown',
        detail: `Không kiểm tra được tình trạng thu hồi: ${(e as Error).message}`,
      };
    }
    return {
      state: 'valid',
      signer: v.certificate.subject,
      trusted: revocation.status !== 'revoked',
      revocation,
    };
  }

  /**
   * An update (BussinessDocType 2) of a document we sent: the header with the corrected fields as
   * they were when queued (so every attempt builds the same bytes), naming the original.
   */
  async function updateEdocOf(o: {
    document_id: string;
    created_at: Date;
    recipients: string[];
    description: string | null;
    update_fields: unknown;
  }): Promise<string> {
    return (
      await edocOf(o.document_id, o.created_at, 2, o.recipients, undefined, {
        reason: o.description ?? '',
        fields: o.update_fields as UpdateFields,
      })
    ).xml;
  }

  /**
   * Queues an envelope for the hub in the caller's transaction: its row, and the exchange.send
   * job that carries it (keyed by the row's id). False when the same envelope was queued before
   * (the once-only keys of exchange_outbound), and then nothing is added.
   */
  async function queueEnvelope(
    trx: Db,
    row: Omit<Parameters<ReturnType<typeof exchangeRepo>['insertOutbound']>[0], 'id'>,
  ): Promise<boolean> {
    const id = uuidv7();
    const queued = await exchangeRepo(trx).insertOutbound({ id, ...row });
    if (queued)
      await enqueue(trx, { topic: EXCHANGE_SEND_TOPIC, payload: { id }, dedupeKey: `exchange:send:${id}` });
    return queued;
  }

  /** documents.validity "updated": the update goes to the recipients outside, once per update. */
  async function queueUpdate(
    event: DocumentValidityEvent,
    ctx: Pick<HandlerContext, 'trx'>,
  ): Promise<boolean> {
    const r = exchangeRepo(ctx.trx);
    const sent = await r.sentEdocOf(event.documentId);
    if (!sent || !event.updateId || !event.fields) return false;
    return queueEnvelope(ctx.trx, {
      document_id: event.documentId,
      kind: 'edoc',
      business_type: 2,
      status_code: null,
      from_code: sent.from_code,
      recipients: sent.recipients,
      edxml_document_id: sent.edxml_document_id,
      description: event.reason,
      update_fields: JSON.stringify(event.fields),
      regarding: event.updateId,
    });
  }

  /**
   * An update (BussinessDocType 2) for a document we took in: our copy records the request with
   * the changes it would make; our clerk answers 15 or 16 (`answerUpdate`).
   */
  async function receiveUpdate(trx: Db, e: Edoc, to: string, hubMessageId: string) {
    const r = exchangeRepo(trx);
    const original = e.business?.documentId ?? e.header.documentId;
    const copy = await r.acceptedEdoc(original, to);
    if (copy?.document_id) {
      const h = e.header;
      await documents.updateRequested(trx, copy.document_id, {
        ref: hubMessageId,
        reason: (e.business?.reason ?? '').replace(/^Cập nhật văn bản:\s*/, ''),
        from: h.from.organName ?? h.from.organId,
        fields: {
          subject: h.subject,
          signerCompetence: h.signerInfo?.competence ?? null,
          signerPosition: h.signerInfo?.position ?? null,
          signerName: h.signerInfo?.fullName ?? null,
          ...(h.otherInfo?.pageAmount ? { pageCount: h.otherInfo.pageAmount } : {}),
        },
      });
    }
    return copy?.document_id ?? null;
  }

  const service = {
    /** documents.event: an issued document with recipients outside the installation is queued. */
    async onDocumentEvent(event: DocumentEvent, ctx: Pick<HandlerContext, 'trx'>): Promise<boolean> {
      if (event.kind !== 'issued' || event.external.length === 0) return false;
      const v = await documents.exchangeView(event.documentId);
      return queueEnvelope(ctx.trx, {
        document_id: event.documentId,
        kind: 'edoc',
        business_type: 0,
        status_code: null,
        from_code: v.agency.code,
        recipients: event.external.map((e) => e.code),
        edxml_document_id: await documentIdOf(v),
      });
    },

    /** documents.status: a status of a document that came through the exchange goes to its issuer. */
    async onDocumentStatus(event: DocumentStatusEvent, ctx: Pick<HandlerContext, 'trx'>): Promise<boolean> {
      const r = exchangeRepo(ctx.trx);
      const inbound = await r.inboundEdocOf(event.documentId);
      const status = STATUS_FOR_EVENT[event.kind];
      // 02 carries the reason for returning in its Description.
      const description =
        event.kind === 'returned' && event.note ? `${status.description}: ${event.note}` : status.description;
      if (!inbound) {
        // A copy delivered inside the installation: its issuer sees the same statuses, directly.
        const origin = await documents.copyOrigin(event.documentId);
        if (!origin) return false;
        await r.insertTimeline({
          document_id: origin.sourceDocumentId,
          agency_code: origin.agencyCode,
          event: status.code,
          at: new Date(event.at),
          description,
          staff: null,
          hub_message_id: null,
        });
        return true;
      }
      return queueEnvelope(ctx.trx, {
        document_id: event.documentId,
        kind: 'status',
        business_type: null,
        status_code: status.code,
        from_code: inbound.recipient_code,
        recipients: [inbound.from_code],
        edxml_document_id: inbound.edxml_document_id,
        ...(description !== status.description ? { description } : {}),
      });
    },

    /** documents.validity: a recalled document that went through the exchange is recalled there too. */
    async onValidity(event: DocumentValidityEvent, ctx: Pick<HandlerContext, 'trx'>): Promise<boolean> {
      if (event.kind === 'updated') return queueUpdate(event, ctx);
      const r = exchangeRepo(ctx.trx);
      const sent = await r.sentEdocOf(event.documentId);
      if (!sent) return false;
      if (event.kind === 'replaced' && event.replacementId) {
        // The replacement travels with its files as BussinessDocType 3, naming what it replaces.
        const v = await documents.exchangeView(event.replacementId);
        return queueEnvelope(ctx.trx, {
          document_id: event.replacementId,
          kind: 'edoc',
          business_type: 3,
          status_code: null,
          from_code: sent.from_code,
          recipients: sent.recipients,
          edxml_document_id: await documentIdOf(v),
          replaces_edxml_id: sent.edxml_document_id,
        });
      }
      if (event.kind !== 'recalled') return false;
      return queueEnvelope(ctx.trx, {
        document_id: event.documentId,
        kind: 'edoc',
        business_type: 1,
        status_code: null,
        from_code: sent.from_code,
        recipients: sent.recipients,
        edxml_document_id: sent.edxml_document_id,
      });
    },

    /**
     * The recipient's clerk answers the issuer's recall request: 15 (accepted: the copy is
     * withdrawn) or 16 (refused), once.
     */
    async answerRecall(
      actor: AuditActor & { auth: AuthContext },
      documentId: string,
      accept: boolean,
      reason: string,
    ) {
      return db.transaction().execute(async (trx) => {
        const r = exchangeRepo(trx);
        const inbound = await r.inboundEdocOf(documentId);
        const request = await r.pendingRecallOf(documentId);
        if (!inbound || !request) throw new AppError('EXCHANGE_NO_RECALL_REQUEST');
        await documents.answerRecall(trx, actor, documentId, accept, reason);
        const code = accept ? RECALL_ANSWER.accepted.code : RECALL_ANSWER.refused.code;
        const queued = await queueEnvelope(trx, {
          document_id: documentId,
          kind: 'status',
          business_type: null,
          status_code: code,
          from_code: inbound.recipient_code,
          recipients: [inbound.from_code],
          edxml_document_id: inbound.edxml_document_id,
        });
        if (!queued) throw new AppError('EXCHANGE_NO_RECALL_REQUEST');
        return { statusCode: code };
      });
    },

    /**
     * The recipient's clerk answers the issuer's update (cập nhật): 15 (accepted: the copy takes
     * the corrected fields) or 16 (refused), once per update. For a copy that came through the
     * hub the answer travels back as a status; for a copy delivered inside the installation it
     * goes straight to the issuer's timeline.
     */
    async answerUpdate(
      actor: AuditActor & { auth: AuthContext },
      documentId: string,
      accept: boolean,
      reason: string,
    ) {
      return db.transaction().execute(async (trx) => {
        const r = exchangeRepo(trx);
        const { ref } = await documents.answerUpdate(trx, actor, documentId, accept, reason);
        const answer = accept ? UPDATE_ANSWER.accepted : UPDATE_ANSWER.refused;
        const description = `${answer.description}: ${reason.trim()}`;
        const inbound = await r.inboundEdocOf(documentId);
        if (!inbound) {
          const origin = await documents.copyOrigin(documentId);
          if (!origin) throw new AppError('EXCHANGE_NO_UPDATE_REQUEST');
          await r.insertTimeline({
            document_id: origin.sourceDocumentId,
            agency_code: origin.agencyCode,
            event: answer.code,
            at: now(),
            description,
            staff: null,
            hub_message_id: null,
            regarding: ref,
          });
          return { statusCode: answer.code };
        }
        const queued = await queueEnvelope(trx, {
          document_id: documentId,
          kind: 'status',
          business_type: null,
          status_code: answer.code,
          from_code: inbound.recipient_code,
          recipients: [inbound.from_code],
          edxml_document_id: inbound.edxml_document_id,
          description,
          regarding: ref,
        });
        if (!queued) throw new AppError('EXCHANGE_NO_UPDATE_REQUEST');
        return { statusCode: answer.code };
      });
    },

    /** exchange.send: builds the envelope and hands it to the hub (throws to retry later). */
    async send(payload: unknown, ctx: Pick<HandlerContext, 'trx'>): Promise<undefined | { skipped: string }> {
      const { id } = SendPayload.parse(payload);
      const r = exchangeRepo(ctx.trx);
      const o = await r.findOutbound(id);
      if (!o) return { skipped: `no envelope ${id}` };
      if (o.state === 'sent') return { skipped: 'already sent' };
      if (!deps.hub) throw new Error('exchange: not connected to a hub (CONGVU_EXCHANGE_HUB_URL)');
      const at = now();
      // Every attempt builds the same bytes (the trace timestamp is when the envelope was queued;
      // the XML signature, RSA PKCS#1 v1.5, is deterministic): the hub answers a resend under the
      // same key with the first message only if the bytes are the same, and a resend is how we
      // learn that id when the hub committed but its answer was lost.
      const built =
        o.kind === 'edoc' && o.business_type === 2
          ? await updateEdocOf(o)
          : o.kind === 'edoc'
            ? (
                await edocOf(
                  o.document_id,
                  o.created_at,
                  o.business_type === 1 ? 1 : o.business_type === 3 ? 3 : 0,
                  o.recipients,
                  o.replaces_edxml_id ?? undefined,
                )
              ).xml
            : await statusOf(id);
      const xml = deps.envelopeKey
        ? signEnvelope(built, {
            privateKey: deps.envelopeKey.privateKey,
            certificate: deps.envelopeKey.certificate,
          })
        : built;
      try {
        const sent = await deps.hub.send(Buffer.from(xml, 'utf8'), {
          messageKey: o.id,
          ...(o.kind === 'status' ? { to: o.recipients } : {}),
        });
        hubDownStreak = 0;
        await r.markSent(id, sent.id);
        if (o.kind === 'edoc' && o.business_type !== 1)
          for (const code of o.recipients)
            await r.insertTimeline({
              document_id: o.document_id,
              agency_code: code,
              event: 'sent',
              at,
              description: 'Đã gửi lên trục liên thông',
              staff: null,
              hub_message_id: sent.id,
            });
        return undefined;
      } catch (e) {
        if (e instanceof HubUnavailable) {
          // Not this envelope's fault: the outbox keeps its attempts and pauses exchange.send.
          hubDownStreak++;
          await exchangeRepo(db).noteError(id, e.message);
          throw new DestinationUnavailable(e.message, hubRetryDelayMs(hubDownStreak));
        }
        await exchangeRepo(db).markAttempt(id, (e as Error).message, false);
        throw e;
      }
    },

    /**
     * One pass over the hub's queues for our agencies: every message is recorded once and
     * committed before it is acknowledged, so a crash between the two only means fetching it again.
     * Messages of different documents are taken in side by side (`concurrency`), those of one
     * document in the hub's order (an edoc before its recall, 01 before 03); the acknowledgements
     * go back together at the end of the pass. Returns how many messages were acknowledged.
     */
    async pollOnce(log: OutboxLog, limit = 100, concurrency = 4): Promise<number> {
      const hub = deps.hub;
      if (!hub) return 0;
      const byDocument = new Map<string, HubPending[]>();
      for (const p of await hub.pending(undefined, limit)) {
        const group = byDocument.get(p.documentId);
        if (group) group.push(p);
        else byDocument.set(p.documentId, [p]);
      }
      const acks: { id: string; agency: string; status: 'done' | 'fail' }[] = [];
      // The trust anchors are read once per pass, when a signed envelope first needs them.
      let anchors: Promise<Uint8Array[]> | undefined;
      const trustAnchors = deps.trustAnchors && (() => (anchors ??= deps.trustAnchors!()));
      const groups = [...byDocument.values()];
      const worker = async () => {
        for (let g = groups.shift(); g; g = groups.shift())
          for (const p of g) {
            try {
              const outcome = await service.receive(p, p.body ?? (await hub.fetch(p.id, p.to)), {
                trustAnchors,
              });
              acks.push({ id: p.id, agency: p.to, status: outcome === 'rejected' ? 'fail' : 'done' });
            } catch (e) {
              // The rest of this document's messages wait for the next pass, in order.
              log.warn({ hubMessageId: p.id, err: (e as Error).message }, 'exchange: will fetch again');
              break;
            }
          }
      };
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
      if (acks.length === 0) return 0;
      if (hub.ackMany) {
        try {
          const refused = await hub.ackMany(acks);
          for (const r of refused)
            log.warn({ hubMessageId: r.id, agency: r.agency }, 'exchange: the hub did not take the ack');
          return acks.length - refused.length;
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'exchange: acks not delivered, the messages come again');
          return 0;
        }
      }
      let done = 0;
      for (const a of acks)
        try {
          await hub.ack(a.id, a.agency, a.status);
          done++;
        } catch (e) {
          log.warn({ hubMessageId: a.id, err: (e as Error).message }, 'exchange: will fetch again');
        }
      return done;
    },

    /** Records one hub message (idempotent on the hub message id). */
    async receive(
      p: HubPending,
      body: Buffer,
      o: { trustAnchors?: () => Promise<Uint8Array[]> } = { trustAnchors: deps.trustAnchors },
    ): Promise<string> {
      const seen = await exchangeRepo(db).inboundSeen(p.id);
      if (seen) return seen.outcome;
      let parsed: Awaited<ReturnType<typeof parseEdxml>>;
      try {
        parsed = await parseEdxml(body, { mode: 'lenient', attachments: 'collect' });
      } catch (e) {
        const detail = isEdxmlError(e) ? e.message : (e as Error).message;
        await exchangeRepo(db).insertInbound({
          hub_message_id: p.id,
          kind: p.kind,
          recipient_code: p.to,
          from_code: p.from,
          edxml_document_id: p.documentId,
          business_type: null,
          status_code: null,
          document_id: null,
          outcome: 'rejected',
          detail,
          warnings: [],
        });
        return 'rejected';
      }
      // The envelope's XML signature: an invalid one means it changed on the way (refused).
      const xml = await envelopeSignature(body, parsed.signed, o.trustAnchors);
      if (xml.state === 'invalid') {
        await exchangeRepo(db).insertInbound({
          hub_message_id: p.id,
          kind: p.kind,
          recipient_code: p.to,
          from_code: p.from,
          edxml_document_id: p.documentId,
          business_type: null,
          status_code: null,
          document_id: null,
          outcome: 'rejected',
          detail: xml.failure,
          warnings: parsed.warnings,
          xml_signature: 'invalid',
          xml_signer: xml.signer,
          xml_trusted: null,
        });
        return 'rejected';
      }
      const sig = {
        xml_signature: xml.state,
        xml_signer: xml.signer,
        xml_trusted: xml.trusted,
        xml_revocation: xml.revocation?.status ?? null,
        xml_revocation_detail: xml.revocation?.detail ?? null,
      };
      if (parsed.kind === 'status') {
        const s = parsed.status;
        return db.transaction().execute(async (trx) => {
          const r = exchangeRepo(trx);
          const sent = await r.sentEdocByDocumentId(s.responseFor.documentId);
          if (sent)
            await r.insertTimeline({
              document_id: sent.document_id,
              agency_code: s.from.organId,
              event: s.statusCode,
              at: timestampOf(s.timestamp),
              description: s.description ?? null,
              staff: s.staffInfo ?? null,
              hub_message_id: p.id,
              ...(s.statusCode === '15' || s.statusCode === '16' ? { regarding: p.id } : {}),
            });
          const outcome = sent ? 'applied' : 'unknown_document';
          await r.insertInbound({
            hub_message_id: p.id,
            kind: 'status',
            recipient_code: p.to,
            from_code: s.from.organId,
            edxml_document_id: s.responseFor.documentId,
            business_type: null,
            status_code: s.statusCode,
            document_id: sent?.document_id ?? null,
            outcome,
            detail: null,
            warnings: parsed.warnings,
            ...sig,
          });
          return outcome;
        });
      }
      // An edoc. Only new documents are taken in so far; recall/update/replace are recorded.
      const e = parsed.edoc;
      const agencyId = await org.findActiveAgencyIdByCode(p.to);
      const businessType = e.business?.docType ?? 0;
      const base = {
        hub_message_id: p.id,
        kind: 'edoc' as const,
        recipient_code: p.to,
        from_code: e.header.from.organId,
        edxml_document_id: e.header.documentId,
        business_type: businessType,
        status_code: null,
        ...sig,
      };
      if (!agencyId || !e.header.to.some((t) => t.organId === p.to)) {
        await exchangeRepo(db).insertInbound({
          ...base,
          document_id: null,
          outcome: 'rejected',
          detail: `không phải cơ quan nhận: ${p.to}`,
          warnings: parsed.warnings,
        });
        return 'rejected';
      }
      // Files go to the blob store first (content-addressed: a retry stores nothing twice).
      const files: { sha256: string; name: string; role: 'main' | 'appendix' }[] = [];
      try {
        for (const [i, a] of parsed.attachments.entries()) {
          if (!a.content) continue;
          const stored = await blobs.put(a.content);
          await filesRepo(db).insertBlob({
            sha256: stored.sha256,
            size: stored.size,
            mime: stored.type.mime,
          });
          files.push({
            sha256: stored.sha256,
            name: a.attachmentName ?? `tep-${i + 1}`,
            role: i === 0 ? 'main' : 'appendix',
          });
        }
      } catch (err) {
        // A file we may not keep (type, size): the envelope is refused, not retried for ever.
        // Anything else (a full disk, the database) is not the envelope's fault: thrown, so it is
        // not acknowledged and is fetched again (a "fail" ack would lose the document).
        if (!(err instanceof AppError && REFUSED_FILE.has(err.code))) throw err;
        await exchangeRepo(db).insertInbound({
          ...base,
          document_id: null,
          outcome: 'rejected',
          detail: err instanceof Error ? err.message : String(err),
          warnings: parsed.warnings,
        });
        return 'rejected';
      }
      return db.transaction().execute(async (trx) => {
        const r = exchangeRepo(trx);
        if (businessType === 1) {
          // Thu hồi: the copy we took in records the request; our clerk answers 15 or 16.
          const copy = await r.acceptedEdoc(e.header.documentId, p.to);
          if (copy?.document_id)
            await documents.recallRequested(trx, copy.document_id, {
              reason: e.business?.reason ?? '',
              from: e.header.from.organName ?? e.header.from.organId,
            });
          await r.insertInbound({
            ...base,
            document_id: copy?.document_id ?? null,
            outcome: copy ? 'applied' : 'unknown_document',
            detail: null,
            warnings: parsed.warnings,
          });
          return copy ? 'applied' : 'unknown_document';
        }
        if (businessType === 2) {
          const copyId = await receiveUpdate(trx, e, p.to, p.id);
          await r.insertInbound({
            ...base,
            document_id: copyId,
            outcome: copyId ? 'applied' : 'unknown_document',
            detail: null,
            warnings: parsed.warnings,
          });
          return copyId ? 'applied' : 'unknown_document';
        }
        const earlier = await r.acceptedEdoc(e.header.documentId, p.to);
        // A replacement (3) also names the documents it replaces: our copies of them are marked.
        const replaced = async (copyId: string) => {
          for (const rep of businessType === 3 ? (e.business?.replacements ?? []) : []) {
            const old = await r.acceptedEdoc(rep.documentId, p.to);
            if (!old?.document_id || old.document_id === copyId) continue;
            const code = `${e.header.code.number}/${e.header.code.notation}`;
            await documents.replacedByIssuer(trx, old.document_id, {
              reason: e.business?.reason ?? 'Văn bản thay thế',
              replacementCopyId: copyId,
              label: `Được thay thế bởi văn bản số ${code}`,
            });
          }
        };
        if (earlier) {
          if (earlier.document_id) await replaced(earlier.document_id);
          await r.insertInbound({
            ...base,
            document_id: earlier.document_id,
            outcome: 'duplicate',
            detail: null,
            warnings: parsed.warnings,
          });
          return 'duplicate';
        }
        const documentId = uuidv7();
        const h = e.header;
        const { typeMatched } = await documents.receiveElectronic(trx, {
          id: documentId,
          agencyId,
          typeName: h.documentType.typeName,
          number: h.code.number,
          notation: h.code.notation,
          issuedOn: isoDate(h.promulgation.date),
          place: h.promulgation.place ?? null,
          issuerName: h.from.organName ?? h.from.organId,
          subject: h.subject,
          signerCompetence: h.signerInfo?.competence ?? null,
          signerPosition: h.signerInfo?.position ?? null,
          signerName: h.signerInfo?.fullName ?? null,
          urgency: URGENCY_OF_PRIORITY[h.otherInfo?.priority ?? 0] ?? 'normal',
          pageCount: h.otherInfo?.pageAmount ?? null,
          dueOn: isoDate(h.dueDate),
          files,
          from: h.from.organId,
        });
        const warnings = typeMatched
          ? parsed.warnings
          : [
              ...parsed.warnings,
              {
                code: 'EXCHANGE_TYPE_UNKNOWN',
                message: `Loại văn bản "${h.documentType.typeName}" không có trong danh mục; ghi nhận là Công văn`,
              },
            ];
        await r.insertInbound({
          ...base,
          document_id: documentId,
          outcome: 'accepted',
          detail: null,
          warnings,
        });
        await replaced(documentId);
        return 'accepted';
      });
    },

    /** Per recipient agency of our outgoing document: sent, then each status, in order. */
    async timeline(documentId: string) {
      const r = exchangeRepo(db);
      const [events, outbound, inbound] = await Promise.all([
        r.timelineOf(documentId),
        r.outboundOf(documentId),
        r.inboundEdocOf(documentId),
      ]);
      return {
        inbound: inbound
          ? {
              from: inbound.from_code,
              edxmlDocumentId: inbound.edxml_document_id,
              receivedAt: inbound.received_at.toISOString(),
              xmlSignature: inbound.xml_signature,
              xmlSigner: inbound.xml_signer,
              xmlTrusted: inbound.xml_trusted,
              xmlRevocation: inbound.xml_revocation,
              xmlRevocationDetail: inbound.xml_revocation_detail,
            }
          : null,
        outbound: outbound.map((o) => ({
          id: o.id,
          kind: o.kind,
          businessType: o.business_type,
          statusCode: o.status_code,
          recipients: o.recipients,
          state: o.state,
          attempts: o.attempts,
          lastError: o.last_error,
          createdAt: o.created_at.toISOString(),
          sentAt: o.sent_at?.toISOString() ?? null,
        })),
        events: events.map((e) => ({
          agencyCode: e.agency_code,
          event: e.event,
          at: e.at.toISOString(),
          description: e.description,
        })),
      };
    },

    health() {
      return exchangeRepo(db).health();
    },

    async listOutbound(state: 'queued' | 'sent', limit = 100) {
      return (await exchangeRepo(db).listOutbound(state, limit)).map((o) => ({
        id: o.id,
        documentId: o.document_id,
        kind: o.kind,
        businessType: o.business_type,
        statusCode: o.status_code,
        recipients: o.recipients,
        edxmlDocumentId: o.edxml_document_id,
        state: o.state,
        attempts: o.attempts,
        lastError: o.last_error,
        createdAt: o.created_at.toISOString(),
        sentAt: o.sent_at?.toISOString() ?? null,
      }));
    },

    async listInbound(
      outcome?: 'accepted' | 'duplicate' | 'applied' | 'unknown_document' | 'rejected',
      limit = 100,
    ) {
      return (await exchangeRepo(db).listInbound(outcome, limit)).map((i) => ({
        hubMessageId: i.hub_message_id,
        kind: i.kind,
        from: i.from_code,
        to: i.recipient_code,
        edxmlDocumentId: i.edxml_document_id,
        businessType: i.business_type,
        statusCode: i.status_code,
        documentId: i.document_id,
        outcome: i.outcome,
        detail: i.detail,
        xmlSignature: i.xml_signature,
        xmlRevocation: i.xml_revocation,
        receivedAt: i.received_at.toISOString(),
      }));
    },

    /**
     * Sends an envelope that is still queued again now (after the outbox gave up, or to skip the
     * back-off); audited. Sending stays idempotent: the hub accepts its key once.
     */
    async retry(actor: AuditActor, id: string) {
      return db.transaction().execute(async (trx) => {
        const o = await exchangeRepo(trx).findOutbound(id);
        if (!o) throw new AppError('EXCHANGE_MESSAGE_NOT_FOUND');
        if (o.state === 'sent') throw new AppError('EXCHANGE_ALREADY_SENT');
        await enqueue(trx, {
          topic: EXCHANGE_SEND_TOPIC,
          payload: { id },
          dedupeKey: `exchange:send:${id}:retry:${o.attempts}:${Date.now()}`,
        });
        await recordAudit(trx, actor, {
          action: 'exchange.outbound.retried',
          entityType: 'exchange_outbound',
          entityId: id,
          summary: { attempts: o.attempts, lastError: o.last_error },
        });
        return { id, queued: true };
      });
    },

    /** Agencies outside this installation that can receive through the hub (last synced list). */
    async directory() {
      const own = new Set<string>();
      const rows = await exchangeRepo(db).directory();
      for (const r of rows) if (await org.findActiveAgencyIdByCode(r.code)) own.add(r.code);
      return rows
        .filter((r) => !own.has(r.code))
        .map((r) => ({ code: r.code, legacyCode: r.legacy_code, name: r.name, parentCode: r.parent_code }));
    },

    /** Refreshes the directory of agencies connected to the hub. */
    async syncDirectory(): Promise<number> {
      if (!deps.hub) return 0;
      const list = await deps.hub.agencies();
      await exchangeRepo(db).upsertDirectory(
        list.map((a) => ({
          code: a.code,
          legacy_code: a.legacyCode,
          name: a.name,
          parent_code: a.parentCode,
        })),
      );
      return list.length;
    },
  };
  return service;
}

/** yyyy/MM/dd HH:mm:ss in Việt Nam time → Date. */
function timestampOf(ts: string): Date {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(ts);
  // the parser has checked the form already
  if (!m) throw new Error(`exchange: bad edXML timestamp ${ts}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
}

export type ExchangeService = ReturnType<typeof exchangeService>;
