import { ERRORS } from '@congvu/contracts';
import {
  draftFormPage,
  fill,
  type Lang,
  type PaperRow,
  papersPage,
  paths,
  reviewPage,
  type Shell,
  submitStartPage,
  submittedPage,
  t,
} from '@congvu/portal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { meta } from '../../platform/http.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import { onlineCases, type SubmissionsService } from '../submissions/service.ts';
import { requestLang } from './account.ts';
import { portalCsrf } from './csrf.ts';
import type { PortalService } from './service.ts';

const FormBody = z.record(z.string(), z.string().max(2000));
const CodeParams = z.object({ code: z.string().trim().min(1).max(40) });
const DraftParams = z.object({ draftId: z.uuid() });
const PaperParams = z.object({ draftId: z.uuid(), specId: z.uuid() });
const DossierParams = z.object({ dossierCode: z.string().trim().min(1).max(64) });
const FlagQuery = z.object({ 'da-luu': z.string().max(10).optional() });

export interface SubmitDeps {
  portal: PortalService;
  submissions: SubmissionsService;
  shell: Omit<Shell, 'citizen'>;
  secureCookies: boolean;
  publicUrl: string | undefined;
  ratePerMinute: number;
  maxUploadBytes: number;
  citizenOf: (req: FastifyRequest) => Promise<{ auth: CitizenAuth; fullName: string } | null>;
  sendHtml: (
    req: FastifyRequest,
    reply: FastifyReply,
    body: string,
    o?: { status?: number; cache?: string },
  ) => FastifyReply;
  /** The acknowledgement PDF of a citizen's own online dossier. */
  receiptPdf: (citizenId: string, code: string) => Promise<Buffer>;
}

/** A service error shown on the page (field `_form` or given), in the page's language, or rethrown. */
function formErrorOf(
  e: unknown,
  lang: Lang,
  field = '_form',
): { status: number; errors: Record<string, string> } {
  if (!(e instanceof AppError) || e.status >= 500 || e.status === 404 || e.code === 'UNAUTHENTICATED')
    throw e;
  return { status: e.status, errors: { [field]: lang === 'en' ? ERRORS[e.code].en : e.message } };
}

/**
 * Online submission pages (docs/portal.md "Nộp trực tuyến"): start → draft form → papers →
 * review → submitted. Signed out: 303 to sign-in with `tiep`. Every POST checks the portal CSRF
 * token; a draft or dossier of someone else is a 404.
 */
