import { describe, expect, it } from "vitest";
import { emailVerified } from "./oidc";

describe("emailVerified", () => {
  it("accepts only the boolean true", () => {
    expect(emailVerified({ sub: "1", email: "ada@example.com", email_verified: true })).toBe(true);
    for (const profile of [
      { sub: "1", email: "ada@example.com" },
      { email_verified: false },
      { email_verified: "true" },
      { email_verified: 1 },
      { email_verified: null },
      null,
      undefined,
      "email_verified",
    ]) {
      expect(emailVerified(profile), JSON.stringify(profile)).toBe(false);
    }
  });
});
