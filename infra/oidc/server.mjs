// OpenID Connect provider for development and integration tests of the Wvggz platform.
//
// Built on the OpenID-certified `oidc-provider` package. It signs JWT access tokens (RS256) for the
// platform audience with the claims the services authorise on (`wvggz_rollen`, `wvggz_gemeenten`),
// logs in the DEMO users of users.json with a small Dutch login page, and keeps its signing key in
// $OIDC_DATA_DIR/jwks.json so tokens stay verifiable across restarts. Grants, sessions and tokens
// live in memory only. Never use it for real users or real data. See README.md.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Provider, errors } from 'oidc-provider';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUB_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const GEMEENTE_PATTERN = /^GM\d{4}$/;
const ROLLEN = new Set([
  'triagist', 'consulent', 'ggz-consultant', 'ovj-koppeling', 'crisisdienst', 'psychiater',
  'hoorder', 'burgemeester', 'loco-burgemeester', 'secretariaat', 'functioneel-beheer',
]);
const MAX_FORM_BYTES = 8 * 1024;

function fail(message) {
  console.error(`wvggz-oidc: ${message}`);
  process.exit(2);
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) fail(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Settings

const PORT = positiveInt('OIDC_PORT', 8090);
const HOST = process.env.OIDC_HOST || '127.0.0.1';
const ISSUER = (process.env.OIDC_ISSUER || `http://127.0.0.1:${PORT}`).replace(/\/+$/, '');
const DATA_DIR = path.resolve(process.env.OIDC_DATA_DIR || path.join(HERE, '..', '..', 'var', 'oidc'));
const ACCESS_TOKEN_TTL = positiveInt('OIDC_ACCESS_TOKEN_TTL', 3600);
const USERS_FILE = path.resolve(process.env.OIDC_USERS || path.join(HERE, 'users.json'));
const AUDIENCE = process.env.OIDC_AUDIENCE || 'wvggz';
const PORTAAL_SECRET = process.env.OIDC_PORTAAL_SECRET || 'dev-portaal-secret';
// Where the staff portal runs: its login callback and the page it returns to after logout.
const PORTAAL_URL = (process.env.OIDC_PORTAAL_URL || 'http://127.0.0.1:8106').replace(/\/+$/, '');
// The resource indicator (RFC 8707) the platform's access tokens are issued for; its audience is
// AUDIENCE. Clients may omit `resource`: it is the default.
const RESOURCE = URL.canParse(AUDIENCE) && AUDIENCE.includes(':') ? AUDIENCE : `urn:${AUDIENCE}`;
const RESOURCE_SCOPE = 'wvggz';

let issuerUrl;
try {
  issuerUrl = new URL(ISSUER);
} catch {
  fail(`OIDC_ISSUER is not a URL: ${JSON.stringify(ISSUER)}`);
}
const HTTPS = issuerUrl.protocol === 'https:';

// ---------------------------------------------------------------------------------------------
// Demo users

function loadUsers(file) {
  let document;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read users from ${file}: ${error.message}`);
  }
  const list = Array.isArray(document) ? document : document?.users;
  if (!Array.isArray(list) || list.length === 0) fail(`${file} holds no users (expected {"users": [...]})`);
  const users = new Map();
  for (const [index, user] of list.entries()) {
    const where = `${file} users[${index}]`;
    if (typeof user?.sub !== 'string' || !SUB_PATTERN.test(user.sub)) fail(`${where}: sub must match ${SUB_PATTERN}`);
    if (users.has(user.sub)) fail(`${where}: duplicate sub ${user.sub}`);
    if (typeof user.password !== 'string' || user.password === '') fail(`${where}: password must be a non-empty string`);
    const rollen = user.wvggz_rollen;
    if (!Array.isArray(rollen) || rollen.length === 0 || !rollen.every((r) => ROLLEN.has(r))) {
      fail(`${where}: wvggz_rollen must be a non-empty list of ${[...ROLLEN].join(', ')}`);
    }
    const gemeenten = user.wvggz_gemeenten;
    if (!Array.isArray(gemeenten) || gemeenten.length === 0 || !gemeenten.every((g) => GEMEENTE_PATTERN.test(g))) {
      fail(`${where}: wvggz_gemeenten must be a non-empty list of CBS codes like GM0402`);
    }
    users.set(user.sub, {
      sub: user.sub,
      name: typeof user.name === 'string' ? user.name : user.sub,
      passwordDigest: digest(user.password),
      rollen: [...rollen],
      gemeenten: [...gemeenten],
    });
  }
  return users;
}

function digest(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

const USERS = loadUsers(USERS_FILE);
// Compared against when the username is unknown, so both refusals take the same time.
const NOBODY = digest(crypto.randomBytes(32).toString('hex'));

function authenticate(username, password) {
  const user = USERS.get(username);
  const matches = crypto.timingSafeEqual(user ? user.passwordDigest : NOBODY, digest(password));
  return user && matches ? user : undefined;
}

// ---------------------------------------------------------------------------------------------
// Signing keys: one RSA 2048 key, created once, persisted with mode 0600 in a 0700 directory.

function jwkThumbprint(jwk) {
  // RFC 7638: the required members of an RSA key, lexicographic order, no whitespace.
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

function validKeySet(value) {
  return Array.isArray(value?.keys) && value.keys.length > 0
    && value.keys.every((k) => k.kty === 'RSA' && k.d && k.n && k.e && k.kid);
}

function loadOrCreateKeys(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'jwks.json');
  if (!fs.existsSync(file)) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const keys = { keys: [{ ...jwk, kid: jwkThumbprint(jwk), alg: 'RS256', use: 'sig' }] };
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(temporary, file); // fails if another process created it first; then use theirs
      console.log(`wvggz-oidc: created signing key kid=${keys.keys[0].kid} in ${file}`);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    } finally {
      fs.unlinkSync(temporary);
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode !== 0o600) {
    console.warn(`wvggz-oidc: ${file} had mode ${mode.toString(8)}; set to 600`);
    fs.chmodSync(file, 0o600);
  }
  let keys;
  try {
    keys = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read signing keys from ${file}: ${error.message}`);
  }
  if (!validKeySet(keys)) fail(`${file} is not a set of private RSA keys with a kid; move it away to create a new one`);
  return keys;
}

