/** Revocation data over the network for the verifier (packages/pades is pure and asks through this). */
const FETCH_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** The server-side RevocationSource: plain HTTP(S), a timeout, null on any failure. */
export function httpRevocationSource(timeoutMs = FETCH_TIMEOUT_MS) {
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
