/**
 * Client of the exchange hub (trục liên thông), for the installation side. Only `node:crypto`,
 * `fetch` and the API schemas: no database, no server code.
 *
 * Every call is signed (docs/hub-api.md):
 *   X-System-Id  the system's id
 *   X-Timestamp  ISO 8601 UTC, e.g. 2026-11-23T10:00:00.000Z (the hub refuses ±300 s off its clock)
 *   X-Nonce      16–128 characters [A-Za-z0-9_-], never reused by the system
 *   X-Signature  base64(HMAC-SHA256(secret, `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${sha256hex(body)}`))
 * where `secret` is the UTF-8 bytes of the secret `congvu hub system add` printed, `method` is
 * upper case, `pathWithQuery` is the request target exactly as the hub receives it
 * (e.g. `/hub/v1/messages?kind=edoc&limit=50`) and the body hash is over the exact bytes sent
 * (the empty string's for a GET).
 *
 * @example
 *   const hub = hubClient({ url: 'https://truc.example.gov.vn', systemId, secret });
 *   const { id } = await hub.send(edxmlBytes, { messageKey: `doc-${documentId}-to-all` });
 *   for (const m of await hub.list({ kind: 'edoc' })) {
 *     const bytes = await hub.fetch(m.id, { agency: m.to });
 *     await storeIncoming(bytes);                 // commit first…
 *     await hub.ack(m.id, { agency: m.to, status: 'done' }); // …then take it off the queue
 *   }
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AckManyResult,
  AckResult,
  HubAgency,
  HubErrorBody,
  type ListQuery,
  PendingMessage,
  SendResult,
  SentMessage,
  type SentQuery,
} from './schema.ts';

export type {
  AckManyResult,
  AckResult,
  HubAgency,
  ListQuery,
  PendingMessage,
  SendResult,
  SentMessage,
  SentQuery,
};

export const HUB_API_PREFIX = '/hub/v1';

/** Header names (lower case, as Node presents them). */
export const HUB_HEADERS = {
  systemId: 'x-system-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
  messageKey: 'x-message-key',
  to: 'x-to',
} as const;

export type Body = Uint8Array | string;

export function sha256Hex(body: Body | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

/** The exact text that is signed. */
export function hubSigningString(p: {
  method: string;
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  bodySha256: string;
}): string {
  return `${p.method.toUpperCase()}\n${p.pathWithQuery}\n${p.timestamp}\n${p.nonce}\n${p.bodySha256}`;
}

/** base64(HMAC-SHA256(secret, signingString)). */
export function hubSignature(secret: string, signingString: string): string {
  return createHmac('sha256', secret).update(signingString, 'utf8').digest('base64');
}

export interface SignRequestInput {
  systemId: string;
  secret: string;
  method: string;
  /** Path and query as the hub receives them, e.g. `/hub/v1/messages?kind=edoc`. */
  pathWithQuery: string;
  body?: Body;
  /** Default: now. */
  timestamp?: Date | string;
  /** Default: 24 random bytes, base64url. */
  nonce?: string;
}

/** The four authentication headers of one request. */
export function signHubRequest(input: SignRequestInput): Record<string, string> {
  const timestamp =
    input.timestamp instanceof Date
      ? input.timestamp.toISOString()
      : (input.timestamp ?? new Date().toISOString());
  const nonce = input.nonce ?? randomBytes(24).toString('base64url');
  const signature = hubSignature(
    input.secret,
    hubSigningString({
      method: input.method,
      pathWithQuery: input.pathWithQuery,
      timestamp,
      nonce,
      bodySha256: sha256Hex(input.body),
    }),
  );
  return {
    [HUB_HEADERS.systemId]: input.systemId,
    [HUB_HEADERS.timestamp]: timestamp,
    [HUB_HEADERS.nonce]: nonce,
    [HUB_HEADERS.signature]: signature,
  };
}

/** A refusal from the hub: its stable code, Vietnamese message and, where it has one, the axis number. */
export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'HubRequestError';
  }
  /** LGSP/axis error number (15 auth, 18 recipient, 19 sender, 22 envelope), when the hub gave one. */
  get axisCode(): number | undefined {
    const d = this.details as { axisCode?: unknown } | null;
    return typeof d?.axisCode === 'number' ? d.axisCode : undefined;
  }
}

