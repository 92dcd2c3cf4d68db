/** Who may pass: anyone, anyone signed in, or a signed-in user holding at least one of the roles. */
export type RuleAllow = 'public' | 'authenticated' | readonly string[];

/** One access rule as written in the configuration (gateway.rules). */
export interface AccessRule {
  /** Exact hosts or `*.example.com`; omitted = any host. */
  readonly hosts?: readonly string[] | undefined;
  /** Whole-segment prefix: `/admin` matches `/admin` and `/admin/x`, never `/administrator`. */
  readonly pathPrefix: string;
  /** Omitted = any method. GET also covers HEAD (upstreams answer HEAD with the GET handler). */
  readonly methods?: readonly string[] | undefined;
  /** `public`, `authenticated` or role names, as written in the configuration (other text is refused by validation). */
  readonly allow: string | readonly string[];
}

/** What happens to a request no rule matches. */
export type DefaultAccess = 'deny' | 'authenticated';

export type AccessOutcome = 'allow' | 'deny-unauthenticated' | 'forbidden';

/** The rule that decided: its position in gateway.rules and a readable text; null when the default decided. */
export interface DecidingRule {
  readonly index: number;
  readonly text: string;
}

export interface AccessDecision {
  readonly outcome: AccessOutcome;
  readonly rule: DecidingRule | null;
  /** Readable reason, e.g. for `gatehouse access explain`. */
  readonly reason: string;
}

/**
 * In an allow list, administrators (the user's admin flag, which is not a role in the database) are named `Admin`, as
 * OpenMetadata names them. They pass only rules that list `Admin`: rules say who passes, with no hidden exception.
 */
export const ADMIN_ROLE = 'Admin';

/** Who is asking: null when nobody is signed in, else the user's role names and admin flag. */
export type Requester = { readonly roles: readonly string[]; readonly isAdmin: boolean } | null;
