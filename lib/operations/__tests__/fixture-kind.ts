// A test operation whose steps count their own runs (deliberately not
// idempotent: an ADD per run), so a test sees exactly which steps a resumed
// operation ran again. Its catalog effect writes an audit row per step.
import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { z } from "zod";
import { defineStep, type OperationDefinition, type StepContext } from "../definition";

export const fixtureTable = "engine-fixture";

const parameters = z.object({ label: z.string(), units: z.number().int().min(1), unitMs: z.number().int().min(0) });
type Parameters = z.infer<typeof parameters>;

function countingStep(name: string, slow: boolean) {
  return defineStep({
    name,
    label: name,
    changesTenant: name !== "prepare",
    output: z.object({ step: z.string() }),
    async run({ operation, parameters: p, deps, progress, signal }: StepContext<Parameters>) {
      const client = deps.dynamoDb("us-east-1");
      await client.send(
        new UpdateItemCommand({
          TableName: fixtureTable,
          Key: { pk: { S: operation.id }, sk: { S: name } },
          UpdateExpression: "ADD runs :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        }),
      );
      if (slow) {
        for (let unit = 0; unit < p.units; unit++) {
          signal.throwIfAborted();
          await new Promise((resolve) => setTimeout(resolve, p.unitMs));
          await progress((unit + 1) / p.units, `${unit + 1} of ${p.units}`);
        }
      }
      return {
        output: { step: name },
        catalog: async (tx) => {
          await tx.auditEntry.create({
            data: {
              actorEmail: "fixture",
              action: `fixture.${name}`,
              targetType: "operation",
              targetId: operation.id,
              outcome: "succeeded",
            },
          });
        },
      };
    },
  });
}

export const fixtureOperation: OperationDefinition<Parameters> = {
  kind: "onboard",
  parameters,
  describe: (p) => p.label,
  steps: [countingStep("prepare", false), countingStep("work", true), countingStep("finish", false)],
};
