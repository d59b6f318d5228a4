// Names that deceive (issue 18): look-alikes compare equal by nameKey, and deceptive forms are refused outright.
import { describe, expect, it } from "vitest";
import { deceptiveName, nameKey } from "./names";

describe("nameKey: names that look alike compare equal", () => {
  it.each([
    ["acme vs ACME", "acme", "ACME"],
    ["zero-width space inside", "Acme", "Ac\u200Bme"],
    ["soft hyphen and word joiner", "Acme", "A\u00ADc\u2060me"],
    ["full-width letters", "Acme", "\uFF21\uFF43\uFF4D\uFF45"],
    ["doubled and odd white space", "Acme Corp", "  Acme\u00A0\u2003 Corp "],
    ["RLO-wrapped (also refused outright)", "acme", "\u202Eacme\u202C"],
    ["ligature", "Office", "O\uFB03ce"],
  ])("%s", (_label, a, b) => expect(nameKey(a)).toBe(nameKey(b)));

  it("keeps names that differ apart", () => {
    expect(nameKey("Acme")).not.toBe(nameKey("Acme 2"));
    expect(nameKey("Café")).toBe(nameKey("Cafe\u0301"));
    expect(nameKey("Café")).not.toBe(nameKey("Cafe"));
  });
});

describe("deceptiveName", () => {
  it.each([
    ["a Greek Alpha among Latin letters", "\u0391cme", /mixes Latin and Greek/],
    ["a Cyrillic a among Latin letters", "Ac\u043Cme Corp", /mixes Latin and Cyrillic/],
    ["a Cyrillic o in the second word", "Globex B\u043Ex", /"B\u043Ex" mixes Latin and Cyrillic/],
    ["RLO-wrapped", "\u202Eemca\u202C", /direction overrides/],
    ["a left-to-right embedding", "Acme\u202A", /direction overrides/],
    ["an isolate", "\u2067Acme\u2069", /direction overrides/],
    ["only zero-width characters", "\u200B\u200C\u200D\u2060", /visible characters/],
    ["only white space and format characters", "\u00A0\u3000\u00AD\uFEFF", /visible characters/],
    ["Hangul fillers", "\u3164\u3164", /visible characters/],
    ["a lone combining mark", "\u0301", /visible characters/],
  ])("refuses %s", (_label, name, message) => expect(deceptiveName(name)).toMatch(message));

  it.each([
    ["plain Latin", "Acme Corp"],
    ["accented Latin", "Crème Brûlée GmbH"],
    ["emoji, with joiners", "Rocket 🚀 Labs 👩‍💻"],
    ["Arabic", "شركة النخيل"],
    ["Hebrew with a right-to-left mark", "חברה\u200F בע״מ"],
    ["CJK", "株式会社テスト"],
    ["Cyrillic", "Рога и копыта"],
    ["Greek", "Αλφα Βήτα"],
    ["Latin and Cyrillic in separate words", "Acme Москва"],
    ["Latin next to CJK in one word", "iPhone手机"],
    ["quotes and punctuation", `O'Brien & "Sons" (EU)`],
  ])("accepts %s", (_label, name) => expect(deceptiveName(name)).toBeNull());
});
