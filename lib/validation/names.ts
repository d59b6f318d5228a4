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

// Characters that reorder what follows them on screen: embeddings, overrides (U+202A–202E) and isolates (U+2066–2069).
// A name carrying one can display as another name ("\u202Eemca" shows as "acme"). Marks (LRM, RLM, ALM) only nudge
// neutral characters and are kept: right-to-left names use them.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/u;

// What leaves nothing on screen: format characters, separators and white space, combining marks with no base, and the
// blank letters (Hangul fillers, the braille blank, the Khmer inherent vowels).
const invisible = /[\p{Cf}\p{Z}\s\p{M}\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0]/gu;

// The scripts whose letters imitate each other (Latin a, Cyrillic а, Greek α); one word mixing them is a disguise.
const lookAlikeScripts = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
] as const;

/** The scripts among Latin, Cyrillic and Greek that one word's letters come from. */
export function lookAlikeScriptsOf(word: string): string[] {
  return lookAlikeScripts.filter(([, pattern]) => pattern.test(word)).map(([script]) => script);
}

/**
 * Why a display name would let it pass for another, or null: a bidi override or isolate, nothing visible, or a word
 * mixing Latin with Cyrillic or Greek letters ("Αcme" with a Greek Alpha). Emoji, right-to-left and CJK scripts, and
 * accented Latin are names like any other. Pure: unit-tested in names.test.ts.
 */
export function deceptiveName(name: string): string | null {
  if (bidiControls.test(name))
    return "No text direction overrides or isolates (U+202A–202E, U+2066–2069): they make a name display as another";
  if (name.replace(invisible, "") === "") return "The name must contain visible characters";
  for (const word of name.normalize("NFKC").split(/[^\p{L}\p{M}]+/u)) {
    const scripts = lookAlikeScriptsOf(word);
    if (scripts.length > 1) return `"${word}" mixes ${scripts.join(" and ")} letters, which look alike: write each word in one script`;
  }
  return null;
}
