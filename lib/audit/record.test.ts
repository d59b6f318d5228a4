// What an audit entry stores of a hostile request (issue 18): nothing PostgreSQL refuses, nothing invisible, nothing unbounded.
import { describe, expect, it } from "vitest";
import { auditEntry, auditLimits, auditParameters, auditText } from "./record";

const storable = (text: string) => text.isWellFormed() && !/\p{Cc}/u.test(text);

describe("auditText", () => {
  it("writes control characters and lone surrogates as visible escapes", () => {
    expect(auditText("a\u0000b\u0007c\u001B[31m\u007F\u0085")).toBe("a\\u0000b\\u0007c\\u001B[31m\\u007F\\u0085");
    expect(auditText("x\uD800y\uDFFFz")).toBe("x\\uD800y\\uDFFFz");
    expect(auditText("Acme 🚀 شركة")).toBe("Acme 🚀 شركة");
    expect(auditText("a\nb\tc")).toBe("a\\u000Ab\\u0009c");
    expect(auditText("a\nb\tc\u0000", 200, true)).toBe("a\nb\tc\\u0000");
  });

  it("trims by code point: a surrogate pair at the cut is kept whole or left out, never split", () => {
    const atCut = "a".repeat(199) + "🚀" + "tail";
    expect(auditText(atCut)).toBe("a".repeat(199) + "🚀…");
    expect(auditText(atCut, 199)).toBe("a".repeat(199) + "…");
    expect(auditText("🚀".repeat(500)).isWellFormed()).toBe(true);
    expect([...auditText("🚀".repeat(500))]).toHaveLength(auditLimits.text + 1);
    // An escape counts its own length and is never cut in half.
    expect(auditText("a".repeat(198) + "\u0000")).toBe("a".repeat(198) + "…");
  });
});

describe("auditParameters", () => {
  it("sanitises keys and values at any depth, keeps hostile keys as keys, bounds sizes", () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": "yes\\u0000"}, "constructor": "x", "$type": "Json", "a\\u0000b": ["\\ud800", {"k\\udc00": 1}]}',
    );
    const stored = auditParameters(hostile) as Record<string, unknown>;
    expect(Object.keys(stored)).toEqual(["__proto__", "constructor", "$type", "a\\u0000b"]);
    expect(JSON.stringify(stored)).toBe(
      '{"__proto__":{"polluted":"yes\\\\u0000"},"constructor":"x","$type":"Json","a\\\\u0000b":["\\\\uD800",{"k\\\\uDC00":1}]}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const huge = auditParameters({ list: Array.from({ length: 10_000 }, (_, i) => `item ${i}`), text: "x".repeat(100_000) });
    expect(JSON.stringify(huge).length).toBeLessThanOrEqual(auditLimits.parametersJson);
    const deep = auditParameters(JSON.parse("[".repeat(100) + "]".repeat(100)));
    expect(JSON.stringify(deep)).toContain("nested too deep");
    expect(auditParameters({ n: Number.NaN, big: 10n, when: new Date(0) })).toEqual({
      n: "NaN",
      big: "10",
      when: "1970-01-01T00:00:00.000Z",
    });
  });
});

describe("auditEntry", () => {
  it("makes every text column storable", () => {
    const row = auditEntry(null, {
      action: "plans.create",
      targetType: "plan",
      targetId: "x\u0000".repeat(300),
      outcome: "refused",
      detail: `Plan "\uD83D" ${"🚀".repeat(3000)}`,
      parameters: { name: "\u0000" },
    });
    for (const value of [row.targetId, row.detail, row.actorEmail]) expect(storable(value as string)).toBe(true);
    expect([...(row.detail as string)].length).toBe(auditLimits.detail + 1);
    expect(row.parameters).toEqual({ name: "\\u0000" });
  });
});
