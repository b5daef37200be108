import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.ts';

export type DashboardBy = 'agency' | 'procedure' | 'official';

/** One row of GET /api/dossiers/stats/dashboard (dossiers received in the period, one group). */
export interface DashboardRow {
  /** Agency id, procedure code or official id; null for dossiers no official holds. */
  key: string | null;
  name: string | null;
  code: string | null;
  total: number;
  in_progress_on_time: number;
  in_progress_late: number;
  paused: number;
  done_on_time: number;
  done_late: number;
  withdrawn: number;
  stopped: number;
  refused: number;
}

export interface Dashboard {
  from: string;
  to: string;
  by: DashboardBy;
  rows: DashboardRow[];
}

/** The supervisor dashboard of a period (yyyy-mm-dd), grouped `by`, for one agency or all in scope. */
export function useDashboard(q: {
  by: DashboardBy;
  from: string;
  to: string;
  agencyId?: string | undefined;
}) {
  return useQuery({
    queryKey: ['dossiers-dashboard', q],
    queryFn: () => api.get<Dashboard>(`/api/dossiers/stats/dashboard${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/**
 * Share of dossiers on time among those whose deadline is running or met: in progress on time and
 * done on time over in progress and done (paused, withdrawn, stopped, refused left out); null if none.
 */
export function onTimeRate(r: DashboardRow): number | null {
  const good = r.in_progress_on_time + r.done_on_time;
  const all = good + r.in_progress_late + r.done_late;
  return all === 0 ? null : good / all;
}
