// The headers proxy.ts sets (issue 18): a nonce-based CSP for pages, HSTS only over https.
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, strictTransportSecurity } from "./security-headers";

describe("security headers", () => {
  it("a page's CSP: scripts by nonce only, no framing, no plugins, forms to the console; eval only in development", () => {
    const policy = contentSecurityPolicy("abc123==");
    expect(policy.split("; ")).toEqual(
      expect.arrayContaining([
        "script-src 'self' 'nonce-abc123==' 'strict-dynamic'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ]),
    );
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toMatch(/style-src[^;]*nonce/);
    expect(contentSecurityPolicy("n", true)).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
  });

  it("HSTS only when the request came over https", () => {
    expect(strictTransportSecurity("https", "http:")).toBe("max-age=31536000; includeSubDomains");
    expect(strictTransportSecurity("HTTPS, http", "http:")).not.toBeNull();
    expect(strictTransportSecurity(null, "https:")).not.toBeNull();
    expect(strictTransportSecurity(null, "http:")).toBeNull();
    expect(strictTransportSecurity("http", "http:")).toBeNull();
    expect(strictTransportSecurity("", "http:")).toBeNull();
  });
});
