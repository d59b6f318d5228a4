// The configuration reference in docs/configuration.md, rendered from the
// variables' own schemas, defaults and meanings (`npm run docs:config`).
import type { z } from "zod";
import { variableGroups, variables, type Variable } from "./variables";

function shownDefault(variable: Variable<z.ZodType, string>): string {
  if (variable.shownDefault) return variable.shownDefault;
  const parsed = variable.schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : "unset";
}

/** One table per group: `| variable | default | meaning |`. */
export function referenceTables(variables: Record<string, Variable<z.ZodType, string>>, groups: Record<string, string>): string {
  return Object.entries(groups)
    .map(([group, heading]) => {
      const rows = Object.entries(variables)
        .filter(([, variable]) => variable.group === group)
        .map(([name, variable]) => `| \`${name}\` | ${shownDefault(variable)} | ${variable.meaning} |`);
      return [`#### ${heading}`, "", "| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
    })
    .join("\n\n");
}

export const generatedStart = (block: string) => `<!-- generated: ${block} (npm run docs:config) -->`;
export const generatedEnd = (block: string) => `<!-- end generated: ${block} -->`;

/** Replaces the generated block in a document; throws when its markers are missing. */
export function withGeneratedBlock(document: string, block: string, content: string): string {
  const start = document.indexOf(generatedStart(block));
  const end = document.indexOf(generatedEnd(block));
  if (start < 0 || end < start) throw new Error(`the document has no "${block}" block (${generatedStart(block)} … ${generatedEnd(block)})`);
  return `${document.slice(0, start)}${generatedStart(block)}\n\n${content}\n\n${document.slice(end)}`;
}

export const configurationDocument = "docs/configuration.md";

/** docs/configuration.md with both generated blocks rewritten: the console's variables and the embedded stack's. */
export function renderConfigurationDocument(
  document: string,
  embeddedStack: { variables: Record<string, Variable<z.ZodType, string>>; groups: Record<string, string> },
): string {
  const consoleTables = referenceTables(variables, variableGroups);
  const withConsole = withGeneratedBlock(document, "console", consoleTables);
  return withGeneratedBlock(withConsole, "embedded stack", referenceTables(embeddedStack.variables, embeddedStack.groups));
}
