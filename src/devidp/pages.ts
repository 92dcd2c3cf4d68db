/** HTML of the dev IdP's pages: plain, accessible, escaped, clearly marked as a development tool. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1b1f24;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin:0 0 .25rem}p.warn{background:#fff4d6;border:1px solid #e0b400;padding:.5rem;border-radius:4px;font-size:.85rem}
label{display:block;margin-top:1rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.6rem;margin-top:.3rem;border:1px solid #8a96a3;border-radius:4px;font-size:1rem}
button{margin-top:1.5rem;width:100%;padding:.7rem;background:#0b57d0;color:#fff;border:0;border-radius:4px;font-size:1rem;cursor:pointer}
button:focus,input:focus{outline:3px solid #f5a623;outline-offset:1px}.error{color:#b00020;font-weight:600}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const BANNER = '<p class="warn" role="note">Gatehouse development IdP &mdash; not for production.</p>';

export function loginPage(input: { action: string; clientId: string; error?: string; username?: string }): string {
  return page(
    'Sign in - Gatehouse development IdP',
    `<h1>Sign in</h1>${BANNER}<p>to continue to <strong>${escapeHtml(input.clientId)}</strong></p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">
<label for="username">User name or e-mail</label><input id="username" name="username" required autofocus autocomplete="username" value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">Sign in</button></form>`,
  );
}

/** oidc-provider's logout confirmation, restyled; `form` is the provider's own form (with its anti-CSRF field). */
export function logoutPage(form: string, host: string): string {
  return page(
    'Sign out - Gatehouse development IdP',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>${BANNER}${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
  );
}

export function loggedOutPage(): string {
  return page('Signed out', `<h1>You are signed out</h1>${BANNER}`);
}
