import { IsoDate, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, authOf } from '../../platform/http.ts';
import { formsPolicy } from './forms-policy.ts';
import { DOSSIER_FORMS, type FormsService } from './forms-service.ts';

const tags = ['dossiers'];

export const FormParams = z.object({ id: Uuid, form: z.enum(DOSSIER_FORMS) });
export const BookQuery = z.object({ agencyId: Uuid, from: IsoDate, to: IsoDate });
export type BookQuery = z.infer<typeof BookQuery>;

const FILE: Record<(typeof DOSSIER_FORMS)[number], string> = {
  receipt: 'giay-tiep-nhan',
  supplement: 'phieu-yeu-cau-bo-sung',
  refusal: 'phieu-tu-choi',
  apology: 'phieu-xin-loi-hen-lai',
  control: 'phieu-kiem-soat',
};

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
      return reply.headers(pdf(`${FILE[req.params.form]}-${f.code}`)).send(f.pdf);
    },
  );
}
