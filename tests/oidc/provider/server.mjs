// A real OpenID Connect provider for the test suite: oidc-provider (the certified Node
// library, pinned in package.json) on loopback, with a plain login page, automatic consent,
// an accounts file re-read on every use and a test-only fault switch for the token endpoint.
// tests/oidc/conftest.py starts it (fixture `oidc_provider`); nothing else should.
//
//   node tests/oidc/provider/server.mjs CONFIG.json      (or OIDC_TEST_CONFIG=CONFIG.json)
//   node tests/oidc/provider/server.mjs --new-key KID    prints a JWKS with one new RS256
//                                                       private key (the fixture's keys)
//
// CONFIG.json: {"port": 8123, "issuer": "http://127.0.0.1:8123", "clients": [<client
// metadata>], "accounts_file": "...", "keys_file": "...", "id_token_ttl": 3600 (optional)}.
// Clients are oidc-provider client metadata (client_id, client_secret, redirect_uris,
// post_logout_redirect_uris, grant_types ["authorization_code"], response_types ["code"],
// token_endpoint_auth_method; for a secret, oidc-provider 9 accepts client_secret_basic and
// client_secret_post alike whichever is registered). They are web clients; oidc-provider accepts http://localhost
// and http://127.0.0.1 redirect URIs for web clients using the code flow (only implicit-flow
// web clients must use https), so no application_type trick is needed. Clients, keys and the
// port are fixed when the process starts: to change them, rewrite the config and restart.
//
// Accounts file: {"<login>": {"sub", "password", "email", "email_verified", "given_name",
// "family_name", "name", "groups": [...]}}, read again on every login and every findAccount,
// so a test changes a user's groups (or removes the user) between sign-ins by rewriting it.
// Sign-in accepts the login or the email address, case-insensitively.
//
// Claims: scope openid releases sub and groups, email releases email and email_verified,
// profile releases name, given_name and family_name (a `groups` scope also exists). With
// conformIdTokenClaims off they all go INTO THE ID TOKEN, as Entra ID puts groups there; the
// userinfo endpoint returns the same claims. PKCE (S256) is required for every client.
//
// What a browser sees. Sign-in: GET /auth?... redirects to /interaction/<uid>, a page titled
// "University SSO (test provider)" with "Username" and "Password" fields and a "Sign in"
// button; a wrong password shows the same page with "Wrong username or password". A right
// one goes straight back to the client's redirect_uri with code and state (consent is granted
// automatically). Sign-out (RP-initiated logout, end_session_endpoint /session/end): with a
// session, a "Signing you out" page whose script submits the confirmation form at once (it
// also has a "Yes, sign me out" button for clients without JavaScript); then a redirect to
// the registered post_logout_redirect_uri (with state) if the request named one together with
// id_token_hint or client_id, else a "Signed out" page. Without a session the library's own
// auto-submitting form does the same.
//
// Test-only control (loopback only, JSON in and out):
//   POST /__test__/fault {"kind": K}  the next successful token response that carries an
//     id_token gets a doctored one, then the switch resets. K: bad-signature (signed with a
//     fresh key that is not in the JWKS, same kid), wrong-audience (aud "someone-else"),
//     expired (exp an hour ago, iat moved back by the token's lifetime), wrong-issuer (iss
//     "https://evil.example"), wrong-nonce (nonce "not-the-nonce"), clock-ahead-30 (iat and
//     exp 30 s later: the provider's clock ahead), expired-30s-ago (exp 30 s ago: within a
//     relying party's clock-skew allowance), none (clear the switch).
//     Errors from the token endpoint do not use the switch up.
// Key rotation needs a restart (the library's keystore is fixed at construction): the
// fixture rewrites keys_file and restarts this process on the same port.
//
// Logs one line per request to stdout: method, path (no query string) and status; library
// errors (server_error, authorization.error, grant.error, ...) go to stderr.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';
import * as jose from 'jose';

