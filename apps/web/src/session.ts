import type { Me } from '@congvu/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './api.ts';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => api.get<Me>('/api/auth/me'),
  retry: false,
  staleTime: 60_000,
});

/** The signed-in official; only used under the authenticated layout, where it is loaded. */
export function useMe(): Me {
  const { data } = useQuery(meQuery);
  if (!data) throw new Error('useMe outside the signed-in area');
  return data;
}

export function useCan() {
  const me = useMe();
  return (permission: Me['permissions'][number]) => me.permissions.includes(permission);
}
