import { describe, expect, it } from "vitest";
import { safeReturnPath, sameOriginRedirect } from "./return-to";

const origin = "https://console.example.com";

/** Values a browser resolves to another origin (or to a script), from the usual open-redirect bypass lists. */
const offSiteCallbacks = [
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/\u0000/evil.example",
  "/%09/evil.example",
  "https://evil.example/steal",
  "HTTPS://EVIL.EXAMPLE",
  "https:evil.example",
  "http:evil.example",
  "https:/evil.example",
  "https:\\\\evil.example",
  "//console.example.com@evil.example",
  "https://console.example.com@evil.example/",
  "https://console.example.com:443@evil.example",
  "https://console.example.com.evil.example/",
  "https://evil.example#https://console.example.com",
  "http://console.example.com/",
  "https://console.example.com:8443/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "//%65vil.example",
  "/.//evil.example/..",
  "ftp://evil.example",
  "/\\\tevil.example",
];

/** Malformed values that must never crash anything. */
const malformed: (string | string[] | undefined)[] = [
  undefined,
  "",
  "%",
  "%E0%A4%A",
  "/%E0%A4%A",
  "http://[",
  "https://%",
  "http://a b/",
  ["/tenants", "//evil.example"],
  [],
  "/" + "a".repeat(5_000),
  "\ud800",
  "/\udfff",
  "https://console.example.com:99999/",
];

describe("safeReturnPath (sign-in page, already signed in)", () => {
  it.each(offSiteCallbacks)("refuses %j", (value) => {
    const path = safeReturnPath(value, origin);
    expect(new URL(path, origin).origin).toBe(origin);
    expect(path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\")).toBe(true);
  });

  it.each(malformed)("never throws on %j", (value) => {
    const path = safeReturnPath(value, origin);
    expect(new URL(path, origin).origin).toBe(origin);
  });

  it("keeps a same-origin path with its query and fragment, relative or absolute", () => {
    expect(safeReturnPath("/tenants?tier=basic", origin)).toBe("/tenants?tier=basic");
    expect(safeReturnPath("/tenants?q=müller#usage", origin)).toBe("/tenants?q=m%C3%BCller#usage");
    expect(safeReturnPath("https://console.example.com/audit?page=2", origin)).toBe("/audit?page=2");
    expect(safeReturnPath("/tenants/acme\t", origin)).toBe("/tenants/acme");
    expect(safeReturnPath("tenants", origin)).toBe("/tenants");
  });

  it("never returns to the sign-in page itself", () => {
    for (const value of ["/sign-in", "/sign-in?callbackUrl=/x", "/SIGN-IN", "https://console.example.com/sign-in#x", "/x/../sign-in"]) {
      expect(safeReturnPath(value, origin)).toBe("/");
    }
    expect(safeReturnPath("/sign-inside", origin)).toBe("/sign-inside");
  });

  it("refuses a repeated parameter", () => {
    expect(safeReturnPath(["/tenants", "/audit"], origin)).toBe("/");
  });
});

describe("sameOriginRedirect (next-auth's redirect callback, fresh sign-in)", () => {
  it.each([...offSiteCallbacks, ...malformed.filter((value): value is string => typeof value === "string")])("sends %j home", (url) => {
    const target = sameOriginRedirect({ url, baseUrl: origin });
    expect(new URL(target).origin).toBe(origin);
    expect(new URL(target).pathname.startsWith("//")).toBe(false);
  });

  it("keeps a same-origin destination", () => {
    expect(sameOriginRedirect({ url: "/tenants?tier=basic", baseUrl: origin })).toBe(`${origin}/tenants?tier=basic`);
    expect(sameOriginRedirect({ url: `${origin}/sign-in`, baseUrl: origin })).toBe(`${origin}/sign-in`);
    expect(sameOriginRedirect({ url: "//evil.example", baseUrl: origin })).toBe(origin);
  });
});
