/**
 * The HubPort over the national document axis (VDXP, "trục liên thông văn bản quốc gia") or a
 * provincial LGSP in front of it, in its REST form (docs/vdxp.md):
 *
 *   POST {url}/v1/sendEdoc                 multipart: edocFile (the .edxml) + messageType edoc|status
 *   GET  {url}/v1/syncReceivedEdocList     ?messageType=edoc|status&fromDate=yyyy/MM/dd&toDate=yyyy/MM/dd
 *   GET  {url}/v1/getEdoc                  ?docId=…  → { edxml, attachments[] }
 *   POST {url}/v1/updateStatus             JSON { docId, status: done|fail|processing }
 *   GET  {url}/v1/getSentEdocList          ?messageType=edoc|status[&docId=…]
 *   GET  {url}/v1/getAgenciesList          → { id, code, code102, name, pcode, … }[]
 *
 * Every request carries X-SystemId and X-SecretKey. Every answer is JSON with `success`; a refusal
 * carries `errorCode` (0 OK, 10 invalid file, 15 wrong SystemId/SecretKey, 18 unknown recipient,
 * 19 unregistered sender, 20 axis system error, 21 file-processing error, 22 edXML not conformant,
 * 23 recipient locked), at the top level or under `data`.
 *
 * The real axis could not be reached from where this was written: the shapes come from public
 * integration code (see docs/vdxp.md, "What is unverified"). This module is the one place to
 * change when the official guide says otherwise.
 */
import { createHash } from 'node:crypto';
import { ERRORS } from '@congvu/contracts';
import { z } from 'zod';
import { HubRequestError } from '../hub/client.ts';
import { type HubPending, type HubPort, HubUnavailable } from './hub-port.ts';

export interface VdxpOptions {
  /** Base URL of the axis or LGSP, e.g. https://lgsp.example.gov.vn/api (without /v1). */
  url: string;
  systemId: string;
  secret: string;
  /** How many days back the received list is asked for (the axis lists by date window). */
  receiveWindowDays?: number;
  /** Per-request timeout (default 60 s: envelopes can be tens of MB). */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the clock. */
  now?: () => Date;
}

/** Header names of the axis's authentication. */
export const VDXP_HEADERS = { systemId: 'X-SystemId', secretKey: 'X-SecretKey' } as const;

type Refusal = { code: string; status: number; vi: string };

/**
 * The axis's error numbers and what they become here. 20 (the axis's own failure) is not a
 * refusal: it becomes HubUnavailable, like no answer at all. 0 is success.
 */
export const VDXP_ERROR_MAP: Record<number, Refusal | 'unavailable'> = {
  10: {
    code: 'HUB_ENVELOPE_INVALID',
    status: 422,
    vi: 'Trục liên thông từ chối: tệp gửi lên không hợp lệ (mã 10)',
  },
  15: { code: 'HUB_AUTH_FAILED', status: 401, vi: ERRORS.HUB_AUTH_FAILED.vi },
  18: { code: 'HUB_RECIPIENT_UNKNOWN', status: 422, vi: ERRORS.HUB_RECIPIENT_UNKNOWN.vi },
  19: { code: 'HUB_SENDER_NOT_ALLOWED', status: 403, vi: ERRORS.HUB_SENDER_NOT_ALLOWED.vi },
  20: 'unavailable',
  21: {
    code: 'VDXP_FILE_PROCESSING_FAILED',
    status: 422,
    vi: 'Trục liên thông không xử lý được tệp gói tin (mã 21)',
  },
  22: { code: 'HUB_ENVELOPE_INVALID', status: 422, vi: ERRORS.HUB_ENVELOPE_INVALID.vi },
  23: {
    code: 'VDXP_RECIPIENT_LOCKED',
    status: 422,
    vi: 'Cơ quan nhận đã bị khóa kết nối trên trục liên thông (mã 23)',
  },
};

/** A refusal by the axis: its code here, a Vietnamese message and the axis's own number. */
export class VdxpRequestError extends HubRequestError {
  constructor(
    status: number,
    code: string,
    message: string,
    details: { axisCode?: number; operation: string },
  ) {
    super(status, code, message, details);
    this.name = 'VdxpRequestError';
  }
}

