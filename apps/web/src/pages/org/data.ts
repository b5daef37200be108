import type { Agency, Department, Position } from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.ts';

export function useAgencies(opts: { asOf?: string; includeInactive?: boolean } = {}) {
  return useQuery({
    queryKey: ['agencies', opts],
    queryFn: () =>
      api.get<{ items: Agency[] }>(
        `/api/org/agencies${qs({ asOf: opts.asOf, includeInactive: opts.includeInactive || undefined })}`,
      ),
    select: (d) => d.items,
  });
}

export function useDepartments(agencyId?: string) {
  return useQuery({
    queryKey: ['departments', agencyId ?? 'all'],
    queryFn: () => api.get<{ items: Department[] }>(`/api/org/departments${qs({ agencyId })}`),
    select: (d) => d.items,
  });
}

export function usePositions() {
  return useQuery({
    queryKey: ['positions'],
    queryFn: () => api.get<{ items: Position[] }>('/api/org/positions'),
    select: (d) => d.items,
  });
}

export type AgencyNode = Agency & { children?: AgencyNode[] };

/** Builds the tree from parentId; agencies whose parent is not in the list become roots. */
export function toTree(items: Agency[]): AgencyNode[] {
  const byId = new Map<string, AgencyNode>(items.map((a) => [a.id, { ...a }]));
  const roots: AgencyNode[] = [];
  for (const a of byId.values()) {
    const parent = a.parentId ? byId.get(a.parentId) : undefined;
    if (parent) {
      parent.children ??= [];
      parent.children.push(a);
    } else roots.push(a);
  }
  return roots;
}
