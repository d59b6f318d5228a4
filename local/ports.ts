import net from "node:net";

/** Fails with a clear message when the port is taken, instead of a late EADDRINUSE from a child. */
export async function assertPortFree(port: number, what: string, host = "127.0.0.1"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `${what}: port ${port} on ${host} is already in use. Stop what holds it, or choose another port (see docs/configuration.md, "Ports").`
            : `${what}: cannot listen on ${host}:${port}: ${error.message}`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
