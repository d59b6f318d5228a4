import { describe, expect, it } from "vitest";
import { sessionCookieName, transportPolicy } from "./transport";

const http = { NEXTAUTH_URL: "http://console.internal:3000", AUTH_ALLOW_INSECURE_HTTP: "off" } as const;
const https = { NEXTAUTH_URL: "https://console.example.com", AUTH_ALLOW_INSECURE_HTTP: "off" } as const;

describe("transportPolicy", () => {
  it("in production, always Secure cookies, whatever NEXTAUTH_URL says", () => {
    expect(transportPolicy(https, "production")).toEqual({ secureCookies: true, refusal: null });
    expect(transportPolicy(http, "production").secureCookies).toBe(true);
    expect(transportPolicy({ ...https, NEXTAUTH_URL: undefined }, "production").secureCookies).toBe(true);
  });

  it("in production, refuses to start over plain http (or with no public URL) unless explicitly allowed", () => {
    expect(transportPolicy(http, "production").refusal).toMatch(/AUTH_ALLOW_INSECURE_HTTP=on/);
    expect(transportPolicy({ ...http, NEXTAUTH_URL: undefined }, "production").refusal).toMatch(/NEXTAUTH_URL/);
    expect(transportPolicy({ ...http, AUTH_ALLOW_INSECURE_HTTP: "on" }, "production")).toEqual({ secureCookies: false, refusal: null });
    expect(transportPolicy({ ...https, AUTH_ALLOW_INSECURE_HTTP: "on" }, "production")).toEqual({ secureCookies: true, refusal: null });
  });

  it("outside production, follows the URL", () => {
    expect(transportPolicy(http, "development")).toEqual({ secureCookies: false, refusal: null });
    expect(transportPolicy(https, "test")).toEqual({ secureCookies: true, refusal: null });
  });

  it("names the cookie as next-auth does", () => {
    expect(sessionCookieName(true)).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName(false)).toBe("next-auth.session-token");
  });
});
