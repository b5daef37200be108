import {
  IsoDate,
  List,
  SignDossierForm,
  SignedDossierForm,
  SigningChallenges,
  Uuid,
} from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { formsPolicy } from './forms-policy.ts';
import { DOSSIER_FORMS, FORM_FILES, type FormsService } from './forms-service.ts';

const tags = ['dossiers'];

export const FormParams = z.object({ id: Uuid, form: z.enum(DOSSIER_FORMS) });
export const SignedFormParams = z.object({ id: Uuid, signedId: Uuid });
export const BookQuery = z.object({ agencyId: Uuid, from: IsoDate, to: IsoDate });
export type BookQuery = z.infer<typeof BookQuery>;

const pdf = (name: string) => ({
  'content-type': 'application/pdf',
  'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}.pdf`,
});

export function formsRoutes(app: Api, forms: FormsService) {
  app.get(
    '/api/dossiers/book',
    {
      config: { access: formsPolicy.read },
      schema: {
        tags,
        summary:
          'Sổ theo dõi hồ sơ (Mẫu 06 TT 01/2018/TT-VPCP) của một cơ quan trong một khoảng thời gian, PDF',
        querystring: BookQuery,
      },
    },
    async (req, reply) =>
      reply
        .headers(pdf(`so-theo-doi-ho-so-${req.query.from}-${req.query.to}`))
        .send(await forms.book(authOf(req), req.query)),
  );
  app.get(
    '/api/dossiers/:id/forms/:form',
    {
      config: { access: formsPolicy.read },
      schema: {
        tags,
        summary:
          'Phiếu của hồ sơ (TT 01/2018/TT-VPCP), PDF: receipt = Mẫu 01, supplement = 02, refusal = 03, apology = 04, control = 05',
        params: FormParams,
      },
    },
    async (req, reply) => {
      const f = await forms.dossierForm(authOf(req), req.params.id, req.params.form);
      return reply.headers(pdf(`${FORM_FILES[req.params.form]}-${f.code}`)).send(f.pdf);
    },
  );
  app.post(
    '/api/dossiers/:id/forms/:form/sign',
    {
      config: { access: formsPolicy.read },
      schema: {
        tags,
        summary:
          'Ký số phiếu của hồ sơ bằng chữ ký số của cơ quan (mật khẩu con dấu số hoặc chữ ký từ thiết bị ký số); 201 khi ký mới, 200 khi nội dung này đã được ký',
        params: FormParams,
        body: SignDossierForm,
        response: { 200: SignedDossierForm, 201: SignedDossierForm },
      },
    },
    async (req, reply) => {
      const r = await forms.signForm(
        { ...actor(req), auth: authOf(req) },
        req.params.id,
        req.params.form,
        req.body.signing,
      );
      return reply.status(r.created ? 201 : 200).send(r.signed);
    },
  );
  app.post(
    '/api/dossiers/:id/forms/:form/sign/start',
    {
      config: { access: formsPolicy.read },
      schema: {
        tags,
        summary: 'Ký số phiếu bằng thiết bị ký số (USB token) của cơ quan: lấy dữ liệu cần ký',
        params: FormParams,
        response: { 200: SigningChallenges },
      },
    },
    async (req) => ({
      challenges: await forms.startFormSigning(authOf(req), req.params.id, req.params.form),
    }),
  );
  app.get(
    '/api/dossiers/:id/signed-forms',
    {
      config: { access: formsPolicy.read },
      schema: {
        tags,
        summary: 'Các phiếu của hồ sơ đã ký số bằng chữ ký của cơ quan',
        params: z.object({ id: Uuid }),
        response: { 200: List(SignedDossierForm) },
      },
    },
    async (req) => ({ items: await forms.signedForms(authOf(req), req.params.id) }),
  );
  app.get(
    '/api/dossiers/:id/signed-forms/:signedId',
    {
      config: { access: formsPolicy.read },
      schema: { tags, summary: 'Tệp PDF của một phiếu đã ký số', params: SignedFormParams },
    },
    async (req, reply) => {
      const f = await forms.signedFormPdf(authOf(req), req.params.id, req.params.signedId);
      return reply.headers(pdf(f.name)).send(f.pdf);
    },
  );
}
