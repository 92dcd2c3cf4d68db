/**
 * What the API accepts in the fields people type, in one place: the route schemas, the name rule and the web UI's
 * inputs (`maxLength`, `pattern`) all read these, so the browser stops what the server would refuse and nobody meets a
 * validator's message. This file imports nothing: the UI bundles it as it is.
 */
export const INPUT_LIMITS = {
  /** User and bot names (lower-case, URL-safe). */
  name: 64,
  /** What a person types to sign in: a user name or an e-mail address. */
  signInName: 256,
  /** Any password field (the policy's own maximum is lower, and says so in words). */
  password: 1024,
  email: 254,
  displayName: 256,
  description: 2000,
  roleName: 64,
  tokenName: 128,
  userSearch: 100,
  auditType: 64,
  auditActor: 256,
} as const;

/** The user and bot name rule. */
export const NAME_RULE = new RegExp(`^[a-z0-9][a-z0-9._-]{0,${INPUT_LIMITS.name - 1}}$`);

/** The rule in words, for a hint under the field and for the server's refusal. */
export const NAME_RULE_WORDS =
  `A name uses lower-case letters, digits, ".", "_" and "-", and starts with a letter or digit (at most ${INPUT_LIMITS.name} characters).`;

/**
 * A valid name close to what someone typed: "My Ingest Bot" -> "my-ingest-bot". Empty when nothing usable is left.
 */
export function suggestName(typed: string): string {
  return typed
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, INPUT_LIMITS.name)
    .replace(/[._-]+$/, '');
}
