import type { Page } from 'playwright-core';

/**
 * Steps a person takes in the UI, as functions of the page and the base URL, so the same tests can run against any
 * Gatehouse (a test stack, a staging server) with any sign-in provider.
 */

/** Password sign-in on Gatehouse's own form. Waits for the next page (profile, returnTo, or the forced change). */
export async function signInWithBasic(page: Page, baseUrl: string, user: string, password: string): Promise<void> {
  if (!page.url().startsWith(`${baseUrl}/signin`)) await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('User name or e-mail').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** How to get through a provider's own login page; the development IdP's is the default. */
export type ProviderLogin = (page: Page, user: string, password: string) => Promise<void>;

export const devIdpLogin: ProviderLogin = async (page, user, password) => {
  await page.getByLabel('User name or e-mail').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

/** Single sign-on: "Sign in with <provider>", the provider's login page, back to Gatehouse at `landing`. */
export async function signInWithProvider(
  page: Page,
  baseUrl: string,
  account: { provider: string; user: string; password: string; landing?: string },
  providerLogin: ProviderLogin = devIdpLogin,
): Promise<void> {
  const landing = `${baseUrl}${account.landing ?? '/profile'}`;
  await page.goto(`${baseUrl}/signin`);
  await page.getByRole('link', { name: `Sign in with ${account.provider}` }).click();
  // Still signed in at the provider (a second sign-in in the same browser): it sends us straight back.
  await page.waitForURL((url) => url.toString() === landing || !url.toString().startsWith(baseUrl));
  await page.waitForLoadState();
  if (!page.url().startsWith(baseUrl)) await providerLogin(page, account.user, account.password);
  // A refused sign-in comes back as /signin?error=CODE: fail with the code rather than with a timeout.
  await page.waitForURL((url) => url.toString() === landing || url.toString().startsWith(`${baseUrl}/signin?error=`));
  const error = new URL(page.url()).searchParams.get('error');
  if (error) throw new Error(`sign-in with ${account.provider} as ${account.user} was refused: ${error}`);
}

/** Chooses "Confirm" in the open confirmation dialog (the button has the same words as the one that opened it). */
export async function confirm(page: Page, label: string): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
}

/** The one-time secret on screen, after pressing Copy; checks the clipboard got the same text. */
export async function copyShownSecret(page: Page): Promise<{ shown: string; copied: string }> {
  const shown = await page.getByTestId('secret-value').inputValue();
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  return { shown, copied };
}

/** Form controls without an accessible name (should be none). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))
      .filter((el) => el.type !== 'hidden' && el.labels?.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Whether the page scrolls sideways (it must not, down to 375 px; wide tables scroll inside their card). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Presses Tab until the focused element has this accessible label text; fails after `max` presses. */
export async function tabTo(page: Page, label: string, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '';
    });
    if (name.trim() === label) return;
  }
  throw new Error(`Tab never reached "${label}"`);
}
