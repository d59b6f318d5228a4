import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Modules marked server-only are exactly the ones these tests exercise.
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

/**
 * The integration suites that take longest, longest first (in the order of CI's per-file times). Vitest starts the
 * largest files first when it has no timings (a fresh clone, as in CI), and the longest suites are run by files of a
 * few lines (one per database), or are small files that mostly wait, so they would start last and be the run's tail.
 */
const longestSuites = [
  /crash-matrix\.(pglite|postgresql)\./,
  /migration\.(pglite|postgresql)\./,
  /backup-restore\.(pglite|postgresql)\./,
  /onboarding\.integration/,
  /key-schemes\.integration/,
  /engine\.integration/,
  /point-of-no-return\.integration/,
  /refusals\.integration/,
  /suspension\.integration/,
  /integration-check\.integration/,
  /fleet-watch\/queries\.integration/,
  /offboarding\.(pglite|postgresql)\./,
  /adoption\.integration/,
  /fleet-checks\.integration/,
  /fleet-import\.integration/,
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = longestSuites.findIndex((pattern) => pattern.test(file.moduleId));
      return index < 0 ? longestSuites.length : index;
    };
    // A stable sort: within a rank, vitest's own order (recorded durations, else size).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    sequence: { sequencer: LongestFirst },
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
          // One migrated PGlite data directory that every file's embedded database starts from.
          globalSetup: ["lib/db/__tests__/pglite-template.ts"],
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
