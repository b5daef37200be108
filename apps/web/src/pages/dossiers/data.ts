import type {
  DossierListItem,
  DossierListQuery,
  DossierView,
  OverdueReport,
  ProcedureDetail,
  ProcedureSummary,
  StoreItem,
} from '@congvu/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.ts';

/** Published procedures in force today that an agency receives (for the counter's picker). */
export function useProcedures(agencyId: string | undefined) {
  return useQuery({
    queryKey: ['procedures', 'counter', agencyId],
    queryFn: () =>
      api.get<{ items: ProcedureSummary[]; total: number }>(
        `/api/procedures${qs({ published: 'true', agencyId, pageSize: 200 })}`,
      ),
    enabled: !!agencyId,
  });
}

export function useProcedure(id: string | undefined) {
  return useQuery({
    queryKey: ['procedure', id],
    queryFn: () => api.get<ProcedureDetail>(`/api/procedures/${id}`),
    enabled: !!id,
  });
}

export function useDossier(id: string) {
  return useQuery({ queryKey: ['dossier', id], queryFn: () => api.get<DossierView>(`/api/dossiers/${id}`) });
}

export function useDossierList(q: DossierListQuery) {
  return useQuery({
    queryKey: ['dossiers', q],
    queryFn: () =>
      api.get<{ items: DossierListItem[]; total: number }>(
        `/api/dossiers${qs({
          scope: q.scope,
          state: q.state,
          overdue: q.overdue === undefined ? undefined : String(q.overdue),
          q: q.q,
          agencyId: q.agencyId,
          procedureCode: q.procedureCode,
          officialId: q.officialId,
          from: q.from,
          to: q.to,
          limit: q.limit as number | undefined,
          offset: q.offset as number | undefined,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useOverdue(agencyId?: string) {
  return useQuery({
    queryKey: ['dossiers-overdue', agencyId],
    queryFn: () => api.get<OverdueReport>(`/api/dossiers/overdue${qs({ agencyId })}`),
  });
}

export function useStoreItems(idNo: string | undefined) {
  return useQuery({
    queryKey: ['store-items', idNo],
    queryFn: () => api.get<{ items: StoreItem[] }>(`/api/dossiers/store-items${qs({ idNo })}`),
    enabled: !!idNo && /^\d{10,12}(-\d{3})?$/.test(idNo),
  });
}

/** A printable form of a dossier (PDF, opened in a new tab). */
export const formUrl = (id: string, form: 'receipt' | 'supplement' | 'refusal' | 'apology' | 'control') =>
  `/api/dossiers/${id}/forms/${form}`;

export const STATE_COLOR: Record<string, string> = {
  submitted: 'blue',
  received: 'cyan',
  refused: 'red',
  processing: 'processing',
  supplement: 'orange',
  financial: 'gold',
  withdrawn: 'default',
  stopped: 'volcano',
  done: 'green',
  delivered: 'success',
};

/** "1.000.000 đ" */
export const money = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;
