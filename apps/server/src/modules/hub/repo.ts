import { sql } from 'kysely';
import type { DeliveryState, HubDb, MessageKind } from './tables.ts';

/** All SQL of the hub, on the hub's own database. */
export function hubRepo(db: HubDb) {
  return {
    // --- Agencies

    insertAgency(a: {
      code: string;
      legacy_code: string | null;
      name: string;
      parent_code: string | null;
      email: string | null;
      phone: string | null;
    }) {
      return db.insertInto('hub_agencies').values(a).execute();
    },
    findAgency(code: string) {
      return db.selectFrom('hub_agencies').selectAll().where('code', '=', code).executeTakeFirst();
    },
    findAgencyForUpdate(code: string) {
      return db
        .selectFrom('hub_agencies')
        .selectAll()
        .where('code', '=', code)
        .forUpdate()
        .executeTakeFirst();
    },
    /** Agencies whose code or legacy (QCVN 102) code is one of `codes`. */
    agenciesByAnyCode(codes: string[]) {
      if (codes.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('hub_agencies')
        .select(['code', 'legacy_code', 'active'])
        .where((eb) => eb.or([eb('code', 'in', codes), eb('legacy_code', 'in', codes)]))
        .execute();
    },
    listAgencies(opts: { activeOnly: boolean }) {
      let q = db.selectFrom('hub_agencies').selectAll();
      if (opts.activeOnly) q = q.where('active', '=', true);
      return q.orderBy('code').execute();
    },
    setAgencyActive(code: string, active: boolean) {
      return db
        .updateTable('hub_agencies')
        .set({ active, updated_at: new Date() })
        .where('code', '=', code)
        .executeTakeFirst();
    },

    updateAgency(
      code: string,
      patch: Partial<{
        legacy_code: string | null;
        name: string;
        parent_code: string | null;
        email: string | null;
        phone: string | null;
      }>,
    ) {
      return db
        .updateTable('hub_agencies')
        .set({ ...patch, updated_at: new Date() })
        .where('code', '=', code)
        .executeTakeFirst();
    },
    /** The agency and every agency above it, nearest first (guards against a parent cycle). */
    async ancestorsOf(code: string): Promise<string[]> {
      const r = await sql<{ code: string }>`
        WITH RECURSIVE up(code, parent_code, depth) AS (
          SELECT code, parent_code, 0 FROM hub_agencies WHERE code = ${code}
          UNION ALL
          SELECT a.code, a.parent_code, up.depth + 1 FROM hub_agencies a JOIN up ON a.code = up.parent_code
          WHERE up.depth < 100
        )
        SELECT code FROM up ORDER BY depth`.execute(db);
      return r.rows.map((x) => x.code);
    },

    // --- Systems

    insertSystem(s: { id: string; name: string; secret: string; callback_url: string | null }) {
      return db.insertInto('hub_systems').values(s).execute();
    },
    insertSystemAgencies(systemId: string, codes: string[]) {
      return db
        .insertInto('hub_system_agencies')
        .values(codes.map((agency_code) => ({ system_id: systemId, agency_code })))
        .execute();
    },
    findSystem(id: string) {
      return db
        .selectFrom('hub_systems')
        .select(['id', 'name', 'secret', 'active', 'callback_url'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    systemAgencies(systemId: string) {
      return db
        .selectFrom('hub_system_agencies')
        .select('agency_code')
        .where('system_id', '=', systemId)
        .orderBy('agency_code')
        .execute()
        .then((rows) => rows.map((r) => r.agency_code));
    },
    listSystems() {
      return db
        .selectFrom('hub_systems as s')
        .leftJoin('hub_system_agencies as sa', 'sa.system_id', 's.id')
        .select([
          's.id',
          's.name',
          's.active',
          's.callback_url',
          's.created_at',
          sql<
            string[]
          >`coalesce(array_agg(sa.agency_code ORDER BY sa.agency_code) FILTER (WHERE sa.agency_code IS NOT NULL), '{}')`.as(
            'agencies',
          ),
        ])
        .groupBy('s.id')
        .orderBy('s.created_at')
        .execute();
    },
    setSystemActive(id: string, active: boolean) {
      return db.updateTable('hub_systems').set({ active }).where('id', '=', id).executeTakeFirst();
    },
    storedSecrets() {
      return db.selectFrom('hub_systems').select(['id', 'secret']).execute();
    },
    updateSecret(id: string, secret: string) {
      return db.updateTable('hub_systems').set({ secret }).where('id', '=', id).execute();
    },
    /** Active systems with a callback that act for one of `codes`. */
    callbackSystemsFor(codes: string[]) {
      return db
        .selectFrom('hub_systems as s')
        .innerJoin('hub_system_agencies as sa', 'sa.system_id', 's.id')
        .select(['s.id', 's.secret', 's.callback_url'])
        .distinct()
        .where('s.active', '=', true)
        .where('s.callback_url', 'is not', null)
        .where('sa.agency_code', 'in', codes)
        .execute();
    },
    insertPushAttempt(a: {
      message_id: string;
      system_id: string;
      attempt: number;
      http_status: number | null;
      error: string | null;
    }) {
      return db.insertInto('hub_push_attempts').values(a).execute();
    },
    async pushAttemptCount(messageId: string, systemId: string): Promise<number> {
      const r = await db
        .selectFrom('hub_push_attempts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('message_id', '=', messageId)
        .where('system_id', '=', systemId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // --- Replay protection

    /** True when the nonce is new for the system (and is now recorded). */
    async recordNonce(systemId: string, nonce: string): Promise<boolean> {
      const r = await db
        .insertInto('hub_nonces')
        .values({ system_id: systemId, nonce })
        .onConflict((oc) => oc.doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return r !== undefined;
    },
    async purgeNonces(before: Date): Promise<number> {
      const r = await db.deleteFrom('hub_nonces').where('seen_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    // --- Messages and deliveries

    findByKey(systemId: string, key: string) {
      return db
        .selectFrom('hub_messages')
        .select(['id', 'sha256'])
        .where('sender_system', '=', systemId)
        .where('message_key', '=', key)
        .executeTakeFirst();
    },
    insertMessage(m: {
      id: string;
      sender_system: string;
      from_code: string;
      kind: MessageKind;
      message_key: string;
      document_id: string;
      business_type: number | null;
      status_code: string | null;
      body: Buffer;
      size: number;
      sha256: string;
    }) {
      return db.insertInto('hub_messages').values(m).execute();
    },
    insertDeliveries(messageId: string, kind: MessageKind, codes: string[]) {
      return db
        .insertInto('hub_deliveries')
        .values(codes.map((recipient_code) => ({ message_id: messageId, recipient_code, kind })))
        .execute();
    },
    recipientsOf(messageId: string) {
      return db
        .selectFrom('hub_deliveries')
        .select('recipient_code')
        .where('message_id', '=', messageId)
        .orderBy('recipient_code')
        .execute()
        .then((rows) => rows.map((r) => r.recipient_code));
    },
    /** Recipients of every edoc the hub carried for this DocumentId. */
    edocRecipients(documentId: string) {
      return db
        .selectFrom('hub_deliveries as d')
        .innerJoin('hub_messages as m', 'm.id', 'd.message_id')
        .select('d.recipient_code')
        .distinct()
        .where('m.kind', '=', 'edoc')
        .where('m.document_id', '=', documentId)
        .execute()
        .then((rows) => rows.map((r) => r.recipient_code));
    },
    /** Pending deliveries; `inlineMax` > 0 also reads bodies up to that size (others null). */
    pending(q: { codes: string[]; kind?: MessageKind; limit: number; inlineMax?: number }) {
      let query = db
        .selectFrom('hub_deliveries as d')
        .innerJoin('hub_messages as m', 'm.id', 'd.message_id')
        .select([
          'm.id',
          'm.kind',
          'm.from_code',
          'd.recipient_code',
          'm.document_id',
          'm.business_type',
          'm.status_code',
          'm.size',
          'm.sha256',
          'm.created_at',
          sql<Buffer | null>`case when m.size <= ${q.inlineMax ?? 0} then m.body end`.as('body'),
        ])
        .where('d.recipient_code', 'in', q.codes)
        .where('d.state', '=', 'pending');
      if (q.kind) query = query.where('d.kind', '=', q.kind);
      return query.orderBy('d.message_id').orderBy('d.recipient_code').limit(q.limit).execute();
    },
    findMessage(id: string) {
      return db
        .selectFrom('hub_messages')
        .select(['id', 'sender_system', 'from_code', 'kind'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    body(id: string) {
      return db
        .selectFrom('hub_messages')
        .select('body')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
        .then((r) => r.body);
    },
    countFetch(id: string, codes: string[]) {
      if (codes.length === 0) return Promise.resolve();
      return db
        .updateTable('hub_deliveries')
        .set((eb) => ({
          fetched_count: eb('fetched_count', '+', 1),
          first_fetched_at: sql`coalesce(first_fetched_at, now())`,
        }))
        .where('message_id', '=', id)
        .where('recipient_code', 'in', codes)
        .execute()
        .then(() => undefined);
    },
    /** countFetch for many (message, recipient) pairs in one statement. */
    async countFetches(pairs: { id: string; code: string }[]) {
      if (pairs.length === 0) return;
      await sql`
        UPDATE hub_deliveries d
           SET fetched_count = d.fetched_count + 1,
               first_fetched_at = coalesce(d.first_fetched_at, now())
          FROM unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.code)}::text[]) AS x(id, code)
         WHERE d.message_id = x.id AND d.recipient_code = x.code`.execute(db);
    },
    /**
     * Acknowledges many pending deliveries (those already acknowledged keep their first answer);
     * returns the state after the call of every (message, recipient) that exists.
     */
    async ackMany(
      items: { id: string; code: string; state: Exclude<DeliveryState, 'pending'>; reason: string | null }[],
    ) {
      if (items.length === 0) return [];
      const ids = items.map((i) => i.id);
      const codes = items.map((i) => i.code);
      await sql`
        UPDATE hub_deliveries d
           SET state = x.state, acked_at = now(), ack_reason = x.reason
          FROM unnest(${ids}::uuid[], ${codes}::text[], ${items.map((i) => i.state)}::text[],
                      ${items.map((i) => i.reason)}::text[]) AS x(id, code, state, reason)
         WHERE d.message_id = x.id AND d.recipient_code = x.code AND d.state = 'pending'`.execute(db);
      const r = await sql<{
        message_id: string;
        recipient_code: string;
        state: DeliveryState;
        acked_at: Date | null;
      }>`
        SELECT d.message_id, d.recipient_code, d.state, d.acked_at
          FROM hub_deliveries d
          JOIN unnest(${ids}::uuid[], ${codes}::text[]) AS x(id, code)
            ON d.message_id = x.id AND d.recipient_code = x.code`.execute(db);
      return r.rows;
    },
    /** Acknowledges a pending delivery; a delivery already acknowledged keeps its first answer. */
    async ack(id: string, code: string, state: Exclude<DeliveryState, 'pending'>, reason: string | null) {
      await db
        .updateTable('hub_deliveries')
        .set({ state, acked_at: sql`now()`, ack_reason: reason })
        .where('message_id', '=', id)
        .where('recipient_code', '=', code)
        .where('state', '=', 'pending')
        .execute();
      return db
        .selectFrom('hub_deliveries')
        .select(['state', 'acked_at'])
        .where('message_id', '=', id)
        .where('recipient_code', '=', code)
        .executeTakeFirst();
    },
    sent(q: { systemId: string; kind?: MessageKind; since?: Date; limit: number }) {
      let query = db
        .selectFrom('hub_messages')
        .select(['id', 'kind', 'from_code', 'document_id', 'status_code', 'created_at'])
        .where('sender_system', '=', q.systemId);
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.since) query = query.where('created_at', '>=', q.since);
      return query.orderBy('created_at').orderBy('id').limit(q.limit).execute();
    },
    deliveriesOf(ids: string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('hub_deliveries')
        .select(['message_id', 'recipient_code', 'state', 'first_fetched_at', 'acked_at', 'ack_reason'])
        .where('message_id', 'in', ids)
        .orderBy('message_id')
        .orderBy('recipient_code')
        .execute();
    },
    /**
     * Deletes messages accepted before `before` whose every delivery is acknowledged (their
     * deliveries and push attempts go with them). A pending delivery keeps its message.
     */
    async purge(before: Date): Promise<{ messages: number; deliveries: number }> {
      const r = await sql<{ messages: string; deliveries: string }>`
        WITH doomed AS (
          SELECT m.id FROM hub_messages m
          WHERE m.created_at < ${before}
            AND NOT EXISTS (SELECT 1 FROM hub_deliveries d WHERE d.message_id = m.id AND d.state = 'pending')
          FOR UPDATE
        ), gone_deliveries AS (
          DELETE FROM hub_deliveries WHERE message_id IN (SELECT id FROM doomed) RETURNING 1
        ), gone_messages AS (
          DELETE FROM hub_messages WHERE id IN (SELECT id FROM doomed) RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone_messages) AS messages,
               (SELECT count(*) FROM gone_deliveries) AS deliveries`.execute(db);
      const row = r.rows[0]!;
      return { messages: Number(row.messages), deliveries: Number(row.deliveries) };
    },

    // --- Operator views

    /** Pending deliveries per recipient agency: counts by kind and the oldest arrival. */
    async queuesByAgency() {
      const r = await sql<{
        code: string;
        name: string;
        edoc: string;
        status: string;
        oldest_at: Date | null;
      }>`
        SELECT a.code, a.name,
               count(*) FILTER (WHERE d.kind = 'edoc') AS edoc,
               count(*) FILTER (WHERE d.kind = 'status') AS status,
               min(m.created_at) AS oldest_at
        FROM hub_deliveries d
        JOIN hub_messages m ON m.id = d.message_id
        JOIN hub_agencies a ON a.code = d.recipient_code
        WHERE d.state = 'pending'
        GROUP BY a.code, a.name
        ORDER BY min(m.created_at), a.code`.execute(db);
      return r.rows;
    },
    /** Pending deliveries per system, over the agencies each acts for. */
    async queuesBySystem() {
      const r = await sql<{ id: string; name: string; edoc: string; status: string; oldest_at: Date | null }>`
        SELECT s.id, s.name,
               count(d.message_id) FILTER (WHERE d.kind = 'edoc') AS edoc,
               count(d.message_id) FILTER (WHERE d.kind = 'status') AS status,
               min(m.created_at) AS oldest_at
        FROM hub_systems s
        JOIN hub_system_agencies sa ON sa.system_id = s.id
        LEFT JOIN hub_deliveries d ON d.recipient_code = sa.agency_code AND d.state = 'pending'
        LEFT JOIN hub_messages m ON m.id = d.message_id
        GROUP BY s.id, s.name
        ORDER BY s.created_at`.execute(db);
      return r.rows;
    },
    /** Messages, newest first, by id, sender, recipient, kind and a delivery's state. */
    searchMessages(q: {
      id?: string;
      from?: string;
      to?: string;
      kind?: MessageKind;
      state?: DeliveryState;
      limit: number;
    }) {
      let query = db
        .selectFrom('hub_messages as m')
        .select([
          'm.id',
          'm.kind',
          'm.from_code',
          'm.sender_system',
          'm.document_id',
          'm.business_type',
          'm.status_code',
          'm.size',
          'm.created_at',
        ]);
      if (q.id) query = query.where('m.id', '=', q.id);
      if (q.from) query = query.where('m.from_code', '=', q.from);
      if (q.kind) query = query.where('m.kind', '=', q.kind);
      if (q.to || q.state)
        query = query.where(({ exists, selectFrom }) => {
          let sub = selectFrom('hub_deliveries as d')
            .select(sql`1`.as('one'))
            .whereRef('d.message_id', '=', 'm.id');
          if (q.to) sub = sub.where('d.recipient_code', '=', q.to);
          if (q.state) sub = sub.where('d.state', '=', q.state);
          return exists(sub);
        });
      return query.orderBy('m.id', 'desc').limit(q.limit).execute();
    },
    fullDeliveriesOf(ids: string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('hub_deliveries')
        .select([
          'message_id',
          'recipient_code',
          'state',
          'fetched_count',
          'first_fetched_at',
          'acked_at',
          'ack_reason',
        ])
        .where('message_id', 'in', ids)
        .orderBy('message_id')
        .orderBy('recipient_code')
        .execute();
    },
    /** Deliveries their recipient acknowledged `fail`, latest first. */
    failedDeliveries(limit: number) {
      return db
        .selectFrom('hub_deliveries as d')
        .innerJoin('hub_messages as m', 'm.id', 'd.message_id')
        .select([
          'm.id',
          'm.kind',
          'm.from_code',
          'd.recipient_code',
          'm.document_id',
          'm.created_at',
          'd.acked_at',
          'd.ack_reason',
        ])
        .where('d.state', '=', 'fail')
        .orderBy('d.acked_at', 'desc')
        .limit(limit)
        .execute();
    },
    /**
     * (message, system) pairs whose pushes all failed, at least `minAttempts` of them, while the
     * message still waits for an agency the system acts for.
     */
    async failedPushes(minAttempts: number, limit: number, only?: { messageId: string; systemId: string }) {
      const r = await sql<{
        message_id: string;
        kind: MessageKind;
        from_code: string;
        document_id: string;
        created_at: Date;
        system_id: string;
        system_name: string;
        callback_url: string | null;
        attempts: number;
        last_at: Date;
        last_status: number | null;
        last_error: string | null;
      }>`
        SELECT p.message_id, m.kind, m.from_code, m.document_id, m.created_at,
               p.system_id, s.name AS system_name, s.callback_url,
               count(*)::int AS attempts, max(p.at) AS last_at,
               (array_agg(p.http_status ORDER BY p.id DESC))[1] AS last_status,
               (array_agg(p.error ORDER BY p.id DESC))[1] AS last_error
        FROM hub_push_attempts p
        JOIN hub_messages m ON m.id = p.message_id
        JOIN hub_systems s ON s.id = p.system_id
        WHERE s.active AND s.callback_url IS NOT NULL
          AND ${only ? sql`p.message_id = ${only.messageId} AND p.system_id = ${only.systemId}` : sql`true`}
        GROUP BY p.message_id, m.kind, m.from_code, m.document_id, m.created_at, p.system_id, s.name, s.callback_url
        HAVING count(*) >= ${minAttempts}
           AND NOT bool_or(p.http_status BETWEEN 200 AND 299)
           AND EXISTS (
             SELECT 1 FROM hub_deliveries d
             JOIN hub_system_agencies sa ON sa.agency_code = d.recipient_code AND sa.system_id = p.system_id
             WHERE d.message_id = p.message_id AND d.state = 'pending')
        ORDER BY max(p.at) DESC
        LIMIT ${limit}`.execute(db);
      return r.rows;
    },
    /** Puts a delivery acknowledged `fail` back in its recipient's queue; false if it is not such a delivery. */
    async requeueDelivery(messageId: string, code: string): Promise<{ reason: string | null } | null> {
      const before = await db
        .selectFrom('hub_deliveries')
        .select(['ack_reason'])
        .where('message_id', '=', messageId)
        .where('recipient_code', '=', code)
        .where('state', '=', 'fail')
        .forUpdate()
        .executeTakeFirst();
      if (!before) return null;
      await db
        .updateTable('hub_deliveries')
        .set({ state: 'pending', acked_at: null, ack_reason: null })
        .where('message_id', '=', messageId)
        .where('recipient_code', '=', code)
        .where('state', '=', 'fail')
        .execute();
      return { reason: before.ack_reason };
    },

    // --- Administrative record

    logAdmin(e: { actor: string; action: string; subject: string | null; summary: Record<string, unknown> }) {
      return db
        .insertInto('hub_admin_log')
        .values({ ...e, summary: JSON.stringify(e.summary) })
        .execute();
    },
  };
}

export type HubRepo = ReturnType<typeof hubRepo>;
