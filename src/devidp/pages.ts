import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and quoted attribute values. Every dynamic value on a page goes through it. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1b1f24;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin:0 0 .25rem}.warn{background:#fff4d6;border:1px solid #8a6d00;padding:.5rem;border-radius:4px;font-size:.9rem}
label{display:block;margin-top:1rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.6rem;margin-top:.3rem;border:1px solid #5f6b78;border-radius:4px;font-size:1rem}
button{margin-top:1.5rem;width:100%;padding:.7rem;background:#0b57d0;color:#fff;border:0;border-radius:4px;font-size:1rem;cursor:pointer}
button:focus,input:focus{outline:3px solid #b35c00;outline-offset:1px}.error{color:#b00020;font-weight:600}`;

/**
 * Headers for every page the IdP renders: no caching of sign-in pages, no framing (clickjacking a password form),
 * no scripts at all, and only the one inline style block (allowed by its hash, not by 'unsafe-inline').
 * form-action is left out on purpose: browsers apply it to the redirect chain after a submit, which ends at the RP.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'`,
};

const BANNER = '<p class="warn" role="note"><strong>Gatehouse development IdP - not for production.</strong> Demo users only.</p>';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${escapeHtml(title)} - Gatehouse development IdP</title><style>${STYLE}</style></head>`
    + `<body><main>${BANNER}${body}</main></body></html>`;
}

/** The sign-in form: labelled fields with the ids tests and screen readers rely on, the error announced as an alert. */
export function loginPage(input: { action: string; clientId: string; error?: string; username?: string }): string {
  const error = input.error ? `<p class="error" role="alert" id="error">${escapeHtml(input.error)}</p>` : '';
  const described = input.error ? ' aria-describedby="error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to <strong>${escapeHtml(input.clientId)}</strong></p>${error}
<form method="post" action="${escapeHtml(input.action)}">
<label for="username">User name or e-mail</label><input id="username" name="username" required autocomplete="username" autocapitalize="none" spellcheck="false" value="${escapeHtml(input.username ?? '')}"${described}${input.error ? '' : ' autofocus'}>
<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password"${described}${input.error ? ' autofocus' : ''}>
<button type="submit">Sign in</button></form>`,
  );
}

/** A request the IdP cannot send back to the application (unknown client, wrong redirect URI, expired sign-in). */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Sign-in error',
    `<h1>This sign-in cannot continue</h1><p class="error" role="alert">${escapeHtml(error)}</p>`
      + `${description ? `<p>${escapeHtml(description)}</p>` : ''}<p>Start again from the application.</p>`,
  );
}

/** oidc-provider's logout confirmation; `form` is the provider's own form (with its anti-CSRF field), not user input. */
export function logoutPage(form: string, host: string): string {
  return page(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
  );
}

/** Shown after a logout that has no (valid) post_logout_redirect_uri to return to. */
export function loggedOutPage(): string {
  return page('Signed out', '<h1>You are signed out</h1>');
}
