import path from "node:path";

export type DemoRole = "admin" | "operator" | "support";

/** Where the setup project keeps each role's signed-in session. */
export function storageStateFor(role: DemoRole): string {
  return path.join("e2e", ".auth", `${role}.json`);
}
