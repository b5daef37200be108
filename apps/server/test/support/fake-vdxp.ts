/**
 * FAKE of the national document axis (VDXP / a provincial LGSP), for tests only.
 *
 * The real axis cannot be reached from here, so this is a real HTTP server on loopback that speaks
 * the axis's REST form as docs/vdxp.md describes it (X-SystemId / X-SecretKey, /v1/sendEdoc
 * multipart, /v1/syncReceivedEdocList, /v1/getEdoc, /v1/updateStatus, /v1/getSentEdocList,
 * /v1/getAgenciesList, JSON answers with `success` and the axis's error codes 10/15/18/19/20/21/
 * 22/23). It keeps its state in memory. It is not the axis: where the public sources are silent
 * (see "What is unverified" in docs/vdxp.md) it makes the choice written next to the code.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isEdxmlError, parseEdxml } from '@congvu/edxml';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

export interface FakeVdxpAgency {
  /** QĐ 20/2020 code. */
  code: string;
  /** QCVN 102:2016 code, when it has one. */
  code102?: string;
  name: string;
  pcode?: string;
  locked?: boolean;
}

interface Delivery {
  docId: string;
  messageType: 'edoc' | 'status';
  from: string;
  to: string;
  senderSystem: string;
  edxml: string;
  status: 'initial' | 'processing' | 'done' | 'fail';
  createdTime: string;
  updatedTime: string;
}

export type FakeVdxpOperation =
  | 'sendEdoc'
  | 'syncReceivedEdocList'
  | 'getEdoc'
  | 'updateStatus'
  | 'getSentEdocList'
  | 'getAgenciesList';

/** What the next call of an operation gets instead of its answer. */
export type FakeVdxpFault =
  | { errorCode: number; where?: 'top' | 'data' }
  | { http: number; body?: string }
  | 'hangup';

const DATE = /^\d{4}\/\d{2}\/\d{2}$/;

