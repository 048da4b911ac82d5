// node-oidc-provider (OpenID Certified) playing the national SSO for egov's tests, on
// loopback. Everything comes from the environment (set by the tests):
//   OP_PORT            port to listen on (127.0.0.1)
//   OP_CLIENTS         JSON list of clients: {client_id, client_secret, redirect_uris,
//                      post_logout_redirect_uris}
//   OP_ACCOUNT         JSON claims of the account that "signs in" (must hold "sub")
//   OP_ACR             acr of the sign-in ("" = no acr in the id_token); default LoA1
//   OP_SCOPE_CLAIMS    JSON {scope: [claim, ...]} released by each scope
//   OP_END_SESSION     "0" disables RP-initiated logout (no end_session_endpoint)
// The interaction (login + consent) completes itself with OP_ACCOUNT; GET /test/prompts lists
// the prompts the provider asked for (to see whether a session was still open).
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OP_CLIENTS || '[]');
const account = JSON.parse(process.env.OP_ACCOUNT || '{"sub":"nobody"}');
const acr = process.env.OP_ACR === undefined ? 'LoA1' : process.env.OP_ACR;
const scopeClaims = JSON.parse(process.env.OP_SCOPE_CLAIMS || '{}');
const endSession = process.env.OP_END_SESSION !== '0';
const prompts = [];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'egov-test-1', use: 'sig', alg: 'RS256' };

const claims = { openid: ['sub'], acr: null, ...scopeClaims };

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    ...client,
  })),
  jwks: { keys: [signingKey] },
  claims,
  scopes: ['openid', ...Object.keys(scopeClaims)],
  acrValues: ['LoA0', 'LoA1', 'LoA2'],
  conformIdTokenClaims: true,
  pkce: { required: () => true },
  cookies: { keys: ['egov-test-cookie-key-0123456789'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: endSession },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    if (sub !== account.sub) return undefined;
    return { accountId: sub, async claims() { return { ...account }; } };
  },
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  prompts.push(details.prompt.name);
  if (details.prompt.name === 'login') {
    const login = { accountId: account.sub, remember: true };
    if (acr) login.acr = acr;
    await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const handler = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  } else if (req.url === '/test/prompts') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(prompts));
  } else {
    handler(req, res);
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
