import { randomBytes } from 'node:crypto';
import { ERRORS } from '@congvu/contracts';
import {
  CSRF_FIELD,
  type FormState,
  fill,
  maybe,
  mineDossierPage,
  minePage,
  paths,
  paymentResultPage,
  type ResultCheck,
  type Shell,
  t,
  withdrawPage,
} from '@congvu/portal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { meta } from '../../platform/http.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import { requestLang } from './account.ts';
import type { portalCsrf } from './csrf.ts';
import type { PortalService } from './service.ts';

const FormBody = z.record(z.string(), z.string().max(2000));
const CodeParams = z.object({ code: z.string().trim().min(1).max(40) });
const ResultParams = CodeParams.extend({ resultId: z.string().uuid() });
const ReceiptParams = CodeParams.extend({ txnRef: z.string().regex(/^[A-Za-z0-9]{1,40}$/) });
const FlagQuery = z.object({ xong: z.string().max(20).optional() });
/** What the gateway sends back: vnp_* strings (checked by the payments service's signature). */
const ReturnQuery = z.record(z.string(), z.string().max(2000));

const UPLOAD_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);
const MAX_FILES = 5;

/** A service error's message in the page's language (its own text in Vietnamese, the code's English text). */
const messageOf = (e: AppError, req: FastifyRequest) =>
  requestLang(req) === 'en' ? ERRORS[e.code].en : e.message;

export interface MineDeps {
  portal: PortalService;
  shell: Omit<Shell, 'citizen'>;
  csrf: ReturnType<typeof portalCsrf>;
  ratePerMinute: number;
  publicUrl: string | undefined;
  maxUploadBytes: number;
  /** Stores an upload of the citizen (type sniffed); FILE_TYPE_NOT_ALLOWED / FILE_TOO_LARGE. */
  storeUpload: (data: Buffer) => Promise<{ sha256: string; mime: string }>;
  readBlob: (sha256: string) => Promise<Buffer>;
  citizenOf: (req: FastifyRequest) => Promise<{ auth: CitizenAuth; fullName: string } | null>;
  sendHtml: (
    req: FastifyRequest,
    reply: FastifyReply,
    body: string,
    o?: { status?: number; cache?: string },
  ) => FastifyReply;
}

/**
 * "Hồ sơ của tôi" (issue 7): the signed-in citizen's dossiers after submission. Pages render with
 * apps/portal; every change goes through the portal service to the dossiers and payments
 * services (ownership, audit). A dossier of someone else is "not found"; signed out → sign-in.
 */
