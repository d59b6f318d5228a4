// docs/configuration.md and README's configuration table say what the schemas say.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localVariableGroups, localVariables } from "../../local/config";
import { configurationDocument, renderConfigurationDocument, withGeneratedBlock } from "./reference";
import { variables } from "./variables";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("the configuration reference", () => {
  it("is generated from the schemas (run npm run docs:config after changing a variable)", () => {
    const document = read(configurationDocument);
    expect(renderConfigurationDocument(document, { variables: localVariables, groups: localVariableGroups })).toBe(document);
  });

  it("lists in README's table only variables the schema knows", () => {
    const table = read("README.md")
      .split("\n")
      .filter((line) => line.startsWith("| `"));
    const named = table.flatMap((line) => [...line.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in variables) && !(name in localVariables))).toEqual([]);
  });

  it("refuses a document without its generated block", () => {
    expect(() => withGeneratedBlock("# Configuration\n", "console", "x")).toThrow(/no "console" block/);
  });
});