if (process.argv[2] === '--new-key') {
  const kid = process.argv[3] || randomBytes(8).toString('hex');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  process.stdout.write(`${JSON.stringify({ keys: [jwk] }, null, 2)}\n`);
  process.exit(0);
}

const configPath = process.argv[2] || process.env.OIDC_TEST_CONFIG;
if (!configPath) {
  console.error('usage: node server.mjs CONFIG.json (or OIDC_TEST_CONFIG=CONFIG.json)');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const jwks = JSON.parse(readFileSync(config.keys_file, 'utf8'));
const signingJwk = jwks.keys[0];
const signingKey = await jose.importJWK(signingJwk, signingJwk.alg || 'RS256');

const TITLE = 'University SSO (test provider)';
const FAULT_KINDS = new Set([
  'bad-signature', 'wrong-audience', 'expired', 'wrong-issuer', 'wrong-nonce', 'none',
  'clock-ahead-30', 'expired-30s-ago',
]);
let pendingFault = 'none';

function readAccounts() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

function accountByLogin(login) {
  const wanted = String(login || '').trim().toLowerCase();
  if (!wanted) return undefined;
  for (const [name, account] of Object.entries(readAccounts())) {
    if (name.toLowerCase() === wanted || String(account.email || '').toLowerCase() === wanted) {
      return account;
    }
  }
  return undefined;
}

function accountBySub(sub) {
  return Object.values(readAccounts()).find((account) => account.sub === sub);
}

const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

function page(heading, body, { script = '' } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)} - ${TITLE}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
label,input,button{display:block;margin:.3rem 0}input{width:100%}
.error{color:#a00;font-weight:bold}</style>
</head>
<body>
<main>
<h1>${TITLE}</h1>
<h2>${escapeHtml(heading)}</h2>
${body}
</main>
${script}
</body>
</html>`;
}

function loginPage(uid, clientName, { username = '', error = '' } = {}) {
  const errorHtml = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>\n` : '';
  return page('Sign in', `<p>Sign in to continue to ${escapeHtml(clientName)}.</p>
${errorHtml}<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${escapeHtml(username)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>`);
}

