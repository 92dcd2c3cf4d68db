import { catalogue, type ErrorCode } from './catalogue.js';

/**
 * The one error type domain code throws. `code` is stable and documented in docs/errors.md;
 * `detail` is safe to show to the caller; `cause` (and `internal`) are for logs only.
 */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  /** Operator-facing context for the log; never sent to the client. */
  readonly internal: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options?: { cause?: unknown; internal?: Record<string, unknown> },
  ) {
    super(detail ? `${catalogue[code].message} ${detail}` : catalogue[code].message, {
      cause: options?.cause,
    });
    this.code = code;
    this.detail = detail;
    this.internal = options?.internal;
  }

  /** HTTP status for this code; only the HTTP edge should need it. */
  get status(): number {
    return catalogue[this.code].status;
  }
}

/** Narrowing helper that also works across duplicated module instances. */
export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof GatehouseError;
}
