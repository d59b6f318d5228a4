/**
 * OpenID Connect: an e-mail counts only if the provider says it verified it (`email_verified: true`, the boolean; a
 * string "true", a missing claim or anything else is refused). Without this, anyone who can register an unverified
 * address at the provider could sign in as the console user with that address.
 */
export function emailVerified(profile: unknown): boolean {
  return Boolean(profile && typeof profile === "object" && (profile as Record<string, unknown>).email_verified === true);
}
