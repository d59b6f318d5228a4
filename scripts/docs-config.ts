// `npm run docs:config`: writes the variable tables of docs/configuration.md
// from the schemas (lib/config/variables.ts, local/config.ts). A unit test
// fails while the document and the schemas differ.
import { readFileSync, writeFileSync } from "node:fs";
import { configurationDocument, renderConfigurationDocument } from "../lib/config/reference";
import { localVariableGroups, localVariables } from "../local/config";

const before = readFileSync(configurationDocument, "utf8");
const after = renderConfigurationDocument(before, { variables: localVariables, groups: localVariableGroups });
writeFileSync(configurationDocument, after);
console.log(after === before ? "docs/configuration.md is up to date" : "docs/configuration.md rewritten from the schemas");
