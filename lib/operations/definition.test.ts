import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  cancellableWait,
  defineStep,
  findOutput,
  isCancellable,
  outputsReader,
  overallProgress,
  recordedOutputs,
  stepOutput,
  type OperationDefinition,
  type StepContext,
  type StepRecord,
} from "./definition";

const step = (name: string, changesTenant: boolean, status: StepRecord["status"], progress?: number): StepRecord => ({
  name,
  label: name,
  changesTenant,
  status,
  progress,
});

describe("operation steps", () => {
  it("can be cancelled until a step that changes the tenant has started", () => {
    const before = [step("validate", false, "done"), step("place", false, "running"), step("provision", true, "pending")];
    expect(isCancellable("running", before)).toBe(true);
    expect(isCancellable("queued", before)).toBe(true);
    const after = [step("validate", false, "done"), step("place", false, "done"), step("provision", true, "running")];
    expect(isCancellable("running", after)).toBe(false);
    expect(isCancellable("failed", [...after.slice(0, 2), step("provision", true, "failed")])).toBe(false);
    expect(isCancellable("succeeded", before)).toBe(false);
    expect(isCancellable("cancelled", before)).toBe(false);
  });

  it("can be cancelled while it awaits approval, and while it waits in a step marked cancellable while waiting (once)", () => {
    const done = [step("suspend", true, "done"), step("export", true, "done")];
    expect(isCancellable("awaiting_approval", [step("suspend", true, "pending")])).toBe(true);
    const grace = { ...step("grace", true, "waiting"), cancellableWhileWaiting: true };
    expect(isCancellable("queued", [...done, grace])).toBe(true);
    expect(cancellableWait("queued", [...done, grace])).toBe(grace);
    // Not a step that may not be cancelled while it waits, not once a worker runs it again, not twice.
    expect(isCancellable("queued", [...done, step("grace", true, "waiting")])).toBe(false);
    expect(isCancellable("running", [...done, { ...grace, status: "running" }])).toBe(false);
    const requested = { ...grace, cancelRequest: { byId: "u", byEmail: "u@example.com", at: "2026-12-01T00:00:00.000Z" } };
    expect(isCancellable("queued", [...done, requested])).toBe(false);
  });

  it("counts finished steps and the running step's fraction", () => {
    expect(
      overallProgress([step("a", false, "done"), step("b", true, "running", 0.5), step("c", true, "pending"), step("d", true, "pending")]),
    ).toBe(0.375);
    expect(overallProgress([])).toBe(0);
  });
});

type Parameters = { tenantId: string };

const placeStep = defineStep({
  name: "place",
  label: "Place",
  changesTenant: false,
  output: z.object({ poolId: z.string().nullable(), items: z.number() }),
  async run({ parameters }: StepContext<Parameters>) {
    return { output: { poolId: `pool-of-${parameters.tenantId}`, items: 3 } };
  },
});

describe("step outputs", () => {
  it("are read back as their step declared them, in the runner and from a stored operation", () => {
    const read = outputsReader({ place: { poolId: "pool-a", items: 3, extra: "kept in the row, not handed on" } });
    expect(read.output(placeStep)).toEqual({ poolId: "pool-a", items: 3 });
    const stored = recordedOutputs([{ ...step("place", false, "done"), output: { poolId: null, items: 0 } }]);
    expect(stored.output(placeStep)).toEqual({ poolId: null, items: 0 });
  });

  it("fail clearly when the step has recorded nothing, or something else", () => {
    const read = outputsReader({ place: { poolId: 7, items: 3 } });
    expect(() => read.output(placeStep)).toThrow(/step place's recorded output is not as expected: poolId: /);
    expect(() => outputsReader({}).output(placeStep)).toThrow("step place has recorded no output");
    expect(outputsReader({}).outputIfAny(placeStep)).toBeUndefined();
    expect(() => read.outputIfAny(placeStep)).toThrow(/not as expected/);
  });

  it("see the outputs added after the reader was made (each step's, as it finishes)", () => {
    const outputs: Record<string, { poolId: string; items: number } | undefined> = {};
    const read = outputsReader(outputs);
    expect(read.outputIfAny(placeStep)).toBeUndefined();
    outputs.place = { poolId: "pool-b", items: 1 };
    expect(read.output(placeStep).poolId).toBe("pool-b");
  });

  it("can be read in part, and leniently by pages", () => {
    const steps = [{ ...step("place", false, "done"), output: { poolId: "pool-a", items: 3 } }];
    expect(findOutput(steps, stepOutput("place", z.object({ items: z.number() })))).toEqual({ items: 3 });
    expect(findOutput(steps, stepOutput("place", z.object({ items: z.string() })))).toBeUndefined();
    expect(findOutput(steps, stepOutput("other", z.object({})))).toBeUndefined();
  });

  it("are typed: run returns what the schema says, a step without a schema records nothing", () => {
    const definition: OperationDefinition<Parameters> = {
      kind: "onboard",
      parameters: z.object({ tenantId: z.string() }),
      describe: (p) => p.tenantId,
      steps: [
        placeStep,
        defineStep({
          name: "wrong",
          label: "Wrong",
          changesTenant: false,
          output: z.object({ items: z.number() }),
          // @ts-expect-error: `items` must be a number
          async run() {
            return { output: { items: "3" } };
          },
        }),
        // @ts-expect-error: a step that declares no output records none
        { name: "undeclared", label: "Undeclared", changesTenant: false, run: async () => ({ output: { items: 3 } }) },
        {
          name: "reads",
          label: "Reads",
          changesTenant: false,
          async run({ output }) {
            const items: number = output(placeStep).items;
            return { detail: `${items}` };
          },
        },
      ],
    };
    expect(definition.steps.map((s) => s.name)).toEqual(["place", "wrong", "undeclared", "reads"]);
  });
});
