import type {
  DocumentDetail,
  DocumentType,
  ExchangeAgency,
  ExchangeTimeline,
  OfficialSummary,
  Register,
  WorkQueue,
} from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.ts';

export function useDocumentTypes() {
  return useQuery({
    queryKey: ['document-types'],
    queryFn: () => api.get<{ items: DocumentType[] }>('/api/documents/types'),
    select: (d) => d.items,
    staleTime: 10 * 60_000,
  });
}

export function useRegisters() {
  return useQuery({
    queryKey: ['registers'],
    queryFn: () => api.get<{ items: Register[] }>('/api/documents/registers'),
    select: (d) => d.items,
  });
}

export function useWorklistCounts() {
  return useQuery({
    queryKey: ['worklist-counts'],
    queryFn: () => api.get<Record<WorkQueue, number>>('/api/documents/worklist/counts'),
    refetchInterval: 60_000,
  });
}

export function useDocument(id: string, enabled = true) {
  return useQuery({
    queryKey: ['document', id],
    enabled: enabled && !!id,
    queryFn: () => api.get<DocumentDetail>(`/api/documents/${id}`),
  });
}

/** Officials of an agency (and optionally one department), for pickers. */
export function useAgencyOfficials(agencyId: string | undefined, departmentId?: string) {
  return useQuery({
    queryKey: ['officials', 'of', agencyId, departmentId],
    enabled: !!agencyId,
    queryFn: () =>
      api.get<{ items: OfficialSummary[] }>(
        `/api/org/officials${qs({ agencyId, departmentId, pageSize: 200 })}`,
      ),
    select: (d) => d.items,
  });
}

/** Uploads one file to the blob store; the answer names it by SHA-256. */
export async function uploadFile(file: File): Promise<{ sha256: string; name: string; mime: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  const acting = sessionStorage.getItem('congvu.actingFor');
  const res = await fetch('/api/files', {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: acting ? { 'x-acting-for': acting } : {},
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message ?? res.statusText);
  return data;
}

/** A file one has just uploaded (only its uploader may fetch it by hash). */
export const fileUrl = (sha256: string) => `/api/files/${sha256}`;
/** A file of a document, served to whoever may read the document. */
export const documentFileUrl = (documentId: string, position: number) =>
  `/api/documents/${documentId}/files/${position}`;

/** "123/QĐ-UBND" from the number and notation, or "—". */
export function numberNotation(d: { number: string | null; notation: string | null }): string {
  if (!d.number && !d.notation) return '—';
  return [d.number, d.notation].filter(Boolean).join('/');
}

/** Per recipient agency outside the installation: what was sent and the statuses reported. */
export function useExchangeTimeline(id: string, enabled = true) {
  return useQuery({
    queryKey: ['document', id, 'exchange'],
    enabled: enabled && !!id,
    queryFn: () => api.get<ExchangeTimeline>(`/api/documents/${id}/exchange`),
    refetchInterval: 30_000,
  });
}

/** Agencies outside the installation that receive through the hub. */
export function useExchangeDirectory() {
  return useQuery({
    queryKey: ['exchange-directory'],
    queryFn: () => api.get<{ items: ExchangeAgency[] }>('/api/exchange/directory'),
    select: (d) => d.items,
    staleTime: 10 * 60_000,
  });
}
