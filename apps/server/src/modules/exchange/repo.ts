import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';

/** All SQL of the exchange module: its outbound envelopes, inbound log, timeline and directory. */
export function exchangeRepo(db: Db) {
  return {
    /** Queues an envelope once (per document and action, or document and status code). */
    async insertOutbound(row: {
      id: string;
      document_id: string;
      kind: 'edoc' | 'status';
      business_type: number | null;
      status_code: string | null;
      from_code: string;
      recipients: string[];
      edxml_document_id: string;
      replaces_edxml_id?: string | null;
      /** A status's own Description (02 with its reason), or an update's reason. */
      description?: string | null;
      /** An update: the corrected header fields (JSON). */
      update_fields?: string | null;
      /** What it concerns when a document may have several (an update, the answer to one). */
      regarding?: string;
    }): Promise<boolean> {
      const r = await db
        .insertInto('exchange_outbound')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .execute();
      return Number(r[0]?.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    findOutbound(id: string) {
      return db.selectFrom('exchange_outbound').selectAll().where('id', '=', id).executeTakeFirst();
    },
    markSent(id: string, hubMessageId: string) {
      return db
        .updateTable('exchange_outbound')
        .set({ state: 'sent', hub_message_id: hubMessageId, sent_at: new Date(), last_error: null })
        .where('id', '=', id)
        .execute();
    },
    markAttempt(id: string, error: string, failed: boolean) {
      return db
        .updateTable('exchange_outbound')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error,
          ...(failed ? { state: 'failed' as const } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },
    /** The last error of a try that did not reach the hub (not counted as an attempt). */
    noteError(id: string, error: string) {
      return db.updateTable('exchange_outbound').set({ last_error: error }).where('id', '=', id).execute();
    },
    /** Our sent edoc (new document) with that edXML DocumentId. */
    sentEdocByDocumentId(edxmlDocumentId: string) {
      return db
        .selectFrom('exchange_outbound')
        .select(['document_id', 'recipients'])
        .where('kind', '=', 'edoc')
        .where('business_type', 'in', [0, 3])
        .where('edxml_document_id', '=', edxmlDocumentId)
        .executeTakeFirst();
    },

    /** Our first sending (new document) of an outgoing document. */
    sentEdocOf(documentId: string) {
      return db
        .selectFrom('exchange_outbound')
        .select(['from_code', 'recipients', 'edxml_document_id'])
        .where('kind', '=', 'edoc')
        .where('business_type', 'in', [0, 3])
        .where('document_id', '=', documentId)
        .executeTakeFirst();
    },
    /** A recall request received for our copy and not answered yet (no 15/16 sent). */
    pendingRecallOf(documentId: string) {
      return db
        .selectFrom('exchange_inbound as i')
        .select('i.hub_message_id')
        .where('i.kind', '=', 'edoc')
        .where('i.business_type', '=', 1)
        .where('i.outcome', '=', 'applied')
        .where('i.document_id', '=', documentId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('exchange_outbound as o')
                .select('o.id')
                .where('o.document_id', '=', documentId)
                .where('o.kind', '=', 'status')
                .where('o.status_code', 'in', ['15', '16'])
                // answers to update requests are not answers to the recall
                .where('o.regarding', '=', ''),
            ),
          ),
        )
        .executeTakeFirst();
    },
    inboundSeen(hubMessageId: string) {
      return db
        .selectFrom('exchange_inbound')
        .select(['outcome', 'document_id'])
        .where('hub_message_id', '=', hubMessageId)
        .executeTakeFirst();
    },
    /** The accepted edoc an incoming document came from (to answer its sender). */
    inboundEdocOf(documentId: string) {
      return db
        .selectFrom('exchange_inbound')
        .selectAll()
        .where('kind', '=', 'edoc')
        .where('outcome', '=', 'accepted')
        .where('document_id', '=', documentId)
        .executeTakeFirst();
    },
    /** The incoming document a document (new, or a replacement) became at that agency. */
    acceptedEdoc(edxmlDocumentId: string, recipientCode: string) {
      return db
        .selectFrom('exchange_inbound')
        .select(['document_id'])
        .where('kind', '=', 'edoc')
        .where('outcome', '=', 'accepted')
        .where('edxml_document_id', '=', edxmlDocumentId)
        .where('recipient_code', '=', recipientCode)
        .where('business_type', 'in', [0, 3])
        .executeTakeFirst();
    },
    insertInbound(row: {
      hub_message_id: string;
      kind: 'edoc' | 'status';
      recipient_code: string;
      from_code: string;
      edxml_document_id: string;
      business_type: number | null;
      status_code: string | null;
      document_id: string | null;
      outcome: 'accepted' | 'duplicate' | 'applied' | 'unknown_document' | 'rejected';
      detail: string | null;
      warnings: unknown[];
      xml_signature?: 'absent' | 'valid' | 'invalid';
      xml_signer?: string | null;
      xml_trusted?: boolean | null;
      xml_revocation?: 'good' | 'revoked' | 'unknown' | null;
      xml_revocation_detail?: string | null;
    }) {
      return db
        .insertInto('exchange_inbound')
        .values({ ...row, warnings: JSON.stringify(row.warnings) })
        .execute();
    },

    /** A timeline event of our outgoing document at one recipient; true when new. */
    async insertTimeline(row: {
      document_id: string;
      agency_code: string;
      event: string;
      at: Date;
      description: string | null;
      staff: unknown;
      hub_message_id: string | null;
      /** A 15/16: what it answers (a recipient may answer a recall and several updates). */
      regarding?: string;
    }): Promise<boolean> {
      const r =
        await sql`INSERT INTO exchange_timeline (document_id, agency_code, event, at, description, staff, hub_message_id, regarding)
        VALUES (${row.document_id}, ${row.agency_code}, ${row.event}, ${row.at}, ${row.description},
                ${row.staff === null ? null : JSON.stringify(row.staff)}::jsonb, ${row.hub_message_id}, ${row.regarding ?? ''})
        ON CONFLICT DO NOTHING`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },
    timelineOf(documentId: string) {
      return (
        db
          .selectFrom('exchange_timeline')
          .selectAll()
          .where('document_id', '=', documentId)
          .orderBy('agency_code')
          // "sent" first; statuses carry whole seconds, so a tie goes to the code (01 before 03)
          .orderBy(sql`event <> 'sent'`)
          .orderBy('at')
          .orderBy('event')
          .execute()
      );
    },
    outboundOf(documentId: string) {
      return db
        .selectFrom('exchange_outbound')
        .select([
          'id',
          'kind',
          'business_type',
          'status_code',
          'recipients',
          'state',
          'attempts',
          'last_error',
          'created_at',
          'sent_at',
        ])
        .where('document_id', '=', documentId)
        .orderBy('created_at')
        .execute();
    },
    /** Envelopes not sent yet (oldest first) or the latest sent, for the admin screen. */
    listOutbound(state: 'queued' | 'sent', limit: number) {
      return db
        .selectFrom('exchange_outbound')
        .selectAll()
        .where('state', '=', state)
        .orderBy('created_at', state === 'queued' ? 'asc' : 'desc')
        .limit(limit)
        .execute();
    },
    listInbound(
      outcome: 'accepted' | 'duplicate' | 'applied' | 'unknown_document' | 'rejected' | undefined,
      limit: number,
    ) {
      let q = db.selectFrom('exchange_inbound').selectAll().orderBy('received_at', 'desc').limit(limit);
      if (outcome) q = q.where('outcome', '=', outcome);
      return q.execute();
    },
    health() {
      return sql<{ queued: string; failed: string; sent: string; inbound: string; rejected: string }>`
        SELECT
          (SELECT count(*) FROM exchange_outbound WHERE state = 'queued') AS queued,
          (SELECT count(*) FROM exchange_outbound WHERE state = 'failed') AS failed,
          (SELECT count(*) FROM exchange_outbound WHERE state = 'sent') AS sent,
          (SELECT count(*) FROM exchange_inbound) AS inbound,
          (SELECT count(*) FROM exchange_inbound WHERE outcome = 'rejected') AS rejected`
        .execute(db)
        .then((r) => r.rows[0]!);
    },
    upsertDirectory(
      rows: { code: string; legacy_code: string | null; name: string; parent_code: string | null }[],
    ) {
      if (!rows.length) return Promise.resolve();
      return db
        .insertInto('exchange_directory')
        .values(rows.map((r) => ({ ...r, synced_at: new Date() })))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            legacy_code: eb.ref('excluded.legacy_code'),
            name: eb.ref('excluded.name'),
            parent_code: eb.ref('excluded.parent_code'),
            synced_at: eb.ref('excluded.synced_at'),
          })),
        )
        .execute()
        .then(() => undefined);
    },
    directory() {
      return db.selectFrom('exchange_directory').selectAll().orderBy('name').execute();
    },
  };
}