async function readForm(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((ctx.get('content-type') || '').includes('application/json')) {
    return raw ? JSON.parse(raw) : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

// Automatic consent: the grant holds every OpenID scope the client asked for (and any claims
// it named), so the consent prompt never needs an interaction.
async function grantEverythingRequested(ctx) {
  const { Grant } = ctx.oidc.provider;
  const grantId = ctx.oidc.result?.consent?.grantId
    || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
  let grant = grantId ? await Grant.find(grantId) : undefined;
  if (!grant || grant.accountId !== ctx.oidc.session.accountId) {
    grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
  }
  grant.addOIDCScope(ctx.oidc.requestParamOIDCScopes);
  if (ctx.oidc.requestParamClaims.size) grant.addOIDCClaims(ctx.oidc.requestParamClaims);
  await grant.save();
  return grant;
}

const idTokenTtl = Number(config.id_token_ttl) || 3600;

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...client,
  })),
  jwks,
  claims: {
    openid: ['sub', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: [config.cookie_key || 'oidc-test-provider-cookie-key'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Signing you out', `${form}
<p>You are being signed out of ${escapeHtml(ctx.host)}.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`, {
          script: `<script>
(function () {
  var form = document.getElementById('op.logoutForm');
  var yes = document.createElement('input');
  yes.type = 'hidden'; yes.name = 'logout'; yes.value = 'yes';
  form.appendChild(yes);
  form.submit();
})();
</script>`,
        });
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<p>You have been signed out.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  loadExistingGrant: grantEverythingRequested,
  async findAccount(ctx, sub) {
    const account = accountBySub(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { password, ...claims } = accountBySub(sub) || account;
        return { ...claims, sub };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', Object.entries(out)
      .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
      .join('\n'));
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: idTokenTtl,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
});

for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error',
  'userinfo.error', 'jwks.error', 'discovery.error', 'introspection.error']) {
  provider.on(event, (ctx, error) => {
    console.error(`${event}: ${error?.name}: ${error?.message}${error?.error_description ? ` (${error.error_description})` : ''}`);
  });
}

// One line per request.
provider.use(async (ctx, next) => {
  try {
    await next();
  } finally {
    console.log(`${ctx.method} ${ctx.path} ${ctx.status}`);
  }
});

// Fault injection around the token endpoint: the response body is still an object here.
async function doctor(idToken, kind) {
  const header = jose.decodeProtectedHeader(idToken);
  const claims = jose.decodeJwt(idToken);
  let key = signingKey;
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case 'bad-signature':
      ({ privateKey: key } = await jose.generateKeyPair('RS256'));
      break;
    case 'wrong-audience':
      claims.aud = 'someone-else';
      break;
    case 'expired': {
      const lifetime = (claims.exp || now) - (claims.iat || now);
      claims.exp = now - 3600;
      claims.iat = claims.exp - lifetime;
      break;
    }
    case 'wrong-issuer':
      claims.iss = 'https://evil.example';
      break;
    case 'wrong-nonce':
      claims.nonce = 'not-the-nonce';
      break;
    case 'clock-ahead-30': // the provider's clock 30 s ahead of the portal's
      claims.iat += 30;
      claims.exp += 30;
      break;
    case 'expired-30s-ago': // the portal's clock 30 s behind the token's end
      claims.exp = now - 30;
      claims.iat = Math.min(claims.iat, claims.exp - 60);
      break;
    default:
      throw new Error(`unknown fault ${kind}`);
  }
  return new jose.SignJWT(claims).setProtectedHeader(header).sign(key);
}

const tokenPath = new URL(provider.pathFor('token'), 'http://x').pathname;
provider.use(async (ctx, next) => {
  await next();
  if (ctx.method === 'POST' && ctx.path === tokenPath && pendingFault !== 'none'
      && ctx.status === 200 && ctx.body && typeof ctx.body.id_token === 'string') {
    const kind = pendingFault;
    pendingFault = 'none';
    ctx.body = { ...ctx.body, id_token: await doctor(ctx.body.id_token, kind) };
    console.log(`fault ${kind} applied to the id_token`);
  }
});

// The login page, the automatic consent and the test control endpoints.
provider.use(async (ctx, next) => {
  if (ctx.path === '/__test__/fault' && ctx.method === 'POST') {
    const { kind } = await readForm(ctx);
    if (!FAULT_KINDS.has(kind)) {
      ctx.status = 400;
      ctx.body = { error: `unknown fault kind ${JSON.stringify(kind)}`, kinds: [...FAULT_KINDS] };
      return;
    }
    pendingFault = kind;
    ctx.body = { fault: kind };
    return;
  }

  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) {
    await next();
    return;
  }
  ctx.set('cache-control', 'no-store');
  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    // No interaction cookie (another browser, expired, provider restarted): say so.
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Sign-in expired', `<p>${escapeHtml(error.error_description || error.message)}.
Go back to the application and sign in again.</p>`);
    return;
  }
  const { uid, prompt, params } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client?.clientName || params.client_id;

  if (prompt.name === 'consent') {
    // Not reached while loadExistingGrant grants everything; kept so a flow never stalls.
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return;
  }

  if (ctx.method === 'GET' && !match[2]) {
    ctx.type = 'html';
    ctx.body = loginPage(uid, clientName);
    return;
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx);
    const account = accountByLogin(form.username);
    if (!account || typeof account.password !== 'string' || account.password !== form.password) {
      ctx.type = 'html';
      ctx.body = loginPage(uid, clientName, {
        username: form.username || '', error: 'Wrong username or password',
      });
      return;
    }
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: account.sub },
    }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return;
  }
  ctx.status = 405;
  ctx.body = 'Method not allowed';
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc test provider ${config.issuer} listening on 127.0.0.1:${config.port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
