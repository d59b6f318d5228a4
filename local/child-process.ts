// Children of the local stack: each exits with its launcher (exit-with-parent.cjs)
// and runs in its own process group, so stopping one stops all it forked.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const exitWithParent = path.resolve("local/exit-with-parent.cjs");

export function spawnStackChild(args: string[], env: NodeJS.ProcessEnv, output: "pipe" | "ignore" = "pipe"): ChildProcess {
  return spawn(process.execPath, args, {
    env: {
      ...env,
      TSC_LAUNCHER_PID: String(process.pid),
      NODE_OPTIONS: [env.NODE_OPTIONS, `--require ${JSON.stringify(exitWithParent)}`].filter(Boolean).join(" "),
    },
    // Piped through the launcher rather than inherited, so a child never holds the launcher's caller's pipes open.
    stdio: ["ignore", output, "pipe"],
    detached: true,
  });
}

/** SIGTERM to the child's process group; SIGKILL after `graceMs`. */
export function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Resolves with the first stdout line `match` accepts; rejects if the child exits first. */
export function waitForLine<T>(
  child: ChildProcess,
  match: (line: string) => T | undefined,
  timeoutMs: number,
  what: string,
  echo?: (line: string) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${what} did not become ready within ${timeoutMs / 1000} s`)), timeoutMs);
    const finish = (error: Error | null, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (done) continue;
        const value = match(line);
        if (value !== undefined) finish(null, value);
        else echo?.(line);
      }
    });
    child.once("exit", (code) => finish(new Error(`${what} exited (code ${code}) before it was ready`)));
  });
}

export interface Supervised {
  /** The child running now (a new one after each restart). */
  current(): ChildProcess;
  restarts(): number;
  /** Stops supervising, then stops the child. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Keeps a child running as ECS or systemd would: when it dies (a crash, a
 * SIGKILL) it is started again after a back-off that doubles from
 * `firstDelayMs` up to `maxDelayMs`, and resets once a child has stayed up for
 * `healthyAfterMs`.
 */
export async function supervise(
  start: () => Promise<ChildProcess>,
  options: { what: string; log: (line: string) => void; firstDelayMs?: number; maxDelayMs?: number; healthyAfterMs?: number },
): Promise<Supervised> {
  const firstDelayMs = options.firstDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const healthyAfterMs = options.healthyAfterMs ?? 60_000;
  let stopping = false;
  let restarts = 0;
  let delayMs = firstDelayMs;
  let timer: NodeJS.Timeout | undefined;
  let child = await start();

  const watch = (running: ChildProcess, startedAt: number) => {
    running.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= healthyAfterMs) delayMs = firstDelayMs;
      options.log(`${options.what} exited (${signal ?? `code ${code}`}); starting it again in ${(delayMs / 1000).toFixed(1)} s`);
      const restart = () => {
        timer = setTimeout(() => {
          if (stopping) return;
          start().then(
            (next) => {
              if (stopping) return void stopProcessGroup(next);
              child = next;
              restarts++;
              watch(next, Date.now());
            },
            (error: unknown) => {
              options.log(`${options.what} did not start: ${error instanceof Error ? error.message : String(error)}`);
              restart();
            },
          );
        }, delayMs);
        delayMs = Math.min(maxDelayMs, delayMs * 2);
      };
      restart();
    });
  };
  watch(child, Date.now());

  return {
    current: () => child,
    restarts: () => restarts,
    async stop(graceMs) {
      stopping = true;
      clearTimeout(timer);
      await stopProcessGroup(child, graceMs);
    },
  };
}
