import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/sso/index.js';
import { startSsoStack, type SsoStack } from '../support/sso-stack.js';
import { writeGatewayConfig } from './gateway-config.js';

/** The sign-in page passes a protected app's URL to SSO as the return bounce: a same-origin path every flow accepts. */
const bounce = (url: string) => `/api/v1/gateway/return?to=${encodeURIComponent(url)}`;

describe('SSO sign-in returns to an allow-listed original URL through the return bounce', () => {
  let stack: SsoStack;
  beforeAll(async () => {
    stack = await startSsoStack({ env: { GATEHOUSE_CONFIG: writeGatewayConfig(mkdtempSync(join(tmpdir(), 'gatehouse-gw-'))) } });
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps the bounce path intact through the SSO return-path rule', () => {
    const path = bounce('https://data.example.com/dashboards/1?tab=a%20b');
    expect(safeReturnPath(path)).toBe(path);
  });

  it('lands on the original URL after the provider, and on / for a host off the allow-list', async () => {
    const back = await stack.signIn(stack.agent(), 'bob', { returnTo: bounce(`${stack.base}/dashboards/1?tab=lineage`) });
    expect(back.url).toBe(`${stack.base}/dashboards/1?tab=lineage`);
    const refused = await stack.signIn(stack.agent(), 'bob', { returnTo: bounce('https://evil.example.net/dashboards/1') });
    expect(new URL(refused.url).origin).toBe(stack.base);
    expect(refused.url).not.toContain('evil');
  });
});