const ErrorFields = z.object({
  errorCode: z.union([z.string(), z.number()]).nullish(),
  errorDesc: z.string().nullish(),
});
const Envelope = ErrorFields.extend({
  success: z.boolean(),
  message: z.string().nullish(),
  data: z.unknown().optional(),
});

const ReceivedItem = z.object({
  docId: z.string().min(1),
  from: z.string(),
  to: z.string(),
  messageType: z.string().optional(),
  status: z.string().nullish(),
  statusDesc: z.string().nullish(),
  createdTime: z.string().nullish(),
});
export type VdxpReceivedItem = z.infer<typeof ReceivedItem>;

const EdocData = z.object({
  docId: z.string(),
  from: z.string().nullish(),
  edxml: z.string().min(1),
  attachments: z.array(z.object({ fileName: z.string(), fileContent: z.string() })).nullish(),
});

const SentItem = z.object({
  docId: z.string(),
  from: z.string().nullish(),
  to: z.string(),
  status: z.string(),
  statusDesc: z.string().nullish(),
  updatedTime: z.string().nullish(),
});
export type VdxpSentItem = z.infer<typeof SentItem>;

const Agency = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  code: z.string().min(1),
  code102: z.string().nullish(),
  name: z.string(),
  pcode: z.string().nullish(),
});

/** The axis's delivery states that are finished (taken off the recipient's queue). */
const ACKNOWLEDGED = new Set(['done', 'fail']);

