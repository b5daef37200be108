import {
  Agency,
  CreateAgency,
  CreateDelegation,
  CreateDepartment,
  CreateOfficial,
  CreatePosition,
  Delegation,
  Department,
  List,
  ListOfficialsQuery,
  Official,
  OfficialSummary,
  Page,
  Position,
  Reorganisation,
  ResetPassword,
  UpdateAgency,
  UpdateDepartment,
  UpdateOfficial,
} from '@congvu/contracts';
import { AppError } from '../../platform/errors.ts';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { orgPolicy } from './policy.ts';
import {
  AgencyListQuery,
  AgencyWithSuccessor,
  DelegationListQuery,
  DepartmentListQuery,
  IdParams,
  ReorganisationResult,
} from './schema.ts';
import type { OrgService } from './service.ts';

const tags = ['org'];

export function orgRoutes(app: Api, org: OrgService) {
  const read = { access: orgPolicy.read } as const;
  const manage = { access: orgPolicy.manage } as const;

  // --- agencies
  app.get(
    '/api/org/agencies',
    {
      config: read,
      schema: {
        tags,
        summary: 'Danh sách cơ quan, đơn vị',
        querystring: AgencyListQuery,
        response: { 200: List(Agency) },
      },
    },
    async (req) => ({ items: await org.listAgencies(req.query) }),
  );
  app.post(
    '/api/org/agencies',
    {
      config: manage,
      schema: { tags, summary: 'Thêm cơ quan, đơn vị', body: CreateAgency, response: { 201: Agency } },
    },
    async (req, reply) => reply.status(201).send(await org.createAgency(actor(req), req.body)),
  );
  app.get(
    '/api/org/agencies/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Chi tiết cơ quan (kèm đơn vị kế thừa)',
        params: IdParams,
        response: { 200: AgencyWithSuccessor },
      },
    },
    async (req) => org.getAgency(req.params.id),
  );
  app.patch(
    '/api/org/agencies/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Sửa cơ quan',
        params: IdParams,
        body: UpdateAgency,
        response: { 200: Agency },
      },
    },
    async (req) => org.updateAgency(actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/org/reorganisations',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Sáp nhập hoặc chia tách đơn vị',
        body: Reorganisation,
        response: { 201: ReorganisationResult },
      },
    },
    async (req, reply) => reply.status(201).send(await org.reorganise(actor(req), req.body)),
  );

  // --- departments
  app.get(
    '/api/org/departments',
    {
      config: read,
      schema: {
        tags,
        summary: 'Danh sách phòng, ban',
        querystring: DepartmentListQuery,
        response: { 200: List(Department) },
      },
    },
    async (req) => ({ items: await org.listDepartments(req.query.agencyId, req.query.includeInactive) }),
  );
  app.post(
    '/api/org/departments',
    {
      config: manage,
      schema: { tags, summary: 'Thêm phòng, ban', body: CreateDepartment, response: { 201: Department } },
    },
    async (req, reply) => reply.status(201).send(await org.createDepartment(actor(req), req.body)),
  );
  app.patch(
    '/api/org/departments/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Sửa phòng, ban',
        params: IdParams,
        body: UpdateDepartment,
        response: { 200: Department },
      },
    },
    async (req) => org.updateDepartment(actor(req), req.params.id, req.body),
  );

  // --- positions
  app.get(
    '/api/org/positions',
    { config: read, schema: { tags, summary: 'Danh mục chức vụ', response: { 200: List(Position) } } },
    async () => ({ items: await org.listPositions() }),
  );
  app.post(
    '/api/org/positions',
    {
      config: manage,
      schema: { tags, summary: 'Thêm chức vụ', body: CreatePosition, response: { 201: Position } },
    },
    async (req, reply) => reply.status(201).send(await org.createPosition(actor(req), req.body)),
  );

  // --- officials
  app.get(
    '/api/org/officials',
    {
      config: read,
      schema: {
        tags,
        summary: 'Danh sách cán bộ (tìm không dấu)',
        querystring: ListOfficialsQuery,
        response: { 200: Page(OfficialSummary) },
      },
    },
    async (req) => org.listOfficials(req.query),
  );
  app.post(
    '/api/org/officials',
    {
      config: manage,
      schema: { tags, summary: 'Thêm cán bộ', body: CreateOfficial, response: { 201: Official } },
    },
    async (req, reply) => reply.status(201).send(await org.createOfficial(actor(req), req.body)),
  );
  app.get(
    '/api/org/officials/:id',
    {
      config: read,
      schema: { tags, summary: 'Chi tiết cán bộ', params: IdParams, response: { 200: Official } },
    },
    async (req) => org.getOfficial(req.params.id),
  );
  app.patch(
    '/api/org/officials/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Sửa cán bộ',
        params: IdParams,
        body: UpdateOfficial,
        response: { 200: Official },
      },
    },
    async (req) => org.updateOfficial(actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/org/officials/:id/reset-password',
    {
      config: manage,
      schema: { tags, summary: 'Đặt lại mật khẩu (quản trị)', params: IdParams, body: ResetPassword },
    },
    async (req, reply) => {
      await org.resetPassword(actor(req), req.params.id, req.body.newPassword);
      return reply.status(204).send();
    },
  );

  // --- delegations
  app.get(
    '/api/org/delegations',
    {
      config: { access: 'session' },
      schema: {
        tags,
        summary: 'Danh sách ủy quyền',
        querystring: DelegationListQuery,
        response: { 200: List(Delegation) },
      },
    },
    async (req) => {
      const auth = authOf(req);
      // Without org.manage an official sees only the delegations that concern them.
      const officialId = auth.permissions.has('org.manage')
        ? req.query.officialId
        : (auth.officialId ?? undefined);
      if (!orgPolicy.listDelegations(auth, officialId)) throw new AppError('FORBIDDEN');
      return { items: await org.listDelegations(officialId) };
    },
  );
  app.post(
    '/api/org/delegations',
    {
      config: { access: 'session' },
      schema: { tags, summary: 'Tạo ủy quyền', body: CreateDelegation, response: { 201: Delegation } },
    },
    async (req, reply) => {
      if (!orgPolicy.createDelegation(authOf(req), req.body.fromOfficialId)) throw new AppError('FORBIDDEN');
      return reply.status(201).send(await org.createDelegation(actor(req), req.body));
    },
  );
  app.post(
    '/api/org/delegations/:id/revoke',
    {
      config: { access: 'session' },
      schema: { tags, summary: 'Thu hồi ủy quyền', params: IdParams, response: { 200: Delegation } },
    },
    async (req) => {
      const d = await org.findDelegation(req.params.id);
      if (!d) throw new AppError('DELEGATION_NOT_FOUND');
      if (!orgPolicy.revokeDelegation(authOf(req), d)) throw new AppError('FORBIDDEN');
      return org.revokeDelegation(actor(req), req.params.id);
    },
  );
}
