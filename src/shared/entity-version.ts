/**
 * OpenMetadata's entity version after a change: 0.1 at creation, +0.1 per change, rounded to one decimal so that
 * floating point never shows 0.30000000000000004 to a client.
 */
export function nextEntityVersion(row: { version?: number | null | undefined }): number {
  return Math.round(((row.version ?? 0.1) + 0.1) * 10) / 10;
}
