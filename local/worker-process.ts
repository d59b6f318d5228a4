// The operations worker as a child of the local stack (the same entry point
// as `npm run worker`), supervised: restarted when it dies, as ECS or systemd
// would in production. Its log lines are echoed unless the stack is quiet.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { spawnStackChild, supervise, waitForLine, type Supervised } from "./child-process";

export function startSupervisedWorker(env: NodeJS.ProcessEnv, quiet: boolean, log: (line: string) => void): Promise<Supervised> {
  return supervise(() => startWorkerProcess(env, quiet, log), { what: "The operations worker", log });
}

async function startWorkerProcess(env: NodeJS.ProcessEnv, quiet: boolean, log: (line: string) => void): Promise<ChildProcess> {
  const worker = spawnStackChild(["--conditions=react-server", "--import", "tsx", path.resolve("scripts/worker.ts")], env);
  worker.stderr?.pipe(process.stderr);
  const id = await waitForLine(
    worker,
    (line) => (line.startsWith("worker ready: ") ? line.slice("worker ready: ".length) : undefined),
    60_000,
    "the operations worker",
    quiet ? undefined : log,
  );
  log(`Operations worker ${id}`);
  worker.stdout?.on("data", (chunk: Buffer) => {
    if (quiet) return;
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(line);
  });
  return worker;
}
