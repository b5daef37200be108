import { createHash, timingSafeEqual } from 'node:crypto';
import { ERRORS, type ErrorCode } from '@congvu/contracts';
import { compileSearch } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../platform/errors.ts';
import { HUB_HEADERS, hubSignature, hubSigningString } from './client.ts';
import { type EnvelopeFacts, type EnvelopeInspector, edxmlInspector, HubEnvelopeError } from './envelope.ts';
import { type HubPusher, noPush } from './push.ts';
import { hubRepo } from './repo.ts';
import type {
  AckBody,
  AckManyResult,
  AckResult,
  HubAgency,
  ListQuery,
  PendingMessage,
  SendResult,
  SentMessage,
  SentQuery,
} from './schema.ts';
import { HubAgencyCode, ListQuery as ListQuerySchema, SentQuery as SentQuerySchema } from './schema.ts';
import { HubSecretKeyMissing, newSystemSecret, type SecretBox } from './secrets.ts';
import type { HubDb, MessageKind } from './tables.ts';

/** A refusal carrying the axis error number (15 auth, 18 recipient, 19 sender, 22 envelope). */
export function hubError(code: ErrorCode, details: Record<string, unknown> = {}): AppError {
  const axisCode = (ERRORS[code] as { axisCode?: number }).axisCode;
  return new AppError(code, axisCode === undefined ? details : { axisCode, ...details });
}

/** How far a request's X-Timestamp may be from the hub's clock. */
export const HUB_TIME_WINDOW_SECONDS = 300;

/** A system whose request passed the first checks (known, active, fresh); not yet its signature. */
export interface HubCandidate {
  systemId: string;
  secret: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

/** An authenticated caller. */
export interface HubCaller {
  systemId: string;
  /** The agencies it acts for (QĐ 20 codes). */
  agencies: string[];
}

/** Who made an administrative change (the CLI says "cli"). */
export type HubActor = string;

export interface HubServiceOptions {
  secrets: SecretBox;
  /** Default: edxmlInspector (@congvu/edxml, lenient). */
  inspector?: EnvelopeInspector;
  pusher?: HubPusher;
  now?: () => Date;
  /**
   * How long a system's row and agencies are reused between requests (default 2 s): a change made
   * by this process clears them at once; one made by another process (the CLI, a second hub)
   * takes effect within this time.
   */
  authCacheMs?: number;
}

/** Bodies the pending list carries inline (`withBodies`): each up to 1 MiB, 8 MiB in all. */
export const INLINE_BODY_MAX = 1 << 20;
export const INLINE_BODIES_TOTAL = 8 << 20;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The exchange hub: agencies and connected systems, signed requests, and the store-and-forward
 * queue of envelopes with per-recipient transport acknowledgements. Knows nothing of the
 * installations' documents.
 */
export function hubService(db: HubDb, opts: HubServiceOptions) {
  const repo = hubRepo(db);
  const inspect = opts.inspector ?? edxmlInspector;
  const pusher = opts.pusher ?? noPush;
  const now = opts.now ?? (() => new Date());
  const { secrets } = opts;
  const authCacheMs = opts.authCacheMs ?? 2000;
  /** Per system: its row (secret opened) and agencies, as read at `at`. */
  const systems = new Map<
    string,
    { at: number; active: boolean; secret: string; agencies: string[] } | { at: number; missing: true }
  >();
  async function systemOf(id: string) {
    const hit = systems.get(id);
    if (hit && Date.now() - hit.at < authCacheMs) return 'missing' in hit ? undefined : hit;
    const row = await repo.findSystem(id);
    const entry = row
      ? {
          at: Date.now(),
          active: row.active,
          secret: secrets.open(row.secret),
          agencies: await repo.systemAgencies(id),
        }
      : { at: Date.now(), missing: true as const };
    if (systems.size > 10_000) systems.clear();
    systems.set(id, entry);
    return 'missing' in entry ? undefined : entry;
  }

  /** After an administrative change here: every cached system and agency is read again. */
  function forgetCaches() {
    systems.clear();
    agencyCache.clear();
  }

  /** An administrative change: in one transaction, after which the caches are read again. */
  async function adminTransaction<T>(fn: (trx: HubDb) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(fn);
    } finally {
      forgetCaches();
    }
  }

