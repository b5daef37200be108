import {
  AcceptDossier,
  Apology,
  AssignStep,
  AttachScan,
  CompleteStep,
  DeliverDossier,
  DoneDossier,
  DossierList,
  DossierListQuery,
  DossierView,
  FinancialDone,
  FinancialRequest,
  List,
  OverdueQuery,
  OverdueReport,
  type Permission,
  PublicDossierQuery,
  PublicDossierStatus,
  ReceiveDossier,
  RefuseDossier,
  StopDossier,
  StoreItem,
  StoreItemsQuery,
  SupplementReceived,
  SupplementRequest,
  Uuid,
  WithdrawDossier,
} from '@congvu/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { failureLimit } from '../../platform/failures.ts';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { dossiersPolicy } from './policy.ts';
import type { DossiersService } from './service.ts';

const tags = ['dossiers'];
const IdParams = z.object({ id: Uuid });
const StepParams = z.object({ id: Uuid, stepId: Uuid });
const ComponentParams = z.object({ id: Uuid, componentId: Uuid });
const ResultParams = z.object({ id: Uuid, resultId: Uuid });
const CodeParams = z.object({ code: z.string().trim().min(8).max(80) });

/** Routes of the dossiers module; thin: the service checks who may act on which dossier. */
export function dossiersRoutes(
  app: Api,
  dossiers: DossiersService,
  opts: { publicRatePerMinute?: number } = {},
) {
  const who = (req: Parameters<typeof authOf>[0]) => ({ ...actor(req), auth: authOf(req) });
  // The public lookup counts wrong guesses (unknown code or wrong secret) per client, not lookups.
  const lookupFailures = failureLimit({ max: opts.publicRatePerMinute ?? 30, windowMs: 60_000 });

  app.post(
    '/api/dossiers',
    {
      config: { access: dossiersPolicy.receive },
      schema: {
        tags,
        summary: 'Tiếp nhận hồ sơ tại Bộ phận Một cửa (hoặc ghi nhận hồ sơ nộp trực tuyến, bưu chính)',
        body: ReceiveDossier,
        response: { 201: DossierView },
      },
    },
    async (req, reply) => reply.status(201).send(await dossiers.receive(who(req), req.body)),
  );
  app.get(
    '/api/dossiers',
    {
      config: { access: dossiersPolicy.read },
      schema: {
        tags,
        summary: 'Danh sách hồ sơ: của tôi, của cơ quan, theo bước, trạng thái, quá hạn, tìm kiếm',
        querystring: DossierListQuery,
        response: { 200: DossierList },
      },
    },
    async (req) => dossiers.list(authOf(req), req.query),
  );
  app.get(
    '/api/dossiers/overdue',
    {
      config: { access: dossiersPolicy.supervise },
      schema: {
        tags,
        summary: 'Hồ sơ, bước xử lý quá hạn theo bước, cán bộ, cơ quan',
        querystring: OverdueQuery,
        response: { 200: OverdueReport },
      },
    },
    async (req) => dossiers.overdue(authOf(req), req.query),
  );
  app.get(
    '/api/dossiers/store-items',
    {
      config: { access: dossiersPolicy.receive },
      schema: {
        tags,
        summary: 'Kho dữ liệu của tổ chức, cá nhân (theo số định danh) để tái sử dụng',
        querystring: StoreItemsQuery,
        response: { 200: List(StoreItem) },
      },
    },
    async (req) => ({ items: await dossiers.storeItems(authOf(req), req.query.idNo) }),
  );
  app.get(
    '/api/dossiers/:id',
    {
      config: { access: dossiersPolicy.read },
      schema: {
        tags,
        summary: 'Chi tiết hồ sơ và quá trình xử lý',
        params: IdParams,
        response: { 200: DossierView },
      },
    },
    async (req) => dossiers.view(authOf(req), req.params.id),
  );

  const act = <B extends z.ZodType>(
    path: string,
    access: Permission,
    summary: string,
    body: B,
    run: (w: ReturnType<typeof who>, id: string, b: z.output<B>) => Promise<DossierView>,
  ) =>
    app.post(
      `/api/dossiers/:id/${path}`,
      {
        config: { access },
        schema: { tags, summary, params: IdParams, body, response: { 200: DossierView } },
      },
      async (req) => run(who(req), req.params.id, req.body as z.output<B>),
    );

  act(
    'accept',
    dossiersPolicy.receive,
    'Tiếp nhận hồ sơ nộp trực tuyến / bưu chính',
    AcceptDossier,
    (w, id, b) => dossiers.accept(w, id, b),
  );
  act('refuse', dossiersPolicy.receive, 'Từ chối tiếp nhận hồ sơ (nêu lý do)', RefuseDossier, (w, id, b) =>
    dossiers.refuse(w, id, b),
  );
  act(
    'supplement-request',
    dossiersPolicy.process,
    'Yêu cầu bổ sung, hoàn thiện hồ sơ (một lần), tạm dừng tính thời gian',
    SupplementRequest,
    (w, id, b) => dossiers.requestSupplement(w, id, b),
  );
  act(
    'supplement-received',
    dossiersPolicy.receive,
    'Nhận hồ sơ bổ sung, tiếp tục tính thời gian',
    SupplementReceived,
    (w, id, b) => dossiers.supplementReceived(w, id, b),
  );
  act(
    'financial-request',
    dossiersPolicy.process,
    'Yêu cầu thực hiện nghĩa vụ tài chính',
    FinancialRequest,
    (w, id, b) => dossiers.requestFinancial(w, id, b),
  );
  act(
    'financial-done',
    dossiersPolicy.receive,
    'Đã thực hiện nghĩa vụ tài chính',
    FinancialDone,
    (w, id, b) => dossiers.financialDone(w, id, b),
  );
  act('withdraw', dossiersPolicy.receive, 'Công dân rút hồ sơ', WithdrawDossier, (w, id, b) =>
    dossiers.withdraw(w, id, b),
  );
  act('stop', dossiersPolicy.process, 'Dừng xử lý hồ sơ', StopDossier, (w, id, b) => dossiers.stop(w, id, b));
  act('apology', dossiersPolicy.process, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', Apology, (w, id, b) =>
    dossiers.apologise(w, id, b),
  );
  act('done', dossiersPolicy.process, 'Hoàn thành xử lý, ghi kết quả', DoneDossier, (w, id, b) =>
    dossiers.done(w, id, b),
  );
  act('deliver', dossiersPolicy.receive, 'Trả kết quả', DeliverDossier, (w, id, b) =>
    dossiers.deliver(w, id, b),
  );

  app.post(
    '/api/dossiers/:id/steps/:stepId/assign',
    {
      config: { access: dossiersPolicy.read },
      schema: {
        tags,
        summary: 'Giao bước xử lý cho cán bộ (người xử lý bước hiện tại hoặc lãnh đạo giám sát)',
        params: StepParams,
        body: AssignStep,
        response: { 200: DossierView },
      },
    },
    async (req) => dossiers.assignStep(who(req), req.params.id, req.params.stepId, req.body),
  );
  app.post(
    '/api/dossiers/:id/steps/:stepId/complete',
    {
      config: { access: dossiersPolicy.process },
      schema: {
        tags,
        summary: 'Hoàn thành bước xử lý, chuyển bước tiếp theo (liên thông: chuyển cơ quan)',
        params: StepParams,
        body: CompleteStep,
        response: { 200: DossierView },
      },
    },
    async (req) => dossiers.completeStep(who(req), req.params.id, req.params.stepId, req.body),
  );

  app.post(
    '/api/dossiers/:id/components/:componentId/scan',
    {
      config: { access: dossiersPolicy.receive },
      schema: {
        tags,
        summary: 'Số hóa giấy tờ đã tiếp nhận bản giấy: đính kèm bản quét, lưu vào kho dữ liệu của chủ hồ sơ',
        params: ComponentParams,
        body: AttachScan,
        response: { 200: DossierView },
      },
    },
    async (req) => dossiers.digitiseComponent(who(req), req.params.id, req.params.componentId, req.body),
  );
  app.post(
    '/api/dossiers/:id/results/:resultId/scan',
    {
      config: { access: dossiersPolicy.receive },
      schema: {
        tags,
        summary: 'Số hóa kết quả giải quyết bản giấy: đính kèm bản quét, lưu vào kho dữ liệu của chủ hồ sơ',
        params: ResultParams,
        body: AttachScan,
        response: { 200: DossierView },
      },
    },
    async (req) => dossiers.digitiseResult(who(req), req.params.id, req.params.resultId, req.body),
  );

  app.get(
    '/api/public/dossiers/:code',
    {
      // Limited by failures, not by requests (platform/failures.ts): after publicRatePerMinute wrong
      // guesses in a minute the client is refused (429) until the minute ends.
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Tra cứu tình trạng hồ sơ (mã hồ sơ và mã tra cứu trên giấy tiếp nhận)',
        params: CodeParams,
        querystring: PublicDossierQuery,
        response: { 200: PublicDossierStatus },
      },
      // The hot public read: the service builds exactly PublicDossierStatus (an object literal the
      // compiler holds to the type), so the answer is stringified without a second Zod pass.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req, reply) => {
      const wait = lookupFailures.retryAfter(req.ip);
      if (wait > 0) {
        reply.header('retry-after', Math.ceil(wait / 1000));
        throw new AppError('RATE_LIMITED');
      }
      try {
        return await dossiers.publicStatus(req.params.code, req.query.k);
      } catch (e) {
        if (e instanceof AppError && e.code === 'DOSSIER_NOT_FOUND') lookupFailures.fail(req.ip);
        throw e;
      }
    },
  );
}
