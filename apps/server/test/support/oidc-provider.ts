import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (oidc-provider) on loopback for the citizens tests. Its
 * interaction step signs in `account.current` without a page (login, then consent), so a test
 * drives the whole authorization code + PKCE flow with fetch.
 */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  account: { current: string; name: string; email: string };
  /** When true, /jwks publishes another key under the same kid: the ID tokens' signatures no longer verify. */
  forgeJwks: { on: boolean };
  close(): Promise<void>;
}

export async function startOidcProvider(redirectUrl: string): Promise<TestProvider> {
  let provider: Provider | null = null;
  const account = { current: 'vneid-0001', name: 'Nguyễn Thị Định Danh', email: 'dinhdanh@example.vn' };
  const forgeJwks = { on: false };
  const other = await generateKeyPair('RS256', { extractable: true });
  const forged = JSON.stringify({
    keys: [{ ...(await exportJWK(other.publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' }],
  });
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    if (forgeJwks.on && req.url === '/jwks') {
      res.setHeader('content-type', 'application/jwk-set+json');
      res.end(forged);
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      autoInteract(provider, account, req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  const clientId = 'congvu-portal';
  const clientSecret = 'bi-mat-cua-ung-dung-cong-vu-0123456789';
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['khoa-cookie-thu-nghiem-0123456789'] },
    pkce: { required: () => true, methods: ['S256'] },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: account.name, email: account.email, email_verified: true }),
    }),
  });
  return {
    issuer,
    clientId,
    clientSecret,
    account,
    forgeJwks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function autoInteract(
  provider: Provider,
  account: { current: string },
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.current } },
      {
        mergeWithLastSubmission: false,
      },
    );
    return;
  }
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant())
    : new provider.Grant({
        accountId: details.session!.accountId,
        clientId: String(details.params.client_id),
      });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * A browser without a page: follows the provider's redirects with fetch, keeping its cookies,
 * until it is sent to `stopAt` (the relying party's callback), whose URL it returns.
 */
export async function followUntil(start: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(stopAt)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`no redirect from ${url.href}: ${res.status} ${await res.text()}`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}