export interface HubClientOptions {
  /** Base URL of the hub, e.g. https://truc.example.gov.vn (without /hub/v1). */
  url: string;
  systemId: string;
  secret: string;
  /** Per-request timeout (default 60 s: envelopes can be tens of MB). */
  timeoutMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
}

export interface SendOptions {
  /** Idempotency key: sending the same key and bytes again answers the first result. */
  messageKey: string;
  /** Status: the recipients (else the hub routes by the document's issuer). Edoc: a subset of To. */
  to?: string[];
}

export type HubClient = ReturnType<typeof hubClient>;

export function hubClient(opts: HubClientOptions) {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function call(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | number | undefined>,
    body?: { bytes: Body; type: string },
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const target = `${new URL(base).pathname.replace(/\/+$/, '')}${HUB_API_PREFIX}${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = {
      ...extra,
      ...signHubRequest({
        systemId: opts.systemId,
        secret: opts.secret,
        method,
        pathWithQuery: target,
        body: body?.bytes,
      }),
    };
    if (body) headers['content-type'] = body.type;
    const res = await doFetch(new URL(target, base), {
      method,
      headers,
      body: body?.bytes,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      const text = await res.text();
      let parsed: z.infer<typeof HubErrorBody> | null = null;
      try {
        const r = HubErrorBody.safeParse(JSON.parse(text));
        if (r.success) parsed = r.data;
      } catch {
        // not JSON: a proxy's page
      }
      throw new HubRequestError(
        res.status,
        parsed?.code ?? 'HTTP_ERROR',
        parsed?.message ?? text.slice(0, 200),
        parsed?.details,
      );
    }
    return res;
  }
  const json = async <T>(schema: z.ZodType<T>, res: Response): Promise<T> => schema.parse(await res.json());

  return {
    /**
     * Sends an envelope (edXML bytes). Resolves when the hub has committed it:
     * `created` is false when the same key and bytes had been sent before.
     */
    async send(envelope: Body, o: SendOptions): Promise<SendResult & { created: boolean }> {
      const res = await call(
        'POST',
        '/messages',
        {},
        { bytes: envelope, type: 'application/xml' },
        { [HUB_HEADERS.messageKey]: o.messageKey, ...(o.to?.length && { [HUB_HEADERS.to]: o.to.join(',') }) },
      );
      return { ...(await json(SendResult, res)), created: res.status === 201 };
    },
    /** Pending messages for the system's agencies (or one of them), oldest first. */
    async list(q: ListQuery = {}): Promise<PendingMessage[]> {
      return json(z.array(PendingMessage), await call('GET', '/messages', { ...q }));
    },
    /** The envelope bytes exactly as sent. */
    async fetch(id: string, o: { agency?: string } = {}): Promise<Buffer> {
      const res = await call('GET', `/messages/${encodeURIComponent(id)}`, { agency: o.agency });
      return Buffer.from(await res.arrayBuffer());
    },
    /** Transport acknowledgement: takes the message off that agency's queue (idempotent). */
    async ack(
      id: string,
      o: { agency: string; status: 'done' | 'fail'; reason?: string },
    ): Promise<AckResult> {
      const bytes = JSON.stringify(o);
      return json(
        AckResult,
        await call(
          'POST',
          `/messages/${encodeURIComponent(id)}/ack`,
          {},
          { bytes, type: 'application/json' },
        ),
      );
    },
    /** Many acknowledgements in one call; each item answered alone (state, or not found). */
    async ackMany(
      items: { id: string; agency: string; status: 'done' | 'fail'; reason?: string }[],
    ): Promise<AckManyResult> {
      const bytes = JSON.stringify({ items });
      return json(AckManyResult, await call('POST', '/acks', {}, { bytes, type: 'application/json' }));
    },
    /** Messages this system sent, with each recipient's delivery state, oldest first. */
    async sent(q: SentQuery = {}): Promise<SentMessage[]> {
      return json(z.array(SentMessage), await call('GET', '/sent', { ...q }));
    },
    /** Agencies connected to the hub. */
    async agencies(): Promise<HubAgency[]> {
      return json(z.array(HubAgency), await call('GET', '/agencies', {}));
    },
  };
}
