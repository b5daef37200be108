import { ERRORS, type ErrorCode } from '@congvu/contracts';
import i18n from './i18n/index.ts';

/** An error answered by the API: `{ code, message, details? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** The message in the chosen language (the server speaks Vietnamese). */
  get text(): string {
    if (i18n.language === 'en' && this.code in ERRORS) return ERRORS[this.code as ErrorCode].en;
    return this.message;
  }
}

export const ACTING_FOR_KEY = 'congvu.actingFor';

async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const acting = sessionStorage.getItem(ACTING_FOR_KEY);
  if (acting) headers['x-acting-for'] = acting;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('error.network'));
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const code = data?.code ?? 'INTERNAL';
    if (code === 'DELEGATION_NOT_ACTIVE' && acting) {
      // The delegation ended or was revoked: go back to one's own rights and try again.
      sessionStorage.removeItem(ACTING_FOR_KEY);
      return request<T>(method, url, body, extra);
    }
    throw new ApiError(res.status, code, data?.message ?? ERRORS.INTERNAL.vi, data?.details);
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', url, body ?? {}, headers),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  del: <T>(url: string) => request<T>('DELETE', url),
};

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
