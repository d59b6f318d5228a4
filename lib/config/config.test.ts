import { describe, expect, it } from "vitest";
import { parseServerEnv } from "./config";

const valid = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", NEXTAUTH_SECRET: "s".repeat(32) };

describe("parseServerEnv", () => {
  it("accepts a minimal valid environment with defaults", () => {
    const env = parseServerEnv(valid);
    expect(env.AUTH_PASSWORD_SIGNIN).toBe("on");
    expect(env.DATABASE_POOL_SIZE).toBe(5);
  });

  it("names the missing variable", () => {
    expect(() => parseServerEnv({ NEXTAUTH_SECRET: valid.NEXTAUTH_SECRET })).toThrow(/DATABASE_URL/);
  });

  it("rejects a malformed database URL and a short secret, naming both", () => {
    expect(() => parseServerEnv({ DATABASE_URL: "mysql://x", NEXTAUTH_SECRET: "short" })).toThrow(/DATABASE_URL[\s\S]*NEXTAUTH_SECRET/);
  });

  it("requires the OIDC settings together", () => {
    expect(() => parseServerEnv({ ...valid, OIDC_ISSUER: "https://id.example" })).toThrow(/must be set together/);
  });

  it("refuses to disable password sign-in with no other way in", () => {
    expect(() => parseServerEnv({ ...valid, AUTH_PASSWORD_SIGNIN: "off" })).toThrow(/no way to sign in/);
  });
});
