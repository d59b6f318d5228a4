import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Modules marked server-only are exactly the ones these tests exercise.
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.{ts,tsx}", "local/**/*.test.ts", "prisma/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
          environment: "node",
          // A limit for a busy machine, not an expectation: vitest's default of 5 s is within reach of a loaded one.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["node_modules/**", ".scratch/**"],
          environment: "node",
          // Each file starts its own databases, endpoints and ports (throwaway PostgreSQL databases, OS-chosen ports,
          // temporary directories), so three run at once: much of their time is spent waiting on leases, routing caches
          // and child processes (a whole run keeps 2 cores about 65 % busy), which overlaps well even on 2 busy cores.
          // The longest suites run each database from a file of its own, so no single file is the run's tail.
          fileParallelism: true,
          maxWorkers: 3,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
