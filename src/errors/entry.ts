/** One row of the error catalogue: what the caller sees and how an operator or user fixes it. */
export interface ErrorEntry {
  readonly status: number;
  readonly message: string;
  readonly fix: string;
}

/** Keeps literal keys while checking each entry's shape. */
export function defineErrors<const T extends Record<string, ErrorEntry>>(entries: T): T {
  return entries;
}
