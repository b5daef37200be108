import { hubClient } from '../hub/client.ts';
import type { HubPort } from './hub-port.ts';

/** The HubPort over a CongVu hub's HTTP API (docs/hub-api.md), with HMAC-signed requests. */
export function httpHubPort(c: { hubUrl: string; systemId: string; secret: string }): HubPort {
  const client = hubClient({ url: c.hubUrl, systemId: c.systemId, secret: c.secret });
  return {
    async send(body, opts) {
      const r = await client.send(body, { messageKey: opts.messageKey, ...(opts.to ? { to: opts.to } : {}) });
      return { id: r.id, recipients: r.recipients };
    },
    async pending(kind, limit) {
      return (await client.list({ kind, limit })).map((m) => ({
        id: m.id,
        kind: m.kind,
        from: m.from,
        to: m.to,
        documentId: m.documentId,
      }));
    },
    fetch: (id, agency) => client.fetch(id, { agency }),
    async ack(id, agency, status, reason) {
      await client.ack(id, { agency, status, ...(reason ? { reason } : {}) });
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