export async function mineRoutes(scope: FastifyInstance, d: MineDeps) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { portal, csrf } = d;
  const pub = { access: 'public' as const };
  const limited = { max: d.ratePerMinute, timeWindow: '1 minute' };
  const post = {
    config: { ...pub, rateLimit: limited },
    schema: { params: CodeParams, body: FormBody },
    preValidation: async (req: FastifyRequest) => csrf.checkCsrf(req),
  };

  async function shellOf(req: FastifyRequest): Promise<Shell> {
    const who = await d.citizenOf(req);
    return {
      ...d.shell,
      lang: requestLang(req),
      path: req.url,
      citizen: who ? { fullName: who.fullName } : null,
    };
  }
  function send(req: FastifyRequest, reply: FastifyReply, body: string, status = 200) {
    reply.header('referrer-policy', 'same-origin');
    return d.sendHtml(req, reply, body, { status, cache: 'private, no-store' });
  }
  const see = (reply: FastifyReply, to: string) => reply.redirect(to, 303);
  const toSignIn = (reply: FastifyReply, next: string) =>
    see(reply, `${paths.signIn}?tiep=${encodeURIComponent(next)}`);
  const originOf = (req: FastifyRequest) => d.publicUrl ?? `${req.protocol}://${req.host}`;

  /** The dossier page, with the forms' state after an error. */
  async function dossierPage(
    req: FastifyRequest,
    reply: FastifyReply,
    auth: CitizenAuth,
    code: string,
    o: {
      status?: number;
      notice?: string | undefined;
      supplement?: FormState;
      rating?: FormState;
      post?: Omit<FormState, 'csrf'>;
    } = {},
  ) {
    const x = await portal.mine.dossier(auth, code);
    let post = o.post;
    if (!post && x.canChoosePost) {
      // Prefilled from the dossier's postal choice, else the profile.
      const p = await portal.account.profile(auth);
      post = { values: { address: p.address ?? '', phone: p.phone ?? '' } };
    }
    const checks: Record<string, ResultCheck> = {};
    for (const r of x.view.results)
      if (r.blob && r.electronic) checks[r.id] = (await portal.mine.result(auth, code, r.id)).verification;
    const store = x.view.state === 'supplement' ? await portal.mine.store(auth) : null;
    return send(
      req,
      reply,
      mineDossierPage(
        {
          ...x,
          csrf: csrf.csrfOf(req, reply),
          key: randomBytes(16).toString('base64url'),
          store,
          checks,
          notice: o.notice,
          payable: x.owed.length > 0,
          supplement: o.supplement,
          rating: o.rating,
          post,
          maxUploadMb: Math.round(d.maxUploadBytes / 1024 / 1024),
        },
        await shellOf(req),
      ),
      o.status,
    );
  }

  app.get('/ho-so-cua-toi', { config: pub }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mine);
    return send(req, reply, minePage({ items: await portal.mine.list(who.auth) }, await shellOf(req)));
  });

  app.get(
    '/ho-so-cua-toi/:code',
    { config: pub, schema: { params: CodeParams, querystring: FlagQuery } },
    async (req, reply) => {
      const who = await d.citizenOf(req);
      if (!who) return toSignIn(reply, paths.mineDossier(req.params.code));
      const flag = req.query.xong;
      return dossierPage(req, reply, who.auth, req.params.code, {
        notice: flag ? maybe(t(requestLang(req)), `mine.done.${flag}`) : undefined,
      });
    },
  );

  // The supplement answered online: multipart (files + store items), the CSRF token a field.
  app.post(
    '/ho-so-cua-toi/:code/bo-sung',
    { config: { ...pub, rateLimit: limited }, schema: { params: CodeParams } },
    async (req, reply) => {
      const code = req.params.code;
      if (!req.isMultipart()) throw new AppError('BAD_REQUEST');
      const fields: Record<string, string[]> = {};
      const files: { name: string; data: Buffer }[] = [];
      let tooLarge = false;
      try {
        for await (const part of req.parts({
          limits: { fileSize: d.maxUploadBytes, files: MAX_FILES, fields: 40, fieldSize: 2000 },
        })) {
          if (part.type === 'file') {
            const data = await part.toBuffer();
            if (part.file.truncated) tooLarge = true;
            if (data.length > 0)
              files.push({ name: (part.filename || 'Giấy tờ bổ sung').slice(0, 200), data });
          } else {
            const list = fields[part.fieldname] ?? [];
            list.push(String(part.value));
            fields[part.fieldname] = list;
          }
        }
      } catch (e) {
        // Too large or too many files: the form again with the limits (once the token is checked).
        const c = (e as { code?: string }).code;
        if (c !== 'FST_REQ_FILE_TOO_LARGE' && c !== 'FST_FILES_LIMIT') throw e;
        tooLarge = true;
      }
      csrf.checkCsrf(req, fields[CSRF_FIELD]?.[0]);
      const who = await d.citizenOf(req);
      if (!who) return toSignIn(reply, paths.mineDossier(code));
      const again = (msg: string, status = 400) =>
        dossierPage(req, reply, who.auth, code, {
          status,
          supplement: { csrf: '', errors: { files: msg } },
        });
      if (tooLarge)
        return again(
          fill(t(requestLang(req))['mine.err.files'], {
            max: MAX_FILES,
            n: Math.round(d.maxUploadBytes / 1024 / 1024),
          }),
        );
      const uploads: { name: string; blob: string }[] = [];
      for (const f of files) {
        let stored: { sha256: string; mime: string };
        try {
          stored = await d.storeUpload(f.data);
        } catch (e) {
          if (e instanceof AppError && (e.code === 'FILE_TYPE_NOT_ALLOWED' || e.code === 'FILE_TOO_LARGE'))
            return again(messageOf(new AppError('DOSSIER_FILE_TYPE'), req));
          throw e;
        }
        // The type is the sniffed one, never the browser's word.
        if (!UPLOAD_TYPES.has(stored.mime)) return again(messageOf(new AppError('DOSSIER_FILE_TYPE'), req));
        uploads.push({ name: f.name, blob: stored.sha256 });
      }
      const key = fields.key?.[0] ?? '';
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(key)) throw new AppError('BAD_REQUEST');
      const storeItemIds = (fields.kho ?? []).filter((x) => z.string().uuid().safeParse(x).success);
      try {
        await portal.mine.supplement(who.auth, code, { key, uploads, storeItemIds }, meta(req));
      } catch (e) {
        if (
          e instanceof AppError &&
          (e.code === 'DOSSIER_SUPPLEMENT_EMPTY' || e.code === 'DOSSIER_STORE_ITEM_INVALID')
        )
          return again(messageOf(e, req));
        throw e;
      }
      return see(reply, `${paths.mineDossier(code)}?xong=bo-sung`);
    },
  );

  app.get('/ho-so-cua-toi/:code/rut', { config: pub, schema: { params: CodeParams } }, async (req, reply) => {
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mineWithdraw(req.params.code));
    const x = await portal.mine.dossier(who.auth, req.params.code);
    if (!x.canWithdraw) return see(reply, paths.mineDossier(req.params.code));
    return send(
      req,
      reply,
      withdrawPage({ csrf: csrf.csrfOf(req, reply), code: x.view.code }, await shellOf(req)),
    );
  });

  app.post('/ho-so-cua-toi/:code/rut', post, async (req, reply) => {
    const code = req.params.code;
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mineWithdraw(code));
    const reason = (req.body.reason ?? '').trim();
    if (reason.length < 3 || reason.length > 1000)
      return send(
        req,
        reply,
        withdrawPage(
          {
            csrf: csrf.csrfOf(req, reply),
            code,
            values: { reason },
            errors: { reason: t(requestLang(req))['mine.err.reason'] },
          },
          await shellOf(req),
        ),
        400,
      );
    await portal.mine.withdraw(who.auth, code, reason, meta(req));
    return see(reply, `${paths.mineDossier(code)}?xong=rut`);
  });

  app.post('/ho-so-cua-toi/:code/thanh-toan', post, async (req, reply) => {
    const code = req.params.code;
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mineDossier(code));
    const order = await portal.mine.pay(
      who.auth,
      code,
      { ipAddr: req.ip ?? '127.0.0.1', returnUrl: `${originOf(req)}${paths.paymentResult}` },
      meta(req),
    );
    return see(reply, order.paymentUrl);
  });

  app.post('/ho-so-cua-toi/:code/danh-gia', post, async (req, reply) => {
    const code = req.params.code;
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mineDossier(code));
    const b = req.body;
    const errors: Record<string, string> = {};
    const s = t(requestLang(req));
    const level = Number(b.level);
    if (!Number.isInteger(level) || level < 1 || level > 5) errors.level = s['rate.err.level'];
    const criteria: boolean[] = [];
    for (let i = 1; i <= 9; i++) {
      const v = b[`c${i}`];
      if (v !== '0' && v !== '1') errors[`c${i}`] = s['rate.err.criterion'];
      criteria.push(v === '1');
    }
    const comment = (b.comment ?? '').trim();
    if (Object.keys(errors).length)
      return dossierPage(req, reply, who.auth, code, {
        status: 400,
        rating: { csrf: '', values: b, errors: { ...errors, _form: s['rate.err.all'] } },
      });
    try {
      await portal.mine.rate(
        who.auth,
        code,
        { level: level as 1 | 2 | 3 | 4 | 5, criteria, comment: comment || undefined },
        meta(req),
      );
    } catch (e) {
      if (e instanceof AppError && e.code === 'DOSSIER_RATING_ONCE')
        return dossierPage(req, reply, who.auth, code, { status: 409, notice: messageOf(e, req) });
      throw e;
    }
    return see(reply, `${paths.mineDossier(code)}?xong=danh-gia`);
  });

  app.post('/ho-so-cua-toi/:code/buu-chinh', post, async (req, reply) => {
    const code = req.params.code;
    const who = await d.citizenOf(req);
    if (!who) return toSignIn(reply, paths.mineDossier(code));
    const address = (req.body.address ?? '').trim();
    const phone = (req.body.phone ?? '').trim();
    const errors: Record<string, string> = {};
    const s = t(requestLang(req));
    if (address.length < 5 || address.length > 500) errors.address = s['mine.err.address'];
    if (!/^\+?[0-9 .-]{8,20}$/.test(phone)) errors.phone = s['invalid.phone'];
    if (Object.keys(errors).length)
      return dossierPage(req, reply, who.auth, code, {
        status: 400,
        post: { values: { address, phone }, errors },
      });
    await portal.mine.choosePost(who.auth, code, { address, phone }, meta(req));
    return see(reply, `${paths.mineDossier(code)}?xong=buu-chinh`);
  });

  app.get(
    '/ho-so-cua-toi/:code/ket-qua/:resultId',
    { config: pub, schema: { params: ResultParams } },
    async (req, reply) => {
      const who = await d.citizenOf(req);
      if (!who) return toSignIn(reply, paths.mineResult(req.params.code, req.params.resultId));
      const r = await portal.mine.result(who.auth, req.params.code, req.params.resultId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${r.name}.pdf`)}`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(await d.readBlob(r.blob));
    },
  );

  app.get(
    '/ho-so-cua-toi/:code/bien-nhan/:txnRef',
    { config: pub, schema: { params: ReceiptParams } },
    async (req, reply) => {
      const who = await d.citizenOf(req);
      if (!who) return toSignIn(reply, paths.mineReceipt(req.params.code, req.params.txnRef));
      const pdf = await portal.mine.receipt(who.auth, req.params.code, req.params.txnRef);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="bien-nhan-${req.params.txnRef}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  // The gateway sends the browser back here: the signature is checked, nothing is changed (the IPN settles).
  app.get(
    '/thanh-toan/ket-qua',
    { config: { ...pub, rateLimit: limited }, schema: { querystring: ReturnQuery } },
    async (req, reply) => {
      let result: Awaited<ReturnType<PortalService['mine']['paymentReturned']>> | null = null;
      try {
        result = await portal.mine.paymentReturned(req.query);
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
      }
      const who = await d.citizenOf(req);
      const own = result && who ? await ownerOf(who.auth, result.dossierCode) : false;
      return send(
        req,
        reply,
        paymentResultPage(
          {
            result,
            receiptHref: own && result ? paths.mineReceipt(result.dossierCode, result.txnRef) : undefined,
            dossierHref: own && result ? paths.mineDossier(result.dossierCode) : undefined,
          },
          await shellOf(req),
        ),
        result ? 200 : 400,
      );
    },
  );

  async function ownerOf(auth: CitizenAuth, code: string) {
    try {
      await portal.mine.dossier(auth, code);
      return true;
    } catch (e) {
      if (e instanceof AppError && e.code === 'DOSSIER_NOT_FOUND') return false;
      throw e;
    }
  }
}
