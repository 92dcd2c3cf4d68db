import { describe, expect, it } from 'vitest';
import { endEverythingOfUser } from './deactivation.js';

describe('endEverythingOfUser', () => {
  it('ends sign-ins, sessions and tokens, and only then tells the instances', async () => {
    const steps: string[] = [];
    const end = endEverythingOfUser({
      endAllSignIns: async (id) => void steps.push(`sign-ins ${id}`),
      revokeAllSessions: async (id) => void steps.push(`sessions ${id}`),
      revokeAllTokens: async (id) => void steps.push(`tokens ${id}`),
      publishUserChanged: (id) => void steps.push(`event ${id}`),
    });
    await end('u1');
    expect(steps).toEqual(['sign-ins u1', 'sessions u1', 'tokens u1', 'event u1']);
  });

  it('publishes nothing when a step fails, so the failure is not hidden', async () => {
    const steps: string[] = [];
    const end = endEverythingOfUser({
      endAllSignIns: async () => undefined,
      revokeAllSessions: async () => Promise.reject(new Error('database down')),
      revokeAllTokens: async (id) => void steps.push(`tokens ${id}`),
      publishUserChanged: (id) => void steps.push(`event ${id}`),
    });
    await expect(end('u1')).rejects.toThrow('database down');
    expect(steps).toEqual([]);
  });
});