const JWKS = loadOrCreateKeys(DATA_DIR);

// ---------------------------------------------------------------------------------------------
// Pages: Dutch, plain HTML, no scripts, no external resources.

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;margin-top:.25rem}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}
.melding{border:2px solid #a00;padding:.5rem 1rem;color:#a00}
.demo{border:2px dashed #b36b00;padding:.5rem 1rem;background:#fff7e6}`;
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');
const SECURITY_HEADERS = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Wvggz ontwikkelomgeving</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function send(ctx, status, html) {
  ctx.status = status;
  ctx.set(SECURITY_HEADERS);
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = html;
}

function loginPage({ uid, clientId, username = '', error }) {
  const melding = error
    ? `<p class="melding" role="alert" id="melding">${escapeHtml(error)}</p>`
    : '';
  const described = error ? ' aria-describedby="melding" aria-invalid="true"' : '';
  return page('Inloggen', `<p class="demo"><strong>Alleen voor ontwikkeling en tests.</strong>
Dit zijn demo-gebruikers met een bekend wachtwoord; gebruik deze omgeving nooit voor echte gegevens.</p>
<p>Inloggen voor <strong>${escapeHtml(clientId)}</strong>.</p>
${melding}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login" autocomplete="off" novalidate>
<label for="username">Gebruikersnaam</label>
<input id="username" name="username" type="text" required autocapitalize="none" spellcheck="false" value="${escapeHtml(username)}"${described}>
<label for="password">Wachtwoord</label>
<input id="password" name="password" type="password" required${described}>
<button type="submit">Inloggen</button>
</form>
<p>Gebruikersnaam is <code>&lt;rol&gt;.&lt;gemeente&gt;</code>, bijvoorbeeld <code>triagist.gm0402</code>.</p>`);
}

async function readForm(ctx) {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new errors.InvalidRequest('verwacht een formulier (application/x-www-form-urlencoded)');
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new errors.InvalidRequest('formulier te groot');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// ---------------------------------------------------------------------------------------------
// The provider

const OIDC_SCOPES = new Set(['openid', 'offline_access', 'profile']);

function requestedScopes(scope) {
  return String(scope ?? '').split(' ').filter(Boolean);
}

/** A grant for everything the (first-party) client asked: no separate consent screen. */
async function grantFor(interaction, accountId, existing) {
  const { params, prompt } = interaction;
  const grant = existing ?? new provider.Grant({ accountId, clientId: params.client_id });
  const scopes = requestedScopes(params.scope);
  const oidcScopes = scopes.filter((s) => OIDC_SCOPES.has(s));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  const resourceScopes = scopes.filter((s) => s === RESOURCE_SCOPE);
  const resources = [params.resource ?? RESOURCE].flat().filter(Boolean);
  for (const resource of resources) grant.addResourceScope(resource, resourceScopes.join(' '));
  // What the provider itself still finds missing (the consent prompt's details).
  const details = prompt?.details ?? {};
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, list] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, list.join(' '));
  }
  return grant.save();
}

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: 'wvggz-cli',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:8765/callback'],
    },
    {
      client_id: 'wvggz-portaal',
      client_secret: PORTAAL_SECRET,
      application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${PORTAAL_URL}/auth/callback`],
      post_logout_redirect_uris: [`${PORTAAL_URL}/`],
    },
  ],
  jwks: JWKS,
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    long: { httpOnly: true, sameSite: 'lax', secure: HTTPS },
    short: { httpOnly: true, sameSite: 'lax', secure: HTTPS },
  },
  claims: {
    openid: ['sub'],
    profile: ['name'],
  },
  scopes: ['openid', 'offline_access', 'profile'],
  pkce: { required: () => true },
  clientBasedCORS: () => false,
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resourceIndicator) => {
        if (resourceIndicator !== RESOURCE) throw new errors.InvalidTarget();
        return {
          scope: RESOURCE_SCOPE,
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        send(ctx, 200, page('Uitloggen', `${form}<p>Wilt u uitloggen?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>
<button type="submit" form="op.logoutForm">Nee</button>`));
      },
      postLogoutSuccessSource: async (ctx) => {
        send(ctx, 200, page('Uitgelogd', '<p>U bent uitgelogd.</p>'));
      },
    },
  },
  extraTokenClaims: async (_ctx, token) => {
    const user = USERS.get(token.accountId);
    if (!user) return undefined;
    return { wvggz_rollen: [...user.rollen], wvggz_gemeenten: [...user.gemeenten] };
  },
  findAccount: async (_ctx, id) => {
    const user = USERS.get(id);
    if (!user) return undefined;
    return {
      accountId: user.sub,
      claims: async () => ({ sub: user.sub, name: user.name }),
    };
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: {
    AccessToken: () => ACCESS_TOKEN_TTL,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Grant: 8 * 3600,
    Session: 8 * 3600,
    RefreshToken: 8 * 3600,
  },
  interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    const lines = Object.entries(out)
      .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
      .join('\n');
    send(ctx, ctx.status >= 400 ? ctx.status : 400, page('Er ging iets mis', lines));
  },
});

if (HTTPS) provider.proxy = true; // TLS ends at a proxy in front; trust its X-Forwarded-Proto

for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'revocation.error', 'userinfo.error']) {
  provider.on(event, (_ctx, error) => {
    console.warn(`wvggz-oidc: ${event}: ${error.error ?? error.name}${error.error_description ? ` (${error.error_description})` : ''}`);
  });
}
provider.on('server_error', (_ctx, error) => {
  console.error(`wvggz-oidc: server_error: ${error.name}: ${error.message}`);
});

// The login interaction, served before the provider's own routes.
provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  const [, uid, login] = match;
  if (!(login ? ctx.method === 'POST' : ctx.method === 'GET')) {
    ctx.set('Allow', login ? 'POST' : 'GET');
    return send(ctx, 405, page('Niet toegestaan', '<p>Deze methode is hier niet toegestaan.</p>'));
  }
  let interaction;
  try {
    interaction = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
  }
  if (!interaction || interaction.uid !== uid) {
    return send(ctx, 400, page('Inlogpoging verlopen', '<p>Deze inlogpoging is verlopen of onbekend. Begin opnieuw vanuit de toepassing.</p>'));
  }
  const clientId = interaction.params.client_id;

  if (interaction.prompt.name === 'consent') {
    // First-party clients: consent is implied. Grant what the provider says is missing.
    const grantId = await grantFor(
      interaction,
      interaction.session.accountId,
      interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined,
    );
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    console.log(`wvggz-oidc: consent implied for first-party client ${clientId}`);
    ctx.status = 303;
    ctx.set('Location', returnTo);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = '';
    return undefined;
  }
  if (interaction.prompt.name !== 'login') {
    return send(ctx, 400, page('Onbekende stap', `<p>Deze provider kent de stap ${escapeHtml(interaction.prompt.name)} niet.</p>`));
  }

  if (!login) return send(ctx, 200, loginPage({ uid, clientId }));

  let form;
  try {
    form = await readForm(ctx);
  } catch (error) {
    if (!(error instanceof errors.InvalidRequest)) throw error;
    return send(ctx, 400, page('Ongeldig formulier', `<p>${escapeHtml(error.error_description)}</p>`));
  }
  const username = (form.get('username') ?? '').trim();
  const user = authenticate(username, form.get('password') ?? '');
  if (!user) {
    console.log(`wvggz-oidc: login refused for client ${clientId}`);
    return send(ctx, 401, loginPage({
      uid, clientId, username, error: 'Onbekende gebruikersnaam of onjuist wachtwoord.',
    }));
  }
  const grantId = await grantFor(interaction, user.sub);
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
    login: { accountId: user.sub, amr: ['pwd'] },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
  console.log(`wvggz-oidc: login ${user.sub} for client ${clientId}`);
  ctx.status = 303;
  ctx.set('Location', returnTo);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = '';
  return undefined;
});

const server = provider.listen(PORT, HOST, () => {
  console.log(`wvggz-oidc: issuer ${ISSUER} listening on ${HOST}:${PORT}; ${USERS.size} DEMO users from ${USERS_FILE}; signing key kid=${JWKS.keys[0].kid}; access tokens for audience ${AUDIENCE} (resource ${RESOURCE}), ttl ${ACCESS_TOKEN_TTL} s`);
});
server.on('error', (error) => fail(`cannot listen on ${HOST}:${PORT}: ${error.message}`));

function shutdown(signal) {
  console.log(`wvggz-oidc: ${signal}, stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
