// The dependency rule (docs/architecture.md): lib/ is layered, and a module
// imports only from its own layer or those below it; a concern never imports
// another concern; nothing in lib/, app/ or components/ imports local/ (they
// see AWS endpoints and a database URL, never the embedded stack).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** lib/'s folders from the ground up. */
export const layers = [
  { name: "base", folders: ["generated", "config", "db", "aws", "validation", "fairness", "random.ts"] },
  {
    name: "infrastructure",
    folders: ["catalog", "auth", "audit", "storage", "routing", "metrics", "health", "enforcement", "placement", "data-plane"],
  },
  { name: "engine", folders: ["operations"] },
  {
    name: "concerns",
    folders: [
      "onboarding",
      "throttling",
      "migration",
      "backup",
      "dashboards",
      "users",
      "fleet-checks",
      "integration-check",
      "fleet-import",
      "fleet-watch",
      "lifecycle",
      "cost",
    ],
  },
  { name: "registry", folders: ["worker"] },
] as const;

const layerOf = new Map<string, number>(layers.flatMap((layer, index) => layer.folders.map((folder) => [folder, index] as const)));
const concerns = new Set<string>(layers.find((layer) => layer.name === "concerns")!.folders);

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return ["generated", "__tests__", "node_modules"].includes(name) ? [] : sources(file);
    return /\.(ts|tsx|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path.relative(root, file)] : [];
  });
}

const specifiers = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

function resolve(importer: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.relative(root, path.resolve(root, path.dirname(importer), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return base;
}

export function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(specifiers)].map((match) => resolve(file, match[1]!)).filter((target): target is string => target !== null);
}

const topFolder = (file: string) => file.split("/")[0]!;
const libFolder = (file: string) => file.split("/")[1]!;

/** Why `importer` may not import `imported`, or null when it may. */
export function violation(importer: string, imported: string): string | null {
  const from = topFolder(importer);
  const to = topFolder(imported);
  if (to === "local" && ["lib", "app", "components"].includes(from)) return "only tests, benchmarks and scripts know the embedded stack";
  if (from === "lib" && ["app", "components", "local", "bench", "e2e", "scripts", "prisma"].includes(to))
    return "lib/ is below everything that uses it";
  if (from === "components" && to === "app") return "components are used by pages, never the other way";
  if (from !== "lib" || to !== "lib") return null;
  const a = libFolder(importer);
  const b = libFolder(imported);
  if (a === b) return null;
  const la = layerOf.get(a);
  const lb = layerOf.get(b);
  if (la === undefined) return `lib/${a} is in no layer (add it to layers in lib/__tests__/layers.test.ts and docs/architecture.md)`;
  if (lb === undefined) return `lib/${b} is in no layer`;
  if (lb > la) return `${layers[la]!.name} (lib/${a}) may not import ${layers[lb]!.name} (lib/${b})`;
  if (concerns.has(a) && concerns.has(b))
    return `concerns are independent: lib/${a} may not import lib/${b} (move what both need to a lower layer)`;
  return null;
}

const files = ["lib", "app", "components"].flatMap((dir) => sources(path.join(root, dir)));

describe("the dependency rule", () => {
  it("no module imports upward, across concerns, or into the embedded stack", () => {
    const broken = files.flatMap((file) =>
      importsOf(file)
        .map((target) => ({ target, why: violation(file, target) }))
        .filter((edge) => edge.why !== null)
        .map((edge) => `${file} -> ${edge.target}: ${edge.why}`),
    );
    expect(broken).toEqual([]);
  });

  it("every folder of lib/ belongs to a layer", () => {
    const folders = readdirSync(path.join(root, "lib")).filter(
      (name) => !name.startsWith("__") && (statSync(path.join(root, "lib", name)).isDirectory() || name.endsWith(".ts")),
    );
    expect(folders.filter((folder) => !layerOf.has(folder))).toEqual([]);
  });

  it("only the worker, the operations and fleet checks pages, and tests see every operation kind", () => {
    const seeing = files.filter(
      (file) => importsOf(file).some((target) => target === "lib/worker/kinds.ts") && !file.startsWith("lib/worker/"),
    );
    // The fleet checks read what every kind says it leaves behind (OperationDefinition.copies).
    expect(seeing.every((file) => file.startsWith("app/(console)/operations/") || file.startsWith("app/(console)/fleet-checks/"))).toBe(
      true,
    );
  });

  it("the data-plane library and everything it imports stay free of the console (config, database, Prisma, server-only, Next.js)", () => {
    const forbidden = /^(?:server-only|next(?:\/.*)?|@prisma\/.*|@\/.*)$/;
    const seen = new Set<string>();
    const broken: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(path.join(root, file), "utf8");
      for (const [, specifier] of text.matchAll(specifiers)) {
        if (forbidden.test(specifier!)) broken.push(`${file} imports ${specifier}`);
        const target = resolve(file, specifier!);
        if (target === null) continue;
        if (!target.startsWith("lib/")) broken.push(`${file} imports ${target} (outside lib/)`);
        else if (["config", "db", "generated", "aws"].includes(libFolder(target))) broken.push(`${file} imports ${target}`);
        else visit(target);
      }
    };
    for (const file of files.filter((f) => f.startsWith("lib/data-plane/"))) visit(file);
    expect(seen.size).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });

  it("would catch the mistakes it exists for", () => {
    expect(violation("lib/operations/queue.ts", "lib/migration/operation.ts")).toMatch(/engine .* may not import concerns/);
    expect(violation("lib/migration/plan.ts", "lib/onboarding/operation.ts")).toMatch(/concerns are independent/);
    expect(violation("lib/storage/tenant-access.ts", "lib/operations/deps.ts")).toMatch(/infrastructure .* may not import engine/);
    expect(violation("app/(console)/page.tsx", "local/demo.ts")).not.toBeNull();
    expect(violation("lib/migration/plan.ts", "lib/placement/silo.ts")).toBeNull();
    expect(files.length).toBeGreaterThan(150);
  });
});
