// The real @okta/okta-auth-js (Node build) against the dev Okta issuer, as the console uses it.
// Run by test_okta_auth_js.py: node compat.cjs <issuer> <clientId> <redirectUri> <origin>
// with NODE_PATH pointing at a node_modules that holds @okta/okta-auth-js. Prints one line
// per step; exits non-zero at the first step that fails.
'use strict';
const assert = require('node:assert/strict');
const {
  OktaAuth,
  buildAuthorizeParams,
  isRefreshTokenInvalidError,
} = require('@okta/okta-auth-js');

const [issuer, clientId, redirectUri, origin] = process.argv.slice(2);
const scopes = ['openid', 'profile', 'email', 'offline_access', 'ask', 'records:read'];

function step(name) {
  console.log(`ok ${name}`);
}

async function signIn(authClient, cookie) {
  // What getWithRedirect does: prepareTokenParams (discovery, S256, PKCE), then /v1/authorize.
  const params = await authClient.token.prepareTokenParams();
  const url = `${issuer}/v1/authorize${buildAuthorizeParams(params)}`;
  const headers = cookie ? { cookie } : {};
  let response = await fetch(url, { redirect: 'manual', headers });
  if (response.status === 200) {
    const page = await response.text();
    const action = page.match(/action="([^"]+)"/)[1];
    const request = page.match(/name="request" value="([^"]+)"/)[1];
    response = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, username: 'alice', password: 'alice-demo' }),
    });
    cookie = response.headers.get('set-cookie').split(';')[0];
  }
  assert.equal(response.status, 302);
  const answer = new URL(response.headers.get('location'));
  assert.equal(answer.searchParams.get('state'), params.state);
  return { params, code: answer.searchParams.get('code'), cookie };
}

async function main() {
  const authClient = new OktaAuth({
    issuer,
    clientId,
    redirectUri,
    scopes,
    pkce: true,
    postLogoutRedirectUri: origin,
    tokenManager: { autoRenew: false, storage: 'memory' },
  });
  assert.equal(authClient.features.isTokenVerifySupported(), true);

  const { params, code, cookie } = await signIn(authClient);
  step('authorize and sign in');

  // exchangeCodeForTokens verifies the ID token: RS256 by kid from the JWKS, iss, aud, iat,
  // exp, at_hash.
  const { tokens } = await authClient.token.exchangeCodeForTokens({ ...params, authorizationCode: code });
  assert.ok(tokens.accessToken && tokens.idToken && tokens.refreshToken);
  assert.deepEqual(tokens.accessToken.scopes, scopes);
  step('exchangeCodeForTokens');

  await authClient.token.verify(tokens.idToken, {
    nonce: params.nonce,
    accessToken: tokens.accessToken.accessToken,
  });
  await assert.rejects(
    authClient.token.verify(tokens.idToken, { nonce: 'another-nonce' }),
    /nonce doesn't match/,
  );
  await assert.rejects(
    authClient.token.verify(tokens.idToken, { accessToken: 'another.access.token' }),
    /Token hash verification failed/,
  );
  step('verify (nonce, at_hash)');

  const info = await authClient.token.getUserInfo(tokens.accessToken, tokens.idToken);
  assert.equal(info.sub, tokens.idToken.claims.sub);
  assert.deepEqual(info.groups, ['finance']);
  step('getUserInfo');

  const renewed = await authClient.token.renewTokensWithRefresh({}, tokens.refreshToken);
  assert.notEqual(renewed.refreshToken.refreshToken, tokens.refreshToken.refreshToken);
  assert.notEqual(renewed.accessToken.accessToken, tokens.accessToken.accessToken);
  assert.ok(renewed.idToken);
  step('renewTokensWithRefresh');

  // The issuer runs with no grace period here: the used refresh token is dead at once, and
  // okta-auth-js must recognise the error as "refresh token invalid" (it then drops it).
  const stale = await authClient.token
    .renewTokensWithRefresh({}, tokens.refreshToken)
    .then(() => null, (err) => err);
  assert.ok(stale && isRefreshTokenInvalidError(stale), String(stale));
  // Reuse revokes the family, as at Okta: the renewed access token is dead too.
  const reused = await authClient.token.introspect('accessToken', renewed.accessToken);
  assert.equal(reused.active, false);
  step('a used refresh token is refused as invalid');

  const silent = await signIn(authClient, cookie);  // with the session: no form (SSO)
  const again = await authClient.token.exchangeCodeForTokens({
    ...silent.params,
    authorizationCode: silent.code,
  });
  assert.ok(again.tokens.idToken);
  step('sign in again with the Okta session');

  const { accessToken, idToken } = again.tokens;
  const active = await authClient.token.introspect('accessToken', accessToken);
  assert.equal(active.active, true);
  await authClient.token.revoke(accessToken);
  const inactive = await authClient.token.introspect('accessToken', accessToken);
  assert.equal(inactive.active, false);
  await assert.rejects(
    authClient.token.getUserInfo(accessToken, idToken),
    (err) => err.name === 'OAuthError' && err.errorCode === 'invalid_token',
  );
  step('revoke and introspect');

  const logout = authClient.getSignOutRedirectUrl({ idToken, state: 'bye' });
  const out = await fetch(logout, { redirect: 'manual', headers: { cookie: silent.cookie } });
  assert.equal(out.status, 302);
  assert.equal(out.headers.get('location'), `${origin}?state=bye`);
  step('sign-out redirect');
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