  const iso = (d: Date) => d.toISOString();

  /** Agencies by either code as last read (at), `null` when there is none; kept like `systems`. */
  const agencyCache = new Map<string, { at: number; row: { code: string; active: boolean } | null }>();

  /** Resolves codes (QĐ 20 or legacy QCVN 102) to the agencies' QĐ 20 codes; unknown → undefined. */
  async function resolve(codes: string[]) {
    const byAny = new Map<string, { code: string; active: boolean }>();
    const fresh = (c: string) => {
      const hit = agencyCache.get(c);
      return hit && Date.now() - hit.at < authCacheMs ? hit : undefined;
    };
    const missing = codes.filter((c) => !fresh(c));
    if (missing.length) {
      const rows = await repo.agenciesByAnyCode(missing);
      if (agencyCache.size > 20_000) agencyCache.clear();
      const at = Date.now();
      for (const c of missing) agencyCache.set(c, { at, row: null });
      for (const r of rows) {
        const row = { code: r.code, active: r.active };
        agencyCache.set(r.code, { at, row });
        if (r.legacy_code) agencyCache.set(r.legacy_code, { at, row });
      }
    }
    for (const c of codes) {
      const row = agencyCache.get(c)?.row;
      if (row) byAny.set(c, row);
    }
    return (c: string) => byAny.get(c);
  }

  async function recipientsFor(facts: EnvelopeFacts, fromCode: string, xTo?: string[]) {
    if (facts.kind === 'edoc') {
      const find = await resolve([...facts.to, ...(xTo ?? [])]);
      const to = new Map<string, string>(); // code → as written
      for (const c of facts.to) {
        const a = find(c);
        if (!a?.active) throw hubError('HUB_RECIPIENT_UNKNOWN', { recipient: c });
        to.set(a.code, c);
      }
      if (!xTo) return [...to.keys()];
      const subset = xTo.map((c) => {
        const a = find(c);
        if (!a || !to.has(a.code))
          throw hubError('HUB_RECIPIENT_UNKNOWN', { recipient: c, reason: 'not a To of the envelope' });
        return a.code;
      });
      return [...new Set(subset)];
    }
    if (xTo) {
      const find = await resolve(xTo);
      return [
        ...new Set(
          xTo.map((c) => {
            const a = find(c);
            if (!a?.active) throw hubError('HUB_RECIPIENT_UNKNOWN', { recipient: c });
            return a.code;
          }),
        ),
      ];
    }
    // A status goes back to the document's issuer, unless the issuer sends it (e.g. 13, a recall
    // request): then to everyone the hub delivered that document to.
    const issuer = facts.documentId.split(',')[0]!.trim();
    const find = await resolve([issuer]);
    const issuerAgency = find(issuer);
    if (issuerAgency?.code === fromCode || issuer === facts.from) {
      const earlier = (await repo.edocRecipients(facts.documentId)).filter((c) => c !== fromCode);
      const active = await resolve(earlier);
      const out = earlier.filter((c) => active(c)?.active);
      if (out.length === 0)
        throw hubError('HUB_RECIPIENT_UNKNOWN', {
          documentId: facts.documentId,
          reason: 'the hub carried no document with this DocumentId to an active agency; give X-To',
        });
      return out;
    }
    if (!issuerAgency?.active)
      throw hubError('HUB_RECIPIENT_UNKNOWN', { recipient: issuer, reason: 'issuer of the DocumentId' });
    return [issuerAgency.code];
  }

  async function answerFor(id: string): Promise<SendResult> {
    return { id, recipients: await repo.recipientsOf(id) };
  }

  async function log(
    actor: HubActor,
    action: string,
    subject: string | null,
    summary: Record<string, unknown>,
  ) {
    forgetCaches();
    await repo.logAdmin({ actor, action, subject, summary });
  }

