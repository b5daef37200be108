import { HubRequestError, hubClient } from '../hub/client.ts';
import { type HubPort, HubUnavailable } from './hub-port.ts';

/**
 * A failure of the call itself — no answer (refused, reset, timed out), or an answer that says
 * "not now" (5xx, 429) — becomes HubUnavailable; the hub's refusals (4xx) stay as they are.
 */
async function reaching<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof HubRequestError && e.status < 500 && e.status !== 429) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = [(e as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
    throw new HubUnavailable(`trục liên thông không trả lời (${why})`, { cause: e });
  }
}

/** The HubPort over a CongVu hub's HTTP API (docs/hub-api.md), with HMAC-signed requests. */
export function httpHubPort(c: { hubUrl: string; systemId: string; secret: string }): HubPort {
  const client = hubClient({ url: c.hubUrl, systemId: c.systemId, secret: c.secret });
  return {
    async send(body, opts) {
      const r = await reaching(() =>
        client.send(body, { messageKey: opts.messageKey, ...(opts.to ? { to: opts.to } : {}) }),
      );
      return { id: r.id, recipients: r.recipients };
    },
    async pending(kind, limit) {
      return (await reaching(() => client.list({ ...(kind && { kind }), limit, withBodies: 'true' }))).map(
        (m) => ({
          id: m.id,
          kind: m.kind,
          from: m.from,
          to: m.to,
          documentId: m.documentId,
          ...(m.body !== undefined && { body: Buffer.from(m.body, 'base64') }),
        }),
      );
    },
    fetch: (id, agency) => client.fetch(id, { agency }),
    async ack(id, agency, status, reason) {
      await client.ack(id, { agency, status, ...(reason ? { reason } : {}) });
    },
    async ackMany(items) {
      const r = await reaching(() => client.ackMany(items));
      return r.items.filter((i) => 'error' in i).map((i) => ({ id: i.id, agency: i.agency }));
    },
    async agencies() {
      return (await client.agencies()).map((a) => ({
        code: a.code,
        legacyCode: a.legacyCode ?? null,
        name: a.name,
        parentCode: a.parentCode ?? null,
      }));
    },
  };
}
