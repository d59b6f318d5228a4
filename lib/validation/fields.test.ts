// Every text field refuses control characters (issue 18: a plan name with NUL was a 500; bell and escape were stored).
import { describe, expect, it } from "vitest";
import { type z } from "zod";
import { clip, multiLine, optionalText, planNameField, singleLine, tenantNameField } from "./fields";

const errors = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

const hostile = [
  ["NUL", "Acme\u0000"],
  ["bell", "Ac\u0007me"],
  ["escape (a terminal colour code)", "\u001B[31mAcme"],
  ["DEL", "Acme\u007F"],
  ["a C1 control", "Acme\u0085Corp"],
  ["a line break inside", "Acme\nCorp"],
  ["a tab inside", "Acme\tCorp"],
] as const;

describe("singleLine", () => {
  const field = singleLine({ max: 10, required: "Required" });
  it.each(hostile)("refuses %s with a field error", (_label, value) =>
    expect(errors(field, value)).toEqual([expect.stringMatching(/control characters/)]),
  );
  it("refuses lone surrogates, counts code points, trims", () => {
    expect(errors(field, "a\uD800b")).toEqual([expect.stringMatching(/lone surrogate/)]);
    expect(errors(field, "\uDC00")).toContainEqual(expect.stringMatching(/lone surrogate/));
    expect(errors(field, "🚀".repeat(10))).toEqual([]);
    expect(errors(field, "🚀".repeat(11))).toEqual(["At most 10 characters"]);
    expect(field.parse("  Acme \n")).toBe("Acme");
    expect(errors(field, "   ")).toEqual(["Required"]);
    expect(errors(field, 42)).not.toEqual([]);
  });
});

it("clip: an echoed value is cut by code point, never between a surrogate pair", () => {
  expect(clip("a🚀b", 2)).toBe("a🚀…");
  expect(clip("a🚀b", 3)).toBe("a🚀b");
});

describe("multiLine", () => {
  const field = multiLine({ max: 100 });
  it("keeps line breaks (CRLF as LF) and tabs, refuses every other control character", () => {
    expect(field.parse("first\r\nsecond\tthird\r")).toBe("first\nsecond\tthird");
    expect(errors(field, "why\u0000")).toEqual([expect.stringMatching(/other than line breaks/)]);
    expect(errors(field, "why\u001B[2J")).toEqual([expect.stringMatching(/other than line breaks/)]);
    expect(errors(field, "why\u000Bnot")).toEqual([expect.stringMatching(/other than line breaks/)]);
  });
  it("optionalText: empty or missing is null", () => {
    expect(optionalText({ max: 5 }).parse(undefined)).toBeNull();
    expect(optionalText({ max: 5 }).parse("  ")).toBeNull();
    expect(errors(optionalText({ max: 5 }), "abc\u0000")).not.toEqual([]);
  });
});

describe("display names", () => {
  it.each([tenantNameField, planNameField])("refuse control characters, bidi overrides, invisible and mixed-script names", (field) => {
    for (const [, value] of hostile) expect(errors(field, value)).not.toEqual([]);
    expect(errors(field, "\u202Eemca")).toEqual([expect.stringMatching(/direction overrides/)]);
    expect(errors(field, "\u200B\u200B")).toEqual([expect.stringMatching(/visible characters/)]);
    expect(errors(field, "\u0391cme")).toEqual([expect.stringMatching(/mixes Latin and Greek/)]);
    expect(field.parse(" Rocket 🚀 شركة ")).toBe("Rocket 🚀 شركة");
  });
});
