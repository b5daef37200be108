import * as client from 'openid-client';
import { AppError } from '../../platform/errors.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
}

/** What a pending sign-in keeps between start and callback. */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The verified identity from the ID token. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
}

const SCOPE = 'openid profile email';

/**
 * A generic OpenID Connect client (authorization code + PKCE S256) over openid-client: the
 * provider's metadata is discovered from the issuer URL once (again after a failure). The ID
 * token's issuer, audience, nonce, expiry and signature (the provider's JWKS,
 * enableNonRepudiationChecks) are verified by the library. Plain http is allowed for a loopback
 * issuer only (tests, a local provider).
 */
export function oidcClient(s: OidcSettings) {
  let discovered: Promise<client.Configuration> | null = null;
  const issuerUrl = new URL(s.issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuerUrl.hostname);

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        issuerUrl,
        s.clientId,
        { redirect_uris: [s.redirectUrl] },
        client.ClientSecretBasic(s.clientSecret),
        {
          execute: [
            ...(loopback && issuerUrl.protocol === 'http:' ? [client.allowInsecureRequests] : []),
            client.enableNonRepudiationChecks,
          ],
          timeout: 10,
        },
      )
      .catch((e: unknown) => {
        discovered = null;
        throw new AppError('CITIZEN_OIDC_FAILED', { reason: (e as Error).message });
      });
    return discovered;
  }

  return {
    /** The provider's authorization URL for a new sign-in, and what the callback will need. */
    async start(): Promise<{ url: URL; pending: OidcPending }> {
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: s.redirectUrl,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, pending: { state, nonce, codeVerifier } };
    },

    /** Exchanges the code (with the PKCE verifier) and verifies the ID token. */
    async finish(query: URLSearchParams, pending: OidcPending): Promise<OidcIdentity> {
      const config = await configuration();
      const current = new URL(s.redirectUrl);
      current.search = query.toString();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (e) {
        throw oidcError(e);
      }
      const claims = tokens.claims();
      if (!claims) throw new AppError('CITIZEN_OIDC_TOKEN_INVALID', { reason: 'no ID token' });
      // With the code flow the profile claims usually come from the UserInfo endpoint (its sub
      // must be the ID token's); without them the citizen still signs in, with a plain name.
      let profile: Record<string, unknown> = claims;
      if (config.serverMetadata().userinfo_endpoint)
        profile = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => claims);
      return {
        issuer: claims.iss,
        subject: claims.sub,
        name: typeof profile.name === 'string' ? profile.name : null,
        email: typeof profile.email === 'string' ? profile.email.toLowerCase() : null,
        emailVerified: profile.email_verified === true,
      };
    },
  };
}

export type OidcClient = ReturnType<typeof oidcClient>;

/** The provider refused or could not be reached: FAILED; anything wrong with what it returned: TOKEN_INVALID. */
function oidcError(e: unknown): AppError {
  const reason = (e as Error).message;
  if (
    e instanceof client.AuthorizationResponseError ||
    e instanceof client.ResponseBodyError ||
    e instanceof TypeError
  )
    return new AppError('CITIZEN_OIDC_FAILED', { reason });
  return new AppError('CITIZEN_OIDC_TOKEN_INVALID', { reason });
}