/** yyyy/MM/dd in Việt Nam time (UTC+7), the axis's date form. */
export function vdxpDate(d: Date): string {
  const vn = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${vn.slice(0, 4)}/${vn.slice(5, 7)}/${vn.slice(8, 10)}`;
}

export type VdxpClient = ReturnType<typeof vdxpClient>;

/** The axis's operations, one function each; refusals and failures are thrown as described above. */
export function vdxpClient(opts: VdxpOptions) {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function call(
    operation: string,
    method: 'GET' | 'POST',
    query: Record<string, string | undefined>,
    body?: FormData | { json: unknown },
  ): Promise<unknown> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, v);
    const headers: Record<string, string> = {
      [VDXP_HEADERS.systemId]: opts.systemId,
      [VDXP_HEADERS.secretKey]: opts.secret,
      accept: 'application/json',
    };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body) {
      payload = JSON.stringify(body.json);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}/v1/${operation}${qs.size ? `?${qs}` : ''}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = [(e as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
      throw new HubUnavailable(`trục liên thông quốc gia không trả lời (${operation}: ${why})`, { cause: e });
    }
    if (res.status >= 500 || res.status === 429)
      throw new HubUnavailable(
        `trục liên thông quốc gia tạm thời không phục vụ (${operation}: HTTP ${res.status})`,
      );
    let raw: unknown;
    let parsed: z.infer<typeof Envelope> | null = null;
    try {
      raw = JSON.parse(text);
      const r = Envelope.safeParse(raw);
      if (r.success) parsed = r.data;
    } catch {
      // not JSON
    }
    if (!parsed) {
      if (res.status === 401 || res.status === 403) throw refusal(operation, 15, text);
      // A proxy's page or an answer in no known shape: the axis is not answering as the axis.
      throw new HubUnavailable(
        `trục liên thông quốc gia trả lời không đúng giao thức (${operation}: HTTP ${res.status}, ${text.slice(0, 120)})`,
      );
    }
    const inner = ErrorFields.safeParse(parsed.data);
    const codeText = parsed.errorCode ?? (inner.success ? inner.data.errorCode : undefined);
    const desc = parsed.errorDesc ?? (inner.success ? inner.data.errorDesc : undefined) ?? parsed.message;
    const axisCode =
      codeText === undefined || codeText === null || codeText === '' ? undefined : Number(codeText);
    // The whole answer (the schema above keeps only the common fields).
    if (parsed.success && (axisCode === undefined || axisCode === 0) && res.ok) return raw;
    if (axisCode === undefined && (res.status === 401 || res.status === 403))
      throw refusal(operation, 15, desc);
    throw refusal(operation, axisCode, desc);
  }

  function refusal(operation: string, axisCode: number | undefined, desc: string | null | undefined): Error {
    const known = axisCode === undefined || Number.isNaN(axisCode) ? undefined : VDXP_ERROR_MAP[axisCode];
    const said = desc ? ` — trục: ${desc.slice(0, 200)}` : '';
    if (known === 'unavailable')
      return new HubUnavailable(
        `trục liên thông quốc gia báo lỗi hệ thống (mã ${axisCode}, ${operation})${said}`,
      );
    if (known)
      return new VdxpRequestError(known.status, known.code, `${known.vi}${said}`, { axisCode, operation });
    return new VdxpRequestError(
      502,
      'VDXP_REFUSED',
      `Trục liên thông quốc gia từ chối yêu cầu${axisCode === undefined ? '' : ` (mã ${axisCode})`}${said}`,
      { ...(axisCode !== undefined && !Number.isNaN(axisCode) && { axisCode }), operation },
    );
  }

  const dataOf = <T>(schema: z.ZodType<T>, r: unknown, operation: string): T => {
    const d = schema.safeParse((r as { data?: unknown }).data);
    if (!d.success)
      throw new HubUnavailable(
        `trục liên thông quốc gia trả lời thiếu dữ liệu (${operation}: ${d.error.message})`,
      );
    return d.data;
  };

  return {
    /** sendEdoc: the envelope as a file; resolves to the axis's docId. */
    async sendEdoc(
      envelope: Buffer,
      messageType: 'edoc' | 'status',
      fileName = 'goi-tin.edxml',
    ): Promise<string> {
      const form = new FormData();
      form.append('edocFile', new Blob([new Uint8Array(envelope)], { type: 'application/xml' }), fileName);
      form.append('messageType', messageType);
      const r = (await call('sendEdoc', 'POST', {}, form)) as { docId?: unknown; data?: { docId?: unknown } };
      const docId = r.docId ?? r.data?.docId;
      if (typeof docId !== 'string' || !docId)
        throw new HubUnavailable(
          'trục liên thông quốc gia nhận gói tin nhưng không trả mã gói tin (sendEdoc)',
        );
      return docId;
    },
    /** syncReceivedEdocList: deliveries to our agencies in the window, in every state. */
    async receivedList(
      messageType: 'edoc' | 'status',
      fromDate: string,
      toDate: string,
    ): Promise<VdxpReceivedItem[]> {
      const r = await call('syncReceivedEdocList', 'GET', { messageType, fromDate, toDate });
      return dataOf(z.array(ReceivedItem), r, 'syncReceivedEdocList');
    },
    /** getEdoc: the message as the axis keeps it. */
    async getEdoc(docId: string): Promise<z.infer<typeof EdocData>> {
      return dataOf(EdocData, await call('getEdoc', 'GET', { docId }), 'getEdoc');
    },
    /** updateStatus: the transport acknowledgement (done/fail) or "processing". */
    async updateStatus(docId: string, status: 'done' | 'fail' | 'processing'): Promise<void> {
      await call('updateStatus', 'POST', {}, { json: { docId, status } });
    },
    /** getSentEdocList: what we sent, per recipient, with its delivery state. */
    async sentList(messageType: 'edoc' | 'status', docId?: string): Promise<VdxpSentItem[]> {
      const r = await call('getSentEdocList', 'GET', { messageType, docId });
      return dataOf(z.array(SentItem), r, 'getSentEdocList');
    },
    /** getAgenciesList: agencies connected to the axis (QĐ 20 code and QCVN 102 code). */
    async agencies(): Promise<z.infer<typeof Agency>[]> {
      return dataOf(z.array(Agency), await call('getAgenciesList', 'GET', {}), 'getAgenciesList');
    },
  };
}

/** The recipients an envelope names, read from its header without parsing the attachments. */
function recipientsOf(envelope: Buffer, kind: 'edoc' | 'status'): string[] {
  // Only the part before the attachments: the header is small and comes first.
  const end = envelope.indexOf('AttachmentEncoded');
  const head = envelope.subarray(0, end < 0 ? Math.min(envelope.length, 1 << 20) : end).toString('utf8');
  const codes: string[] = [];
  const block =
    kind === 'edoc'
      ? /<(?:\w+:)?To>([\s\S]*?)<\/(?:\w+:)?To>/g
      : /<(?:\w+:)?ResponseFor>([\s\S]*?)<\/(?:\w+:)?ResponseFor>/g;
  for (const m of head.matchAll(block)) {
    const id = /<(?:\w+:)?OrganId>([^<]*)<\/(?:\w+:)?OrganId>/.exec(m[1] ?? '');
    if (id?.[1]) codes.push(id[1].trim());
  }
  return codes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our tables keep hub message ids as UUIDs; the axis's docIds are UUIDs in the LGSP samples but
 * 24-hex ObjectIds in an SDK sample. Others get a name-based UUID (SHA-1, RFC 9562 version 5 layout)
 * of `vdxp:{docId}`: the same docId always gives the same id.
 */
export function vdxpMessageId(docId: string): string {
  if (UUID.test(docId)) return docId.toLowerCase();
  const h = createHash('sha1').update(`vdxp:${docId}`, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * A HubPort speaking to the national axis. Differences from our own hub, all documented in
 * docs/vdxp.md: the axis has no idempotency key (a send whose answer was lost is sent again and
 * the recipient recognises it by DocumentId); its list gives no DocumentId (empty here until the
 * envelope is read); the acknowledgement carries no reason.
 */
export function vdxpHubPort(opts: VdxpOptions): HubPort & {
  client: VdxpClient;
  /** What we sent (all, or the message `id` as send returned it), per recipient. */
  sent(kind: 'edoc' | 'status', id?: string): Promise<VdxpSentItem[]>;
} {
  const client = vdxpClient(opts);
  const now = opts.now ?? (() => new Date());
  const windowDays = opts.receiveWindowDays ?? 30;
  // Our id → the axis's docId, for the ones that are not UUIDs (learnt by pending, which the inbox
  // always calls before fetch and ack; forgotten at the acknowledgement).
  const docIds = new Map<string, string>();
  const docIdOf = (id: string) => docIds.get(id) ?? id;
  return {
    client,
    async send(body, o) {
      // A status message is the one whose MessageHeader has a StatusCode (QCVN 102, SDK samples).
      const kind = /<(?:\w+:)?StatusCode>/.test(body.subarray(0, 1 << 16).toString('utf8'))
        ? 'status'
        : 'edoc';
      const docId = await client.sendEdoc(body, kind, `${o.messageKey}.edxml`);
      return { id: vdxpMessageId(docId), recipients: o.to ?? recipientsOf(body, kind) };
    },
    async pending(kind, limit): Promise<HubPending[]> {
      // The axis lists one message type at a time: both means edocs, then statuses.
      if (kind === undefined) {
        const edocs = await this.pending('edoc', limit);
        return [...edocs, ...(await this.pending('status', limit - edocs.length))];
      }
      if (limit <= 0) return [];
      const t = now();
      const from = vdxpDate(new Date(t.getTime() - windowDays * 86_400_000));
      // Tomorrow: the window's end is a date, and "today" on the axis's clock may already be later.
      const to = vdxpDate(new Date(t.getTime() + 86_400_000));
      const items = await client.receivedList(kind, from, to);
      return (
        items
          // In the axis's order (oldest first, as far as the sources show).
          .filter((i) => !ACKNOWLEDGED.has((i.status ?? '').toLowerCase()))
          .slice(0, limit)
          .map((i) => {
            const id = vdxpMessageId(i.docId);
            if (id !== i.docId) docIds.set(id, i.docId);
            return { id, kind, from: i.from, to: i.to, documentId: '' };
          })
      );
    },
    async fetch(id) {
      const d = await client.getEdoc(docIdOf(id));
      if (d.attachments?.length && !d.edxml.includes('AttachmentEncoded'))
        // The envelope we need carries its files (AttachmentEncoded); one split by the axis is not
        // put back together here (unverified form, docs/vdxp.md).
        throw new VdxpRequestError(
          502,
          'VDXP_ATTACHMENTS_APART',
          'Trục liên thông quốc gia trả tệp đính kèm tách khỏi gói tin edXML; chưa hỗ trợ dạng này',
          { operation: 'getEdoc' },
        );
      return Buffer.from(d.edxml, 'utf8');
    },
    async ack(id, _agency, status) {
      await client.updateStatus(docIdOf(id), status);
      docIds.delete(id);
    },
    async agencies() {
      return (await client.agencies()).map((a) => ({
        code: a.code,
        legacyCode: a.code102 ?? null,
        name: a.name,
        parentCode: a.pcode || null,
      }));
    },
    sent: (kind, id) => client.sentList(kind, id === undefined ? undefined : docIdOf(id)),
  };
}
