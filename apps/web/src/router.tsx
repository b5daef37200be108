import { DOSSIER_STATES, URGENCIES, WORK_QUEUES } from '@congvu/contracts';
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  type RouteComponent,
  redirect,
} from '@tanstack/react-router';
import { lazy } from 'react';
import { z } from 'zod';
import { ApiError } from './api.ts';
import { SignIn } from './pages/SignIn.tsx';
import { Shell } from './Shell.tsx';
import { meQuery } from './session.ts';

const Home = lazy(() => import('./pages/Home.tsx'));
const Profile = lazy(() => import('./pages/Profile.tsx'));
const Agencies = lazy(() => import('./pages/org/Agencies.tsx'));
const Departments = lazy(() => import('./pages/org/Departments.tsx'));
const Officials = lazy(() => import('./pages/org/Officials.tsx'));
const Positions = lazy(() => import('./pages/org/Positions.tsx'));
const Delegations = lazy(() => import('./pages/org/Delegations.tsx'));
const Audit = lazy(() => import('./pages/Audit.tsx'));
const Calendar = lazy(() => import('./pages/Calendar.tsx'));
const Tokens = lazy(() => import('./pages/Tokens.tsx'));
const Exchange = lazy(() => import('./pages/Exchange.tsx'));
const HubAdmin = lazy(() => import('./pages/HubAdmin.tsx'));
const Documents = lazy(() => import('./pages/documents/Documents.tsx'));
const DocumentView = lazy(() => import('./pages/documents/DocumentView.tsx'));
const RegisterIncoming = lazy(() => import('./pages/documents/RegisterIncoming.tsx'));
const DraftOutgoing = lazy(() => import('./pages/documents/DraftOutgoing.tsx'));
const Registers = lazy(() => import('./pages/documents/Registers.tsx'));
const WorkFiles = lazy(() => import('./pages/workfiles/WorkFiles.tsx'));
const Procedures = lazy(() => import('./pages/procedures/Procedures.tsx'));
const ProcedureView = lazy(() => import('./pages/procedures/ProcedureView.tsx'));
const ProcedureForm = lazy(() => import('./pages/procedures/ProcedureForm.tsx'));
const ProcedureImport = lazy(() => import('./pages/procedures/ProcedureImport.tsx'));
const ServiceIndex = lazy(() => import('./pages/onestop/ServiceIndex.tsx'));
const Supervision = lazy(() => import('./pages/onestop/Supervision.tsx'));
const Reception = lazy(() => import('./pages/dossiers/Reception.tsx'));
const Dossiers = lazy(() => import('./pages/dossiers/Dossiers.tsx'));
const DossierView = lazy(() => import('./pages/dossiers/DossierView.tsx'));
const DossierOverdue = lazy(() => import('./pages/dossiers/Overdue.tsx'));

export function createAppRouter(queryClient: QueryClient) {
  const root = createRootRoute({ component: Outlet });
  const signIn = createRoute({ getParentRoute: () => root, path: '/dang-nhap', component: SignIn });
  const app = createRoute({
    getParentRoute: () => root,
    id: 'app',
    component: Shell,
    beforeLoad: async () => {
      try {
        await queryClient.ensureQueryData(meQuery);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) throw redirect({ to: '/dang-nhap' });
        throw e;
      }
    },
  });
  const page = (path: string, component: RouteComponent, validateSearch?: z.ZodType) =>
    createRoute({ getParentRoute: () => app, path, component, ...(validateSearch && { validateSearch }) });

  const tree = root.addChildren([
    signIn,
    app.addChildren([
      page('/', Home),
      page('/ho-so', Profile),
      page('/to-chuc/co-quan', Agencies),
      page(
        '/to-chuc/phong-ban',
        Departments,
        z.object({ agencyId: z.string().uuid().optional().catch(undefined) }),
      ),
      page(
        '/to-chuc/can-bo',
        Officials,
        z.object({
          q: z.string().optional().catch(undefined),
          page: z.coerce.number().int().min(1).optional().catch(undefined),
        }),
      ),
      page('/to-chuc/chuc-vu', Positions),
      page('/to-chuc/uy-quyen', Delegations),
      page('/nhat-ky', Audit),
      page('/lich', Calendar),
      page('/ma-truy-cap', Tokens),
      page('/lien-thong', Exchange),
      page('/truc-lien-thong', HubAdmin),
      page(
        '/van-ban',
        Documents,
        z.object({
          queue: z.enum(WORK_QUEUES).optional().catch(undefined),
          q: z.string().optional().catch(undefined),
          direction: z.enum(['incoming', 'outgoing']).optional().catch(undefined),
          typeId: z.string().optional().catch(undefined),
          urgency: z.enum(URGENCIES).optional().catch(undefined),
          from: z.string().optional().catch(undefined),
          to: z.string().optional().catch(undefined),
          page: z.coerce.number().int().min(1).optional().catch(undefined),
        }),
      ),
      page('/van-ban/den/vao-so', RegisterIncoming),
      page(
        '/van-ban/di/soan-thao',
        DraftOutgoing,
        z.object({ replyTo: z.string().uuid().optional().catch(undefined) }),
      ),
      page(
        '/van-ban/so',
        Registers,
        z.object({
          registerId: z.string().uuid().optional().catch(undefined),
          kind: z.enum(['book', 'tracking']).optional().catch(undefined),
          year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
          from: z.string().optional().catch(undefined),
          to: z.string().optional().catch(undefined),
        }),
      ),
      page('/van-ban/$id', DocumentView),
      page('/ho-so-cong-viec', WorkFiles),
      page('/thu-tuc', Procedures),
      page('/thu-tuc/nhap', ProcedureImport),
      page('/thu-tuc/moi', ProcedureForm),
      page('/thu-tuc/$id', ProcedureView),
      page('/thu-tuc/$id/sua', ProcedureForm),
      page('/mot-cua/chi-so', ServiceIndex),
      page(
        '/mot-cua/giam-sat',
        Supervision,
        z.object({
          by: z.enum(['agency', 'procedure', 'official']).optional().catch(undefined),
          agencyId: z.string().optional().catch(undefined),
          from: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional()
            .catch(undefined),
          to: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional()
            .catch(undefined),
        }),
      ),
      page('/mot-cua/tiep-nhan', Reception),
      page(
        '/mot-cua/ho-so',
        Dossiers,
        z.object({
          scope: z.enum(['mine', 'agency', 'all']).optional().catch(undefined),
          state: z.enum(DOSSIER_STATES).optional().catch(undefined),
          overdue: z.coerce.boolean().optional().catch(undefined),
          q: z.string().optional().catch(undefined),
          page: z.coerce.number().int().min(1).optional().catch(undefined),
          // from the supervisor dashboard (/mot-cua/giam-sat): one row's dossiers of the period
          agencyId: z.string().optional().catch(undefined),
          procedureCode: z.string().optional().catch(undefined),
          officialId: z.string().optional().catch(undefined),
          from: z.string().optional().catch(undefined),
          to: z.string().optional().catch(undefined),
          label: z.string().optional().catch(undefined),
        }),
      ),
      page('/mot-cua/qua-han', DossierOverdue),
      page('/mot-cua/ho-so/$id', DossierView),
    ]),
  ]);
  return createRouter({ routeTree: tree, defaultPreload: false });
}
