// The local CloudWatch endpoint over HTTP: AWS JSON 1.0 (POST /, X-Amz-Target
// GraniteServiceVersion20100801.<Operation>), gzip request bodies as the SDK
// sends large PutMetricData calls, AWS-shaped errors. Persists its store as
// one JSON file per hour under `dataDir`, rewriting only changed hours.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { CloudWatchError, serializationError, unknownOperation } from "./errors";
import { getMetricData, getMetricStatistics, listMetrics, putMetricData } from "./operations";
import { MetricStore, type StoreSnapshotPartition } from "./store";

export interface CloudWatchEndpointOptions {
  port?: number;
  host?: string;
  /** Directory for the hourly snapshot files; in memory only when omitted. */
  dataDir?: string;
  retentionMs?: number;
  snapshotIntervalMs?: number;
  now?: () => number;
}

export interface CloudWatchEndpoint {
  url: string;
  port: number;
  store: MetricStore;
  stop(): Promise<void>;
}

const targetPrefix = "GraniteServiceVersion20100801.";
const maxBodyBytes = 2 * 1024 * 1024;
const operations = {
  PutMetricData: putMetricData,
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
} as const;

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) reject(serializationError("The request body is larger than 2 MB."));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sendError(response: http.ServerResponse, error: CloudWatchError): void {
  send(
    response,
    error.status,
    { __type: `com.amazonaws.cloudwatch#${error.type}`, message: error.message },
    { "x-amzn-query-error": `${error.queryCode};${error.fault}` },
  );
}

async function loadSnapshots(store: MetricStore, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  for (const file of (await readdir(dataDir)).filter((f) => /^hour-\d+\.json$/.test(f))) {
    try {
      store.restore(JSON.parse(await readFile(path.join(dataDir, file), "utf8")) as StoreSnapshotPartition);
    } catch (error) {
      console.error(`local CloudWatch: skipped unreadable ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  store.takeDirtyPartitions();
}

async function saveSnapshots(store: MetricStore, dataDir: string, nowMs: number): Promise<void> {
  for (const hour of store.expire(nowMs)) await rm(path.join(dataDir, `hour-${hour}.json`), { force: true });
  for (const partition of store.takeDirtyPartitions()) {
    const file = path.join(dataDir, `hour-${partition.hourMs}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(partition));
    await rename(`${file}.tmp`, file);
  }
}

export async function startCloudWatchEndpoint(options: CloudWatchEndpointOptions = {}): Promise<CloudWatchEndpoint> {
  const now = options.now ?? Date.now;
  const store = new MetricStore(options.retentionMs ?? 48 * 3_600_000);
  if (options.dataDir) await loadSnapshots(store, options.dataDir);

  const server = http.createServer((request, response) => {
    void (async () => {
      try {
        if (request.method === "GET" && (request.url === "/" || request.url === "/health")) {
          send(response, 200, { status: "ok", ...store.stats() });
          return;
        }
        if (request.method !== "POST") throw unknownOperation(`${request.method} ${request.url}`);
        const target = String(request.headers["x-amz-target"] ?? "");
        const operation = target.startsWith(targetPrefix)
          ? operations[target.slice(targetPrefix.length) as keyof typeof operations]
          : undefined;
        if (!operation) throw unknownOperation(target || "(no X-Amz-Target)");
        let raw = await readBody(request);
        if (request.headers["content-encoding"] === "gzip") {
          try {
            raw = gunzipSync(raw, { maxOutputLength: maxBodyBytes });
          } catch {
            throw serializationError("The request body is not valid gzip, or is larger than 2 MB uncompressed.");
          }
        }
        let body: unknown;
        try {
          body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
        } catch {
          throw serializationError("The request body is not valid JSON.");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body))
          throw serializationError("The request body must be a JSON object.");
        send(response, 200, operation(store, body as Record<string, unknown>, now()));
      } catch (error) {
        if (error instanceof CloudWatchError) sendError(response, error);
        else {
          console.error("local CloudWatch:", error);
          sendError(response, new CloudWatchError("InternalServiceFault", "InternalServiceError", "Internal error", 500, "Receiver"));
        }
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    if (!options.dataDir) return saving;
    saving = saving
      .then(() => saveSnapshots(store, options.dataDir!, now()))
      .catch((error: unknown) => console.error("local CloudWatch: could not save:", error));
    return saving;
  };
  const timer = setInterval(() => {
    if (!options.dataDir) store.expire(now());
    void save();
  }, options.snapshotIntervalMs ?? 30_000);
  timer.unref();

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    store,
    async stop() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await save();
    },
  };
}
