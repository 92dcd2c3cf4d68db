import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { AccountDirectory } from './accounts.js';
import { loginPage, PAGE_HEADERS } from './pages.js';

/** The longest sign-in form body accepted; a user name and a password fit easily. */
const MAX_FORM_BYTES = 16_384;

/** Why an interaction request was refused before reaching the login logic; shown as a plain HTML error. */
export class InteractionRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new InteractionRefused(415, 'The sign-in form must be sent as a form.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading an oversized body instead of buffering whatever a client sends.
    if (size > MAX_FORM_BYTES) throw new InteractionRefused(413, 'The sign-in form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Answers /oidc/2/interaction/<uid>: shows the login form, checks the password, and grants consent without asking
 * (every configured client is trusted, as an app assigned to the user in OneLogin). Replaces oidc-provider's
 * devInteractions, which accept any password.
 */
export async function handleInteraction(
  deps: { provider: Provider; accounts: AccountDirectory; interactionPath: string },
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  const { provider, accounts } = deps;
  if (req.method !== 'GET' && req.method !== 'POST') throw new InteractionRefused(405, 'Only GET and POST are used here.');
  // Throws when the interaction cookie (bound to this browser) is missing or the interaction expired.
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new InteractionRefused(400, 'This sign-in request does not belong to this browser.');
  const clientId = typeof details.params['client_id'] === 'string' ? details.params['client_id'] : '';
  const action = `${deps.interactionPath}/${encodeURIComponent(uid)}`;

  if (details.prompt.name === 'consent') {
    const accountId = details.session?.accountId;
    if (!accountId) throw new InteractionRefused(400, 'Sign in first.');
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details;
    grant.addOIDCScope(stringList(missing['missingOIDCScope']));
    grant.addOIDCClaims(stringList(missing['missingOIDCClaims']));
    const resources = missing['missingResourceScopes'];
    if (typeof resources === 'object' && resources !== null) {
      for (const [resource, scopes] of Object.entries(resources)) grant.addResourceScope(resource, stringList(scopes));
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (details.prompt.name !== 'login') throw new InteractionRefused(400, `Unsupported sign-in step "${details.prompt.name}".`);

  if (req.method === 'GET') {
    res.writeHead(200, PAGE_HEADERS).end(loginPage({ action, clientId }));
    return;
  }
  const form = await readForm(req);
  const login = (form.get('username') ?? '').trim();
  const user = await accounts.authenticate(login, form.get('password') ?? '');
  if (!user) {
    // One message for unknown user and wrong password: the page must not tell which user names exist.
    res.writeHead(400, PAGE_HEADERS).end(loginPage({ action, clientId, error: 'Wrong user name or password.', username: login }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.sub, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
}
