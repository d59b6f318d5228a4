// The local stack keeps its operations worker running as ECS or systemd would:
// a child that dies is started again, with a back-off, until the stack stops.
import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import { supervise, waitForLine } from "./child-process";

async function startChild() {
  const child = spawn(process.execPath, ["-e", "console.log('ready'); setInterval(() => {}, 1000)"], {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  await waitForLine(child, (line) => (line === "ready" ? true : undefined), 30_000, "the child");
  return child;
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

it("starts a child again each time it is killed, and not once it is stopped", async () => {
  const lines: string[] = [];
  const supervised = await supervise(startChild, {
    what: "the child",
    log: (line) => lines.push(line),
    firstDelayMs: 100,
    maxDelayMs: 400,
  });
  try {
    for (let kill = 1; kill <= 3; kill++) {
      const before = supervised.current();
      before.kill("SIGKILL");
      await until(() => supervised.restarts() === kill);
      expect(supervised.current().pid).not.toBe(before.pid);
      expect(supervised.current().exitCode).toBeNull();
    }
    expect(lines.filter((line) => line.startsWith("the child exited (SIGKILL)"))).toHaveLength(3);
    // The back-off doubles up to its ceiling.
    expect(lines.map((line) => /again in ([\d.]+) s/.exec(line)?.[1])).toEqual(["0.1", "0.2", "0.4"]);
  } finally {
    await supervised.stop();
  }
  const last = supervised.current();
  expect(last.exitCode !== null || last.signalCode !== null).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(supervised.restarts()).toBe(3);
});
