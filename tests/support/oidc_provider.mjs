// A real OpenID Connect provider for the tests: npm `oidc-provider` (certified), on
// 127.0.0.1, with one confidential client that must use PKCE, test accounts whose
// `groups` claim is in the ID token, and a new signing key at every start.
//
// Configuration comes as JSON in KJR_OIDC_PROVIDER_CONFIG:
//   { "port": 1234, "clientId": "...", "clientSecret": "...", "redirectUri": "http://...",
//     "accounts": { "anna": { "name": "Anna", "email": "anna@...", "groups": ["zuid-holland"] } } }
// KJR_NODE_MODULES is the folder that holds `oidc-provider` (xtask/node/node_modules).
//
// Instead of a login page, `GET /interaction/<uid>?account=<id>` signs that account in and
// grants the requested scopes, and `?cancel` is the person who gives up: the test plays the
// person at the provider.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.env.KJR_OIDC_PROVIDER_CONFIG);
const modules = process.env.KJR_NODE_MODULES;
const { default: Provider } = await import(
  pathToFileURL(path.join(modules, 'oidc-provider/lib/index.js')).href
);

const issuer = `http://127.0.0.1:${config.port}`;

// Signing keys of its own, new at every start: a restart is a key rotation.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig',
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uris: [config.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  cookies: { keys: ['kjr-test-cookie-key'] },
  // Groups come with the openid scope, and scope claims go into the ID token itself (as
  // Cognito and Entra ID do), not only into userinfo.
  claims: {
    openid: ['sub', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: {
    url(_ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
  async findAccount(_ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: account.name,
          email: account.email,
          email_verified: true,
          groups: account.groups,
        };
      },
    };
  },
});

provider.use(async (ctx, next) => {
  const match = ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.query.cancel !== undefined) {
    const redirectTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(redirectTo);
    return undefined;
  }
  const accountId = ctx.query.account;
  if (!config.accounts[accountId]) {
    ctx.status = 400;
    ctx.body = 'unknown test account';
    return undefined;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const redirectTo = await provider.interactionResult(
    ctx.req,
    ctx.res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  ctx.status = 303;
  ctx.redirect(redirectTo);
  return undefined;
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