/** yyyy/MM/dd HH:mm:ss in Việt Nam time. */
function vnTime(d: Date): string {
  const s = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${s.slice(0, 4)}/${s.slice(5, 7)}/${s.slice(8, 10)} ${s.slice(11, 19)}`;
}

export async function startFakeVdxp() {
  const agencies = new Map<string, FakeVdxpAgency>();
  const systems = new Map<string, { secret: string; agencies: Set<string> }>();
  const deliveries: Delivery[] = [];
  const faults = new Map<FakeVdxpOperation, FakeVdxpFault[]>();
  const calls: { operation: FakeVdxpOperation; systemId: string | undefined }[] = [];
  // docIds as UUIDs (LGSP samples) or 24-hex ObjectIds (an SDK sample).
  let objectIds = false;

  const app = Fastify({ logger: false, bodyLimit: 200 * 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 5 } });

  const ok = (extra: object = {}) => ({ success: true, message: 'OK', ...extra });
  const refuse = (errorCode: number | undefined, errorDesc: string) => ({
    success: false,
    message: 'Lỗi',
    data: {
      docId: null,
      status: 'error',
      ...(errorCode !== undefined && { errorCode: String(errorCode) }),
      errorDesc,
    },
  });

  /** Authenticates and applies an injected fault; the system id, or null when answered already. */
  async function enter(
    operation: FakeVdxpOperation,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<string | null> {
    const systemId = req.headers['x-systemid'] as string | undefined;
    calls.push({ operation, systemId });
    const fault = faults.get(operation)?.shift();
    if (fault === 'hangup') {
      req.raw.socket.destroy();
      return null;
    }
    if (fault && 'http' in fault) {
      await reply
        .code(fault.http)
        .type('text/html')
        .send(fault.body ?? `<html>${fault.http}</html>`);
      return null;
    }
    if (fault) {
      const desc = `lỗi giả lập ${fault.errorCode}`;
      await reply.send(
        fault.where === 'top'
          ? { success: false, message: desc, errorCode: fault.errorCode, errorDesc: desc }
          : refuse(fault.errorCode, desc),
      );
      return null;
    }
    const system = systemId ? systems.get(systemId) : undefined;
    if (!systemId || !system || system.secret !== req.headers['x-secretkey']) {
      await reply.send(refuse(15, 'Sai SystemId hoặc SecretKey'));
      return null;
    }
    return systemId;
  }
  const mine = (systemId: string, d: Delivery) => systems.get(systemId)?.agencies.has(d.to) ?? false;

  app.post('/v1/sendEdoc', async (req, reply) => {
    const systemId = await enter('sendEdoc', req, reply);
    if (!systemId) return reply;
    let bytes: Buffer | undefined;
    let messageType: string | undefined;
    for await (const part of req.parts()) {
      if (part.type === 'file' && part.fieldname === 'edocFile') bytes = await part.toBuffer();
      else if (part.type === 'field' && part.fieldname === 'messageType') messageType = String(part.value);
    }
    if (!bytes?.length) return refuse(10, 'Thiếu tệp edocFile');
    if (messageType !== 'edoc' && messageType !== 'status')
      return refuse(10, 'messageType phải là edoc hoặc status');
    let parsed: Awaited<ReturnType<typeof parseEdxml>>;
    try {
      parsed = await parseEdxml(bytes, { mode: 'lenient', attachments: 'discard' });
    } catch (e) {
      const code = isEdxmlError(e) ? e.code : 'UNKNOWN';
      // Not XML at all is an invalid file (10); XML that is not conformant edXML is 22.
      if (code === 'EDXML_NOT_WELL_FORMED' || code === 'EDXML_BAD_ENCODING' || code === 'EDXML_LEADING_JUNK')
        return refuse(10, `Tệp không hợp lệ: ${(e as Error).message}`);
      return refuse(22, `edXML không đúng chuẩn: ${(e as Error).message}`);
    }
    if (parsed.kind !== messageType)
      return refuse(10, `Tệp là gói tin ${parsed.kind}, không phải ${messageType}`);
    const from = parsed.kind === 'edoc' ? parsed.edoc.header.from.organId : parsed.status.from.organId;
    // The fake's choice: a status goes to the issuer named in ResponseFor.
    const to =
      parsed.kind === 'edoc'
        ? parsed.edoc.header.to.map((t) => t.organId)
        : [parsed.status.responseFor.organId];
    if (!systems.get(systemId)?.agencies.has(from)) return refuse(19, `Đơn vị gửi ${from} chưa đăng ký`);
    for (const code of to) {
      const a = agencies.get(code);
      if (!a || ![...systems.values()].some((s) => s.agencies.has(code)))
        return refuse(18, `Đơn vị nhận ${code} không tồn tại`);
      if (a.locked) return refuse(23, `Đơn vị nhận ${code} đã khóa`);
    }
    const docId = objectIds ? randomBytes(12).toString('hex') : randomUUID();
    const at = vnTime(new Date());
    for (const code of new Set(to))
      deliveries.push({
        docId,
        messageType,
        from,
        to: code,
        senderSystem: systemId,
        edxml: bytes.toString('utf8'),
        status: 'initial',
        createdTime: at,
        updatedTime: at,
      });
    return ok({ docId });
  });

  app.get('/v1/syncReceivedEdocList', async (req, reply) => {
    const systemId = await enter('syncReceivedEdocList', req, reply);
    if (!systemId) return reply;
    const q = req.query as Record<string, string | undefined>;
    if (
      (q.messageType !== 'edoc' && q.messageType !== 'status') ||
      !DATE.test(q.fromDate ?? '') ||
      !DATE.test(q.toDate ?? '')
    )
      return refuse(undefined, 'Tham số messageType, fromDate, toDate (yyyy/MM/dd) không hợp lệ');
    const from = q.fromDate as string;
    const to = q.toDate as string;
    const data = deliveries
      .filter((d) => mine(systemId, d) && d.messageType === q.messageType)
      .filter((d) => d.createdTime.slice(0, 10) >= from && d.createdTime.slice(0, 10) <= to)
      .map((d) => ({
        serviceType: 'eDoc',
        createdTime: d.createdTime,
        updatedTime: d.updatedTime,
        messageType: d.messageType,
        docId: d.docId,
        from: d.from,
        to: d.to,
        status: d.status,
        statusDesc: d.status === 'initial' ? 'Chưa nhận' : d.status,
      }));
    return ok({ count: data.length, data });
  });

  app.get('/v1/getEdoc', async (req, reply) => {
    const systemId = await enter('getEdoc', req, reply);
    if (!systemId) return reply;
    const docId = (req.query as { docId?: string }).docId;
    const d = deliveries.find((x) => x.docId === docId && mine(systemId, x));
    if (!d) return refuse(undefined, `Không tìm thấy gói tin ${docId}`);
    return ok({ data: { docId: d.docId, from: d.from, edxml: d.edxml, attachments: [] } });
  });

  app.post('/v1/updateStatus', async (req, reply) => {
    const systemId = await enter('updateStatus', req, reply);
    if (!systemId) return reply;
    const b = (req.body ?? {}) as { docId?: string; status?: string };
    if (b.status !== 'done' && b.status !== 'fail' && b.status !== 'processing')
      return refuse(undefined, 'status phải là done, fail hoặc processing');
    const hit = deliveries.filter((x) => x.docId === b.docId && mine(systemId, x));
    if (!hit.length) return refuse(undefined, `Không tìm thấy gói tin ${b.docId}`);
    const at = vnTime(new Date());
    for (const d of hit) {
      d.status = b.status;
      d.updatedTime = at;
    }
    return ok();
  });

  app.get('/v1/getSentEdocList', async (req, reply) => {
    const systemId = await enter('getSentEdocList', req, reply);
    if (!systemId) return reply;
    const q = req.query as Record<string, string | undefined>;
    const data = deliveries
      .filter((d) => d.senderSystem === systemId && (!q.messageType || d.messageType === q.messageType))
      .filter((d) => !q.docId || d.docId === q.docId)
      .map((d) => ({
        docId: d.docId,
        from: d.from,
        to: d.to,
        status: d.status,
        statusDesc: d.status,
        updatedTime: d.updatedTime,
      }));
    return ok({ count: data.length, data });
  });

  app.get('/v1/getAgenciesList', async (req, reply) => {
    const systemId = await enter('getAgenciesList', req, reply);
    if (!systemId) return reply;
    const data = [...agencies.values()].map((a, i) => ({
      id: String(i + 1),
      code: a.code,
      code102: a.code102 ?? null,
      name: a.name,
      pcode: a.pcode ?? '',
      mail: '',
      mobile: '',
      fax: '',
    }));
    return ok({ count: data.length, data });
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    deliveries: deliveries as readonly Delivery[],
    addAgency(a: FakeVdxpAgency) {
      agencies.set(a.code, { ...a });
    },
    /** Gives new messages 24-hex ObjectId docIds instead of UUIDs. */
    useObjectIds(on = true) {
      objectIds = on;
    },
    lockAgency(code: string, locked = true) {
      const a = agencies.get(code);
      if (a) a.locked = locked;
    },
    /** A connected system acting for `agencies`; its secret. */
    addSystem(id: string, forAgencies: string[]): { id: string; secret: string } {
      const secret = randomUUID() + randomUUID();
      systems.set(id, { secret, agencies: new Set(forAgencies) });
      return { id, secret };
    },
    /** The next call of `operation` fails this way (queued: several faults, several calls). */
    inject(operation: FakeVdxpOperation, fault: FakeVdxpFault) {
      faults.set(operation, [...(faults.get(operation) ?? []), fault]);
    },
    /** Makes a delivery look older (for the received-list window). */
    age(docId: string, days: number) {
      for (const d of deliveries)
        if (d.docId === docId) d.createdTime = vnTime(new Date(Date.now() - days * 86_400_000));
    },
    close: () => app.close(),
  };
}

export type FakeVdxp = Awaited<ReturnType<typeof startFakeVdxp>>;