export async function submitRoutes(scope: FastifyInstance, d: SubmitDeps) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { portal, submissions } = d;
  const { csrfOf, checkCsrf } = portalCsrf(d);
  const limited = { max: d.ratePerMinute, timeWindow: '1 minute' };
  const pub = { access: 'public' as const };
  const post = {
    config: { ...pub, rateLimit: limited },
    preValidation: async (req: FastifyRequest) => checkCsrf(req),
  };

  function send(req: FastifyRequest, reply: FastifyReply, body: string, status = 200) {
    reply.header('referrer-policy', 'same-origin');
    return d.sendHtml(req, reply, body, { status, cache: 'private, no-store' });
  }
  const see = (reply: FastifyReply, to: string) => reply.redirect(to, 303);
  async function signedIn(req: FastifyRequest, reply: FastifyReply) {
    const who = await d.citizenOf(req);
    if (!who) {
      const next = req.method === 'GET' ? req.url.split('?')[0] : paths.home;
      see(reply, `${paths.signIn}?tiep=${encodeURIComponent(next ?? paths.home)}`);
      return null;
    }
    return who;
  }
  const shellOf = (req: FastifyRequest, who: { fullName: string }): Shell => ({
    ...d.shell,
    lang: requestLang(req),
    path: req.url,
    citizen: { fullName: who.fullName },
  });
  const headerOf = (x: Awaited<ReturnType<SubmissionsService['load']>>) => ({
    draftId: x.draft.id,
    procedureName: x.procedure.name,
    caseName: x.kase.name,
    agencyName: x.agency?.name ?? null,
  });
  const papersOf = (x: Awaited<ReturnType<SubmissionsService['load']>>): PaperRow[] =>
    x.kase.components.map((c) => {
      const g = x.draft.components[c.id];
      return {
        specId: c.id,
        name: c.name,
        required: c.required,
        formName: c.formName,
        given: g ? { kind: g.kind, name: g.name } : null,
      };
    });
  const storeOf = async (auth: CitizenAuth) => {
    const items = await portal.account.store(auth);
    return items ? items.map((i) => ({ id: i.id, name: i.name })) : null;
  };

  // --- Start

  async function startPage(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    o: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {},
  ) {
    const who = await d.citizenOf(req);
    if (!who) return null;
    const procedure = await portal.procedure(code);
    const profile = await portal.account.profile(who.auth);
    return send(
      req,
      reply,
      submitStartPage(
        {
          csrf: csrfOf(req, reply),
          procedure,
          cases: onlineCases(procedure),
          needsIdNo: !profile.idNo,
          values: o.values ?? {},
          errors: o.errors ?? {},
        },
        shellOf(req, who),
      ),
      o.status,
    );
  }

  app.get('/nop-truc-tuyen/:code', { config: pub, schema: { params: CodeParams } }, async (req, reply) => {
    if (!(await signedIn(req, reply))) return reply;
    return startPage(req, reply, req.params.code);
  });

  app.post(
    '/nop-truc-tuyen/:code',
    { ...post, schema: { params: CodeParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const b = req.body;
      const values = { caseId: b.caseId ?? '', agencyId: b.agencyId ?? '' };
      const errors: Record<string, string> = {};
      const procedure = await portal.procedure(req.params.code);
      if (!onlineCases(procedure).some((c) => c.id === values.caseId))
        errors.caseId = t(requestLang(req))['sub.err.case'];
      if (!procedure.agencies.some((a) => a.id === values.agencyId))
        errors.agencyId = t(requestLang(req))['sub.err.agency'];
      if (Object.keys(errors).length)
        return startPage(req, reply, req.params.code, { values, errors, status: 400 });
      try {
        const draft = await submissions.start(who.auth, meta(req), {
          procedure,
          caseId: values.caseId,
          agencyId: values.agencyId,
        });
        return see(reply, paths.draft(draft.id));
      } catch (e) {
        const f = formErrorOf(e, requestLang(req));
        return startPage(req, reply, req.params.code, { values, errors: f.errors, status: f.status });
      }
    },
  );

  // --- The form

  async function formPage(
    req: FastifyRequest,
    reply: FastifyReply,
    who: { auth: CitizenAuth; fullName: string },
    id: string,
    o: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      saved?: boolean;
      status?: number;
    } = {},
  ) {
    const x = await submissions.load(who.auth, id);
    const done = await submissions.submittedCode(who.auth, x.draft);
    if (done) return see(reply, paths.submitted(done));
    return send(
      req,
      reply,
      draftFormPage(
        {
          ...headerOf(x),
          csrf: csrfOf(req, reply),
          form: x.form,
          values: o.values ?? x.draft.values,
          errors: o.errors ?? {},
          units: await submissions.units(),
          saved: o.saved ?? false,
        },
        shellOf(req, who),
      ),
      o.status,
    );
  }

  app.get(
    '/nop-truc-tuyen/ho-so-nhap/:draftId',
    { config: pub, schema: { params: DraftParams, querystring: FlagQuery } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      return formPage(req, reply, who, req.params.draftId, { saved: req.query['da-luu'] === '1' });
    },
  );

  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId',
    { ...post, schema: { params: DraftParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const id = req.params.draftId;
      const action = req.body._action ?? 'save';
      const addRow = action.startsWith('add:') ? action.slice(4) : undefined;
      const r = await submissions.save(who.auth, meta(req), id, req.body, {
        ...(addRow && { addRow }),
        check: action === 'next',
        lang: requestLang(req),
      });
      if (action === 'next') {
        if (Object.keys(r.errors).length)
          return formPage(req, reply, who, id, { values: r.values, errors: r.errors, status: 400 });
        return see(reply, paths.draftPapers(id));
      }
      if (addRow) return see(reply, `${paths.draft(id)}#f-${addRow}`);
      return see(reply, `${paths.draft(id)}?da-luu=1`);
    },
  );

  // --- Papers

  async function papers(
    req: FastifyRequest,
    reply: FastifyReply,
    who: { auth: CitizenAuth; fullName: string },
    id: string,
    o: { errors?: Record<string, string>; status?: number } = {},
  ) {
    const x = await submissions.load(who.auth, id);
    const done = await submissions.submittedCode(who.auth, x.draft);
    if (done) return see(reply, paths.submitted(done));
    return send(
      req,
      reply,
      papersPage(
        {
          ...headerOf(x),
          csrf: csrfOf(req, reply),
          papers: papersOf(x),
          store: await storeOf(who.auth),
          maxMb: Math.round(d.maxUploadBytes / 1024 / 1024),
          errors: o.errors ?? {},
        },
        shellOf(req, who),
      ),
      o.status,
    );
  }

  app.get(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/giay-to',
    { config: pub, schema: { params: DraftParams } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      return papers(req, reply, who, req.params.draftId);
    },
  );

  // An upload: multipart, read here (fields and the one file), the CSRF token from its field.
  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/giay-to/:specId',
    { config: { ...pub, rateLimit: limited }, schema: { params: PaperParams } },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('PORTAL_CSRF_INVALID');
      const fields: Record<string, string> = {};
      let file: { data: Buffer; name: string; truncated: boolean } | null = null;
      // The CSRF field comes first in the form; a file over the limit stops the reading (413 page).
      try {
        for await (const part of req.parts({ limits: { fileSize: d.maxUploadBytes, files: 1, fields: 5 } })) {
          if (part.type === 'file') {
            const data = await part.toBuffer();
            file = { data, name: part.filename ?? '', truncated: part.file.truncated };
          } else if (typeof part.value === 'string') fields[part.fieldname] = part.value.slice(0, 2000);
        }
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 413) throw e;
        file = { data: Buffer.alloc(0), name: '', truncated: true };
      }
      checkCsrf(req, fields._csrf ?? '');
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const { draftId, specId } = req.params;
      const field = `file-${specId}`;
      const maxMb = Math.round(d.maxUploadBytes / 1024 / 1024);
      if (!file || (file.data.length === 0 && !file.truncated))
        return papers(req, reply, who, draftId, {
          errors: { [field]: t(requestLang(req))['sub.err.noFile'] },
          status: 400,
        });
      if (file.truncated)
        return papers(req, reply, who, draftId, {
          errors: { [field]: fill(t(requestLang(req))['sub.err.tooBig'], { n: maxMb }) },
          status: 413,
        });
      try {
        await submissions.attachFile(who.auth, meta(req), draftId, specId, file);
      } catch (e) {
        const f = formErrorOf(e, requestLang(req), field);
        if (e instanceof AppError && e.code === 'FILE_TYPE_NOT_ALLOWED')
          f.errors[field] = t(requestLang(req))['sub.err.type'];
        return papers(req, reply, who, draftId, { errors: f.errors, status: f.status });
      }
      return see(reply, paths.draftPapers(draftId));
    },
  );

  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/giay-to/:specId/kho',
    { ...post, schema: { params: PaperParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const { draftId, specId } = req.params;
      try {
        await submissions.attachStoreItem(who.auth, meta(req), draftId, specId, req.body.storeItemId ?? '');
      } catch (e) {
        const f = formErrorOf(e, requestLang(req), `store-${specId}`);
        return papers(req, reply, who, draftId, { errors: f.errors, status: f.status });
      }
      return see(reply, paths.draftPapers(draftId));
    },
  );

  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/giay-to/:specId/xoa',
    { ...post, schema: { params: PaperParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      await submissions.removePaper(who.auth, meta(req), req.params.draftId, req.params.specId);
      return see(reply, paths.draftPapers(req.params.draftId));
    },
  );

  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/giay-to',
    { ...post, schema: { params: DraftParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const id = req.params.draftId;
      try {
        await submissions.toReview(who.auth, meta(req), id);
      } catch (e) {
        const f = formErrorOf(e, requestLang(req));
        return papers(req, reply, who, id, { errors: f.errors, status: f.status });
      }
      return see(reply, paths.draftReview(id));
    },
  );

  // --- Review and submit

  async function review(
    req: FastifyRequest,
    reply: FastifyReply,
    who: { auth: CitizenAuth; fullName: string },
    id: string,
    o: { errors?: Record<string, string>; status?: number } = {},
  ) {
    const x = await submissions.load(who.auth, id);
    const done = await submissions.submittedCode(who.auth, x.draft);
    if (done) return see(reply, paths.submitted(done));
    const checked = await submissions.checked(x);
    const profile = await portal.account.profile(who.auth);
    const errors = {
      ...(checked.ok ? {} : { _form: t(requestLang(req))['sub.err.formInvalid'] }),
      ...o.errors,
    };
    return send(
      req,
      reply,
      reviewPage(
        {
          ...headerOf(x),
          csrf: csrfOf(req, reply),
          form: x.form,
          values: checked.ok ? checked.values : {},
          papers: papersOf(x),
          channel: x.channel,
          applicant: { fullName: profile.fullName, idNo: profile.idNo },
          errors,
        },
        shellOf(req, who),
      ),
      o.status,
    );
  }

  app.get(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/xem-lai',
    { config: pub, schema: { params: DraftParams } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      return review(req, reply, who, req.params.draftId);
    },
  );

  app.post(
    '/nop-truc-tuyen/ho-so-nhap/:draftId/nop',
    { ...post, schema: { params: DraftParams, body: FormBody } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const id = req.params.draftId;
      try {
        const out = await submissions.submit(who.auth, meta(req), id);
        return see(reply, paths.submitted(out.code));
      } catch (e) {
        const f = formErrorOf(e, requestLang(req));
        return review(req, reply, who, id, { errors: f.errors, status: f.status });
      }
    },
  );

  // --- After submission (owner only)

  app.get(
    '/nop-truc-tuyen/da-nop/:dossierCode',
    { config: pub, schema: { params: DossierParams } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const x = await submissions.submitted(who.auth, req.params.dossierCode);
      const lookupHref = `${paths.lookup}?ma=${encodeURIComponent(x.code)}&k=${encodeURIComponent(x.lookup_secret)}`;
      return send(
        req,
        reply,
        submittedPage(
          {
            code: x.code,
            procedureName: x.procedure_name,
            submittedAt: (x.submitted_at ?? new Date()).toISOString(),
            lookupHref,
            receiptHref: paths.receipt(x.code),
          },
          shellOf(req, who),
        ),
      );
    },
  );

  app.get(
    '/nop-truc-tuyen/da-nop/:dossierCode/bien-nhan.pdf',
    { config: pub, schema: { params: DossierParams } },
    async (req, reply) => {
      const who = await signedIn(req, reply);
      if (!who) return reply;
      const pdf = await d.receiptPdf(who.auth.citizenId, req.params.dossierCode);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `inline; filename="xac-nhan-${req.params.dossierCode.replace(/[^A-Za-z0-9.-]/g, '_')}.pdf"`,
        )
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
}
