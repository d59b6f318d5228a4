// Every request schema that takes text from outside refuses control characters with an error on that field
// (issue 18: a plan name with NUL was a 500; bell and escape were stored). One row per text field.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { parseAuditFilters } from "../audit/queries";
import { parseTenantListParams } from "../catalog/tenant-list-params";
import { rejectProposalInput } from "../fleet-watch/approval";
import { migrationInput } from "../migration/requests";
import { onboardingInput } from "../onboarding/requests";
import { parseOperationFilters } from "../operations/views";
import { planChangeInput, planCreateInput, planUpdateInput } from "../throttling/requests";
import { updateUserAccessInput } from "../users/users";

const idempotencyKey = randomUUID();
const plan = { name: "Gold", ratePerSec: "10", burst: "10", quotaPerDay: "1000" };
const valid: [string, z.ZodType, Record<string, string>, string][] = [
  [
    "onboarding",
    onboardingInput,
    { name: "Acme", id: "acme", tier: "basic", region: "us-east-1", contactEmail: "a@example.com", idempotencyKey },
    "name",
  ],
  ["plan create: name", planCreateInput, { id: "gold", ...plan }, "name"],
  ["plan create: id", planCreateInput, { id: "gold", ...plan }, "id"],
  ["plan update: plan", planUpdateInput, { planId: "gold", ...plan, idempotencyKey }, "planId"],
  ["plan update: name", planUpdateInput, { planId: "gold", ...plan, idempotencyKey }, "name"],
  ["plan change", planChangeInput, { tenantId: "acme", planId: "gold", idempotencyKey }, "planId"],
  ["migration target", migrationInput, { tenantId: "acme", target: "pool-use1-01", copyRatePerSec: "0", idempotencyKey }, "target"],
  ["user access", updateUserAccessInput, { userId: "u1", role: "admin", disabled: "false" }, "userId"],
  ["proposal rejection reason", rejectProposalInput, { proposalId: "c".repeat(25), reason: "too\nbusy" }, "reason"],
];

describe("request schemas refuse control characters in every text field", () => {
  it.each(valid)("%s", (_label, schema, fields, field) => {
    expect(schema.safeParse(fields).success).toBe(true);
    for (const bad of ["\u0000", "\u0007", "\u001b[31m"]) {
      const result = schema.safeParse({ ...fields, [field]: `${fields[field]}${bad}x` });
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error!.issues.map((issue) => issue.path.join("."))).toContain(field);
    }
  });

  it("filters in a page's address: a control character is reported or ignored, never queried", () => {
    const list = parseTenantListParams({ q: "acme\u0000" });
    expect(list.params.q).toBeUndefined();
    expect(list.errors).toEqual([expect.stringMatching(/^q: No control characters/)]);
    expect(parseOperationFilters({ tenant: "acme\u0000", who: "\u0007" })).toMatchObject({ tenant: undefined, who: undefined });
    expect(parseAuditFilters({ actor: "a\u0000", action: "x\u001b", target: "\u0000" })).toMatchObject({
      actor: undefined,
      action: undefined,
      target: undefined,
    });
  });
});
