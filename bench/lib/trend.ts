/**
 * Least-squares slope of y over x (x in minutes, so MB per minute for memory samples); null with fewer than two
 * distinct x. A slope, not last minus first: one garbage collection just before the last sample would hide growth.
 */
export function slopePerMinute(points: ReadonlyArray<{ x: number; y: number }>): number | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? null : covariance / variance;
}
