/** Revocation data over the network for the verifier (packages/pades is pure and asks through this). */
import type { RevocationSource } from '@congvu/pades';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** The server-side RevocationSource: plain HTTP(S), a timeout, null on any failure. */
export function httpRevocationSource(timeoutMs = FETCH_TIMEOUT_MS): RevocationSource {
  const get = async (url: string, init: RequestInit): Promise<Uint8Array | null> => {
    if (!/^https?:\/\//i.test(url)) return null;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (!res.ok) return null;
      const body = new Uint8Array(await res.arrayBuffer());
      return body.length > 0 && body.length <= MAX_RESPONSE_BYTES ? body : null;
    } catch {
      return null;
    }
  };
  return {
    crl: (url: string) => get(url, { method: 'GET' }),
    ocsp: (url: string, request: Uint8Array) =>
      get(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body: Buffer.from(request),
      }),
  };
}

/**
 * A RevocationSource that keeps what `inner` answered for `ttlMs`: a CRL by its URL, an OCSP
 * answer by URL and request (our requests carry no nonce, so one certificate asks the same
 * bytes). "Unreachable" (null) is kept too, so that a burst of envelopes signed under one CA whose
 * CRL server is down costs one timeout, not one each. Concurrent asks share one fetch. Used by
 * the exchange inbox, which checks every arriving envelope's certificate once.
 */
export function cachingRevocationSource(
  inner: RevocationSource,
  opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): RevocationSource {
  const ttlMs = opts.ttlMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 256;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<Uint8Array | null> }>();
  const cached = (key: string, fetch: () => Promise<Uint8Array | null>) => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    cache.delete(key);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    const value = fetch().catch(() => null);
    cache.set(key, { at: now(), value });
    return value;
  };
  return {
    crl: (url) => cached(`crl ${url}`, () => inner.crl(url)),
    ocsp: (url, request) =>
      cached(`ocsp ${url} ${Buffer.from(request).toString('base64')}`, () => inner.ocsp(url, request)),
  };
}
