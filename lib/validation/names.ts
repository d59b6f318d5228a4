// Display names (tenants, throttling plans) compared as a reader sees them.

// Invisible format characters a name may carry without looking different: soft hyphen, zero-width space/joiners,
// directional marks and overrides, word joiner and invisible operators, isolates, byte-order mark.
const invisibleFormat = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * The form two names are compared in: equal keys look alike. NFKC folds compatibility forms (full-width letters,
 * ligatures), invisible format characters are dropped, white space collapsed and case ignored. The catalog's
 * migration computes the same for names stored before (prisma/migrations/*_hardening).
 */
export function nameKey(name: string): string {
  return name.normalize("NFKC").replace(invisibleFormat, "").replace(/\s+/g, " ").trim().toLowerCase();
}