  return {
    // --- Authentication of systems

    /**
     * First checks, before the body is read: the four headers are there and well formed, the
     * system is known and active, the timestamp is within the window.
     */
    async precheck(headers: Record<string, string | string[] | undefined>): Promise<HubCandidate> {
      const h = (n: string) => {
        const v = headers[n];
        return typeof v === 'string' ? v : undefined;
      };
      const systemId = h(HUB_HEADERS.systemId);
      const timestamp = h(HUB_HEADERS.timestamp);
      const nonce = h(HUB_HEADERS.nonce);
      const signature = h(HUB_HEADERS.signature);
      const missing = [
        ['X-System-Id', systemId],
        ['X-Timestamp', timestamp],
        ['X-Nonce', nonce],
        ['X-Signature', signature],
      ]
        .filter(([, v]) => !v)
        .map(([n]) => n);
      if (missing.length) throw hubError('HUB_AUTH_FAILED', { missing });
      if (!TIMESTAMP.test(timestamp!) || Number.isNaN(Date.parse(timestamp!)))
        throw hubError('HUB_AUTH_FAILED', { reason: 'X-Timestamp must be ISO 8601 UTC (…Z)' });
      if (!NONCE.test(nonce!))
        throw hubError('HUB_AUTH_FAILED', { reason: 'X-Nonce: 16–128 of [A-Za-z0-9_-]' });
      const id = systemId!.toLowerCase();
      const system = UUID.test(id) ? await systemOf(id) : undefined;
      // Unknown and inactive systems get the same answer as a bad signature.
      if (!system?.active) throw hubError('HUB_AUTH_FAILED');
      if (Math.abs(now().getTime() - Date.parse(timestamp!)) > HUB_TIME_WINDOW_SECONDS * 1000)
        throw hubError('HUB_REQUEST_STALE', { hubTime: iso(now()) });
      return {
        systemId: id,
        secret: system.secret,
        timestamp: timestamp!,
        nonce: nonce!,
        signature: signature!,
      };
    },

    /** The signature over method, target, timestamp, nonce and body; then the nonce, once. */
    async authenticate(c: HubCandidate, req: { method: string; pathWithQuery: string; body: Buffer }) {
      const expected = Buffer.from(
        hubSignature(
          c.secret,
          hubSigningString({
            method: req.method,
            pathWithQuery: req.pathWithQuery,
            timestamp: c.timestamp,
            nonce: c.nonce,
            bodySha256: createHash('sha256').update(req.body).digest('hex'),
          }),
        ),
        'base64',
      );
      const given = Buffer.from(c.signature, 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw hubError('HUB_AUTH_FAILED');
      if (!(await repo.recordNonce(c.systemId, c.nonce))) throw hubError('HUB_REQUEST_REPLAYED');
      const system = await systemOf(c.systemId);
      if (!system?.active) throw hubError('HUB_AUTH_FAILED');
      return { systemId: c.systemId, agencies: system.agencies } satisfies HubCaller;
    },

    /** Forgets nonces older than twice the window (such a request is refused as stale anyway). */
    purgeNonces() {
      return repo.purgeNonces(new Date(now().getTime() - 2 * HUB_TIME_WINDOW_SECONDS * 1000));
    },

    // --- Messages

    /**
     * Accepts an envelope: inspects it, checks the sender, routes it, and stores the message with
     * one delivery per recipient in one transaction. The same key and bytes again answer the
     * first result (created: false); the same key with other bytes is refused.
     */
    async send(
      caller: HubCaller,
      body: Buffer,
      o: { messageKey: string; to?: string[] },
    ): Promise<{ result: SendResult; created: boolean }> {
      const sha256 = createHash('sha256').update(body).digest('hex');
      const replay = async () => {
        const prev = await repo.findByKey(caller.systemId, o.messageKey);
        if (!prev) return null;
        if (prev.sha256 !== sha256) throw hubError('HUB_MESSAGE_KEY_REUSED', { messageKey: o.messageKey });
        return { result: await answerFor(prev.id), created: false };
      };
      const earlier = await replay();
      if (earlier) return earlier;

      let facts: EnvelopeFacts;
      try {
        facts = inspect(body);
      } catch (e) {
        if (e instanceof HubEnvelopeError) throw hubError('HUB_ENVELOPE_INVALID', { reason: e.reason });
        throw e;
      }
      const sender = (await resolve([facts.from]))(facts.from);
      if (!sender?.active || !caller.agencies.includes(sender.code))
        throw hubError('HUB_SENDER_NOT_ALLOWED', { from: facts.from });
      const recipients = (await recipientsFor(facts, sender.code, o.to)).sort();

      const id = uuidv7();
      try {
        await db.transaction().execute(async (trx) => {
          const r = hubRepo(trx);
          await r.insertMessage({
            id,
            sender_system: caller.systemId,
            from_code: sender.code,
            kind: facts.kind,
            message_key: o.messageKey,
            document_id: facts.documentId,
            business_type: facts.kind === 'edoc' ? (facts.businessType ?? null) : null,
            status_code: facts.kind === 'status' ? facts.statusCode! : null,
            body,
            size: body.length,
            sha256,
          });
          await r.insertDeliveries(id, facts.kind, recipients);
        });
      } catch (e) {
        // A concurrent send with the same key won the race: answer as a repeat.
        if ((e as { constraint?: string }).constraint === 'hub_messages_sender_system_message_key_key') {
          const again = await replay();
          if (again) return again;
        }
        throw e;
      }
      pusher.notify({ messageId: id, kind: facts.kind, recipients });
      return { result: { id, recipients }, created: true };
    },

    /**
     * Pending deliveries for the caller's agencies (or one of them), oldest first. With
     * `withBodies`, each envelope up to INLINE_BODY_MAX comes inline (base64) while the list stays
     * under INLINE_BODIES_TOTAL, counted as fetched; the others are fetched one by one.
     */
    async listPending(caller: HubCaller, query: ListQuery): Promise<PendingMessage[]> {
      const q = ListQuerySchema.parse(query);
      if (q.agency && !caller.agencies.includes(q.agency))
        throw hubError('HUB_AGENCY_NOT_ALLOWED', { agency: q.agency });
      const codes = q.agency ? [q.agency] : caller.agencies;
      if (codes.length === 0) return [];
      const withBodies = q.withBodies === 'true' || q.withBodies === '1';
      const rows = await repo.pending({
        codes,
        kind: q.kind,
        limit: q.limit,
        inlineMax: withBodies ? INLINE_BODY_MAX : 0,
      });
      let budget = INLINE_BODIES_TOTAL;
      const fetched: { id: string; code: string }[] = [];
      const out = rows.map((r) => {
        const inline = r.body && r.body.length <= budget ? r.body : null;
        if (inline) {
          budget -= inline.length;
          fetched.push({ id: r.id, code: r.recipient_code });
        }
        return {
          id: r.id,
          kind: r.kind,
          from: r.from_code,
          to: r.recipient_code,
          documentId: r.document_id,
          ...(r.business_type !== null && { businessType: r.business_type }),
          ...(r.status_code !== null && { statusCode: r.status_code }),
          size: r.size,
          sha256: r.sha256,
          createdAt: iso(r.created_at),
          ...(inline && { body: inline.toString('base64') }),
        };
      });
      await repo.countFetches(fetched);
      return out;
    },

    /**
     * The envelope bytes, for a recipient the caller acts for (counted as a fetch) or for its
     * sender. Anyone else hears "not found", whether or not the message exists.
     */
    async fetch(caller: HubCaller, id: string, agency?: string): Promise<Buffer> {
      const m = UUID.test(id) ? await repo.findMessage(id) : undefined;
      if (!m) throw hubError('HUB_MESSAGE_NOT_FOUND');
      const recipients = await repo.recipientsOf(id);
      const mine = caller.agencies.filter(
        (c) => (agency === undefined || c === agency) && recipients.includes(c),
      );
      const isSender =
        agency === undefined
          ? m.sender_system === caller.systemId || caller.agencies.includes(m.from_code)
          : agency === m.from_code && caller.agencies.includes(agency);
      if (mine.length === 0 && !isSender) throw hubError('HUB_MESSAGE_NOT_FOUND');
      await repo.countFetch(id, mine);
      return repo.body(id);
    },

    /** Transport acknowledgement of one recipient's delivery; the first answer stays. */
    async ack(caller: HubCaller, id: string, a: AckBody): Promise<AckResult> {
      if (!UUID.test(id) || !caller.agencies.includes(a.agency)) throw hubError('HUB_MESSAGE_NOT_FOUND');
      const row = await repo.ack(id, a.agency, a.status, a.reason ?? null);
      if (!row || row.state === 'pending' || !row.acked_at) throw hubError('HUB_MESSAGE_NOT_FOUND');
      return { id, agency: a.agency, state: row.state, ackedAt: iso(row.acked_at) };
    },

    /**
     * Acknowledgements of many deliveries in one call (one statement); each item is answered like
     * a single ack, or with HUB_MESSAGE_NOT_FOUND for a delivery the caller may not answer.
     */
    async ackMany(caller: HubCaller, items: (AckBody & { id: string })[]): Promise<AckManyResult> {
      const allowed = items.filter((a) => UUID.test(a.id) && caller.agencies.includes(a.agency));
      const rows = await repo.ackMany(
        allowed.map((a) => ({
          id: a.id.toLowerCase(),
          code: a.agency,
          state: a.status,
          reason: a.reason ?? null,
        })),
      );
      const after = new Map(rows.map((r) => [`${r.message_id} ${r.recipient_code}`, r]));
      return {
        items: items.map((a) => {
          const r = after.get(`${a.id.toLowerCase()} ${a.agency}`);
          return r && r.state !== 'pending' && r.acked_at && caller.agencies.includes(a.agency)
            ? { id: a.id, agency: a.agency, state: r.state, ackedAt: iso(r.acked_at) }
            : { id: a.id, agency: a.agency, error: 'HUB_MESSAGE_NOT_FOUND' as const };
        }),
      };
    },

    /** What the caller sent, with each recipient's delivery state. */
    async sent(caller: HubCaller, query: SentQuery): Promise<SentMessage[]> {
      const q = SentQuerySchema.parse(query);
      const rows = await repo.sent({
        systemId: caller.systemId,
        kind: q.kind,
        since: q.since ? new Date(q.since) : undefined,
        limit: q.limit,
      });
      const deliveries = await repo.deliveriesOf(rows.map((r) => r.id));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        from: r.from_code,
        documentId: r.document_id,
        ...(r.status_code !== null && { statusCode: r.status_code }),
        createdAt: iso(r.created_at),
        recipients: deliveries
          .filter((d) => d.message_id === r.id)
          .map((d) => ({
            code: d.recipient_code,
            state: d.state,
            fetchedAt: d.first_fetched_at ? iso(d.first_fetched_at) : null,
            ackedAt: d.acked_at ? iso(d.acked_at) : null,
            reason: d.ack_reason,
          })),
      }));
    },

    /** Connected (active) agencies. */
    async agencies(): Promise<HubAgency[]> {
      return (await repo.listAgencies({ activeOnly: true })).map((a) => ({
        code: a.code,
        legacyCode: a.legacy_code,
        name: a.name,
        parentCode: a.parent_code,
      }));
    },

    // --- Administration (the `congvu hub` command, the operator API /api/hub-admin, tests)

    async addAgency(
      actor: HubActor,
      input: {
        code: string;
        legacyCode?: string | null;
        name: string;
        parentCode?: string | null;
        email?: string | null;
        phone?: string | null;
      },
    ) {
      const code = HubAgencyCode.parse(input.code);
      const legacy = input.legacyCode ? HubAgencyCode.parse(input.legacyCode) : null;
      const name = input.name.normalize('NFC').trim();
      if (!name) throw new AppError('VALIDATION_ERROR', [{ path: 'name', message: 'required' }]);
      const parent = input.parentCode ?? null;
      if (parent && !(await repo.findAgency(parent)))
        throw hubError('HUB_AGENCY_NOT_FOUND', { code: parent });
      try {
        await adminTransaction(async (trx) => {
          await hubRepo(trx).insertAgency({
            code,
            legacy_code: legacy,
            name,
            parent_code: parent,
            email: input.email ?? null,
            phone: input.phone ?? null,
          });
          await hubRepo(trx).logAdmin({
            actor,
            action: 'agency.added',
            subject: code,
            summary: { legacyCode: legacy, name, parentCode: parent },
          });
        });
      } catch (e) {
        const c = (e as { constraint?: string }).constraint;
        if (c === 'hub_agencies_pkey' || c === 'hub_agencies_legacy_code_key')
          throw hubError('HUB_AGENCY_EXISTS', { code: c === 'hub_agencies_pkey' ? code : legacy });
        throw e;
      }
      forgetCaches();
      return (await repo.findAgency(code))!;
    },

    listAllAgencies() {
      return repo.listAgencies({ activeOnly: false });
    },

    /** Inactive: no longer a valid sender or recipient; its rows stay. */
    async setAgencyActive(actor: HubActor, code: string, active: boolean) {
      await adminTransaction(async (trx) => {
        const r = await hubRepo(trx).setAgencyActive(code, active);
        if (Number(r.numUpdatedRows) === 0) throw hubError('HUB_AGENCY_NOT_FOUND', { code });
        await hubRepo(trx).logAdmin({
          actor,
          action: active ? 'agency.enabled' : 'agency.disabled',
          subject: code,
          summary: {},
        });
      });
    },

    /** Changes an agency's details (not its code, the routing address); records what changed. */
    async updateAgency(
      actor: HubActor,
      code: string,
      patch: {
        legacyCode?: string | null;
        name?: string;
        parentCode?: string | null;
        email?: string | null;
        phone?: string | null;
      },
    ) {
      const set: Parameters<typeof repo.updateAgency>[1] = {};
      if (patch.legacyCode !== undefined)
        set.legacy_code = patch.legacyCode ? HubAgencyCode.parse(patch.legacyCode) : null;
      if (patch.name !== undefined) {
        const name = patch.name.normalize('NFC').trim();
        if (!name) throw new AppError('VALIDATION_ERROR', [{ path: 'name', message: 'required' }]);
        set.name = name;
      }
      if (patch.parentCode !== undefined) set.parent_code = patch.parentCode || null;
      if (patch.email !== undefined) set.email = patch.email || null;
      if (patch.phone !== undefined) set.phone = patch.phone || null;
      try {
        return await adminTransaction(async (trx) => {
          const r = hubRepo(trx);
          const before = await r.findAgencyForUpdate(code);
          if (!before) throw hubError('HUB_AGENCY_NOT_FOUND', { code });
          if (set.parent_code) {
            if (!(await r.findAgency(set.parent_code)))
              throw hubError('HUB_AGENCY_NOT_FOUND', { code: set.parent_code });
            if ((await r.ancestorsOf(set.parent_code)).includes(code))
              throw hubError('HUB_AGENCY_PARENT_INVALID', { code, parentCode: set.parent_code });
          }
          await r.updateAgency(code, set);
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          for (const [k, v] of Object.entries(set)) {
            const old = before[k as keyof typeof before];
            if (old !== v) changes[k] = { from: old, to: v };
          }
          await r.logAdmin({ actor, action: 'agency.updated', subject: code, summary: changes });
          return (await r.findAgency(code))!;
        });
      } catch (e) {
        if ((e as { constraint?: string }).constraint === 'hub_agencies_legacy_code_key')
          throw hubError('HUB_AGENCY_EXISTS', { code: set.legacy_code });
        throw e;
      }
    },

    /** All agencies, active or not; `q` matches name and codes ignoring case and diacritics. */
    async searchAgencies(q?: { q?: string; active?: boolean }) {
      const rows = await repo.listAgencies({ activeOnly: false });
      const match = compileSearch(q?.q ?? '');
      return rows.filter(
        (a) =>
          (q?.active === undefined || a.active === q.active) &&
          match(`${a.name} ${a.code} ${a.legacy_code ?? ''}`),
      );
    },

    /** Registers a system; the secret is returned here only (store it on the system's side). */
    async addSystem(
      actor: HubActor,
      input: { name: string; agencies: string[]; callbackUrl?: string | null },
    ) {
      const name = input.name.normalize('NFC').trim();
      if (!name) throw new AppError('VALIDATION_ERROR', [{ path: 'name', message: 'required' }]);
      const codes = [...new Set(input.agencies)];
      for (const c of codes) {
        const a = await repo.findAgency(c);
        if (!a) throw hubError('HUB_AGENCY_NOT_FOUND', { code: c });
      }
      if (input.callbackUrl && !/^https?:\/\//.test(input.callbackUrl))
        throw new AppError('VALIDATION_ERROR', [{ path: 'callbackUrl', message: 'http(s) URL' }]);
      const id = uuidv7();
      const secret = newSystemSecret();
      await adminTransaction(async (trx) => {
        const r = hubRepo(trx);
        await r.insertSystem({
          id,
          name,
          secret: secrets.seal(secret),
          callback_url: input.callbackUrl ?? null,
        });
        if (codes.length) await r.insertSystemAgencies(id, codes);
        await r.logAdmin({
          actor,
          action: 'system.added',
          subject: id,
          summary: { name, agencies: codes, callbackUrl: input.callbackUrl ?? null },
        });
      });
      forgetCaches();
      return { id, name, secret, agencies: codes };
    },

    listSystems() {
      return repo.listSystems();
    },

    async setSystemActive(actor: HubActor, id: string, active: boolean) {
      if (!UUID.test(id)) throw hubError('HUB_SYSTEM_NOT_FOUND', { id });
      await adminTransaction(async (trx) => {
        const r = await hubRepo(trx).setSystemActive(id, active);
        if (Number(r.numUpdatedRows) === 0) throw hubError('HUB_SYSTEM_NOT_FOUND', { id });
        await hubRepo(trx).logAdmin({
          actor,
          action: active ? 'system.enabled' : 'system.disabled',
          subject: id,
          summary: {},
        });
      });
    },

    /**
     * A new secret for a system, returned here only; the old one stops working at once (a
     * request signed with it is refused), so the system's configuration must follow.
     */
    async rotateSecret(actor: HubActor, id: string) {
      if (!UUID.test(id)) throw hubError('HUB_SYSTEM_NOT_FOUND', { id });
      const secret = newSystemSecret();
      const system = await adminTransaction(async (trx) => {
        const r = hubRepo(trx);
        const s = await r.findSystem(id);
        if (!s) throw hubError('HUB_SYSTEM_NOT_FOUND', { id });
        await r.updateSecret(id, secrets.seal(secret));
        await r.logAdmin({ actor, action: 'system.secret_rotated', subject: id, summary: {} });
        return s;
      });
      return { id, name: system.name, agencies: await repo.systemAgencies(id), secret };
    },

    // --- Operator views: queues, messages, dead letters

    /** Pending deliveries per agency and per system: counts by kind, oldest arrival. */
    async queues() {
      const [agencies, systems] = await Promise.all([repo.queuesByAgency(), repo.queuesBySystem()]);
      const counts = (r: { edoc: string; status: string; oldest_at: Date | null }) => ({
        edoc: Number(r.edoc),
        status: Number(r.status),
        oldestAt: r.oldest_at ? iso(r.oldest_at) : null,
      });
      return {
        now: iso(now()),
        agencies: agencies.map((r) => ({ code: r.code, name: r.name, ...counts(r) })),
        systems: systems.map((r) => ({ id: r.id, name: r.name, ...counts(r) })),
      };
    },

    /** Messages (newest first) with every recipient's delivery. */
    async searchMessages(q: {
      id?: string;
      from?: string;
      to?: string;
      kind?: MessageKind;
      state?: 'pending' | 'done' | 'fail';
      limit: number;
    }) {
      const rows = await repo.searchMessages(q);
      const deliveries = await repo.fullDeliveriesOf(rows.map((r) => r.id));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        from: r.from_code,
        senderSystem: r.sender_system,
        documentId: r.document_id,
        businessType: r.business_type,
        statusCode: r.status_code,
        size: r.size,
        createdAt: iso(r.created_at),
        deliveries: deliveries
          .filter((d) => d.message_id === r.id)
          .map((d) => ({
            to: d.recipient_code,
            state: d.state,
            fetchedCount: d.fetched_count,
            firstFetchedAt: d.first_fetched_at ? iso(d.first_fetched_at) : null,
            ackedAt: d.acked_at ? iso(d.acked_at) : null,
            reason: d.ack_reason,
          })),
      }));
    },

    /**
     * Dead letters: deliveries acknowledged `fail` by their recipient, and pushes that failed a
     * whole round of tries while the message still waits for the system's agencies. Latest first.
     */
    async deadLetters(limit = 200) {
      const [failed, pushes] = await Promise.all([
        repo.failedDeliveries(limit),
        repo.failedPushes(pusher.tries, limit),
      ]);
      const out = [
        ...failed.map((d) => ({
          type: 'delivery' as const,
          messageId: d.id,
          kind: d.kind,
          from: d.from_code,
          to: d.recipient_code,
          documentId: d.document_id,
          createdAt: iso(d.created_at),
          at: iso(d.acked_at!),
          reason: d.ack_reason,
        })),
        ...pushes.map((p) => ({
          type: 'push' as const,
          messageId: p.message_id,
          kind: p.kind,
          from: p.from_code,
          systemId: p.system_id,
          systemName: p.system_name,
          callbackUrl: p.callback_url,
          documentId: p.document_id,
          createdAt: iso(p.created_at),
          at: iso(p.last_at),
          attempts: p.attempts,
          reason: p.last_error ?? (p.last_status === null ? null : `HTTP ${p.last_status}`),
        })),
      ];
      return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
    },

    /**
     * Requeues a dead letter: a failed delivery goes back to its recipient's queue (pending, to be
     * listed, fetched and acknowledged again); a failed push gets a new round of tries.
     */
    async requeue(
      actor: HubActor,
      r:
        | { type: 'delivery'; messageId: string; to: string }
        | { type: 'push'; messageId: string; systemId: string },
    ) {
      if (r.type === 'delivery') {
        const kind = await adminTransaction(async (trx) => {
          const t = hubRepo(trx);
          const before = await t.requeueDelivery(r.messageId, r.to);
          if (!before) throw hubError('HUB_DEAD_LETTER_NOT_FOUND', { messageId: r.messageId, to: r.to });
          await t.logAdmin({
            actor,
            action: 'delivery.requeued',
            subject: r.messageId,
            summary: { to: r.to, failReason: before.reason },
          });
          return (await t.findMessage(r.messageId))!.kind;
        });
        pusher.notify({ messageId: r.messageId, kind, recipients: [r.to] });
        return;
      }
      const [letter] = await repo.failedPushes(pusher.tries, 1, {
        messageId: r.messageId,
        systemId: r.systemId,
      });
      if (!letter)
        throw hubError('HUB_DEAD_LETTER_NOT_FOUND', { messageId: r.messageId, systemId: r.systemId });
      await log(actor, 'push.requeued', r.messageId, { systemId: r.systemId, attempts: letter.attempts });
      await pusher.retry({ messageId: r.messageId, kind: letter.kind, systemId: r.systemId });
    },

    /**
     * Deletes messages older than `days` days whose every delivery is acknowledged; never a
     * message a recipient has not acknowledged. Also forgets old nonces.
     */
    async purge(actor: HubActor, days: number) {
      if (!Number.isInteger(days) || days < 0)
        throw new AppError('VALIDATION_ERROR', [{ path: 'days', message: 'a whole number ≥ 0' }]);
      const before = new Date(now().getTime() - days * 86_400_000);
      const counts = await adminTransaction(async (trx) => {
        const c = await hubRepo(trx).purge(before);
        await hubRepo(trx).logAdmin({
          actor,
          action: 'messages.purged',
          subject: null,
          summary: { days, before: iso(before), ...c },
        });
        return c;
      });
      const nonces = await this.purgeNonces();
      return { ...counts, nonces };
    },

    /**
     * At start: refuses to run when secrets are encrypted and no key is given, and encrypts the
     * plain secrets once a key is set. Returns how many secrets it encrypted.
     */
    async prepareSecrets(): Promise<{ sealed: number }> {
      const rows = await repo.storedSecrets();
      let sealed = 0;
      for (const r of rows) {
        if (r.secret.startsWith('plain:')) {
          if (secrets.encrypted) {
            await repo.updateSecret(r.id, secrets.seal(secrets.open(r.secret)));
            sealed++;
          }
        } else if (!secrets.encrypted) {
          throw new HubSecretKeyMissing(
            'The hub database holds encrypted system secrets but HUB_SECRET_KEY is not set; set it to the key they were encrypted with.',
          );
        } else {
          secrets.open(r.secret); // a wrong key fails here, at start, not at the first request
        }
      }
      return { sealed };
    },
  };
}

export type HubService = ReturnType<typeof hubService>;
