import { describe, expect, it } from "vitest";
import { signInUrlFor } from "./requested-path";

describe("signInUrlFor", () => {
  it("returns to the requested page and its query after sign-in", () => {
    expect(signInUrlFor("/tenants?tier=basic&q=müller")).toBe("/sign-in?callbackUrl=%2Ftenants%3Ftier%3Dbasic%26q%3Dm%C3%BCller");
  });

  it("sends plain sign-in for the overview, a missing header or anything off-site", () => {
    for (const path of [undefined, null, "", "/", "//evil.example/x", "https://evil.example/"]) {
      expect(signInUrlFor(path)).toBe("/sign-in");
    }
  });
});
