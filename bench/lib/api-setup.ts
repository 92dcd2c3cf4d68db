// Set-up through the public API for the benchmark servers: one JSON client, the bootstrap administrator's first
// sign-in (its one-time password must be changed first), and users whose passwords need no change.

export const BENCH_ADMIN_PASSWORD = 'bench-Initial-password-1';
export const BENCH_ADMIN_NEW_PASSWORD = 'bench correct horse battery';

export type Call = (method: string, path: string, body?: unknown, token?: string) => Promise<Record<string, unknown>>;

/** A JSON client for `base`; any answer but 2xx throws with its status and body. */
export function apiClient(base: string): { call: Call; login(name: string, secret: string): Promise<string> } {
  const call: Call = async (method, path, body, token) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const login = async (name: string, secret: string) => String((await call('POST', '/api/v1/users/login', { email: name, password: b64(secret) }))['accessToken']);
  return { call, login };
}

/** The administrator's access token, after changing the one-time password (BENCH_ADMIN_PASSWORD) as required. */
export async function adminToken(client: ReturnType<typeof apiClient>): Promise<string> {
  const first = await client.login('admin', BENCH_ADMIN_PASSWORD);
  await client.call('PUT', '/api/v1/users/changePassword', { oldPassword: BENCH_ADMIN_PASSWORD, newPassword: BENCH_ADMIN_NEW_PASSWORD, confirmPassword: BENCH_ADMIN_NEW_PASSWORD }, first);
  return client.login('admin', BENCH_ADMIN_NEW_PASSWORD);
}

/** `count` users named `<prefix>0..` with passwords of their own (an administrator-set one must be changed first). */
export async function usersWithOwnPasswords(client: ReturnType<typeof apiClient>, admin: string, prefix: string, count: number): Promise<{ name: string; password: string }[]> {
  const users: { name: string; password: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    const own = `${prefix}-own-Passphrase-${i}`;
    await client.call('POST', '/api/v1/users', { name, email: `${name}@example.com`, roles: [] }, admin);
    await client.call('PUT', '/api/v1/users/changePassword', { requestType: 'USER', username: name, newPassword: BENCH_ADMIN_PASSWORD, confirmPassword: BENCH_ADMIN_PASSWORD }, admin);
    await client.call('PUT', '/api/v1/users/changePassword', { oldPassword: BENCH_ADMIN_PASSWORD, newPassword: own, confirmPassword: own }, await client.login(name, BENCH_ADMIN_PASSWORD));
    users.push({ name, password: own });
  }
  return users;
}
