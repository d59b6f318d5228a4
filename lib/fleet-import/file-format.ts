// The import file as text: JSON or CSV, read into rows that remember the line
// they start on, so every problem found later names its line. Pure: no catalog,
// no AWS (file-format.test.ts). The format is documented in docs/fleet-import.md.
//
// JSON: { "instances": [ {...}, ... ], "tenants": [ {...}, ... ] }; a row's line
// is the line of its opening brace.
// CSV: one header line, then one row per line with a `kind` column (instance or
// tenant); a key scheme is spread over `keyScheme.<field>` columns. An empty
// cell is a field not given; `null` in a key-scheme column is JSON's null.

export type RowKind = "instance" | "tenant";

export interface RawRow {
  kind: RowKind;
  /** 1-based line of the file where the row starts. */
  line: number;
  fields: Record<string, unknown>;
}

export interface ImportProblem {
  /** 1-based line of the file; null for the file as a whole. */
  line: number | null;
  /** The field at fault (e.g. "planId", "keyScheme.template"); null for the row or the file. */
  field: string | null;
  message: string;
}

export type ReadResult =
  { ok: true; format: ImportFormat; rows: RawRow[] } | { ok: false; format: ImportFormat; problems: ImportProblem[] };

export type ImportFormat = "json" | "csv";

/** JSON when the first non-blank character opens an object, else CSV. */
export function detectFormat(text: string): ImportFormat {
  return /^\uFEFF?\s*\{/.test(text) ? "json" : "csv";
}

export function readImportFile(text: string, format: ImportFormat = detectFormat(text)): ReadResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const result = format === "json" ? readJson(body) : readCsv(body);
  return result.problems.length ? { ok: false, format, problems: result.problems } : { ok: true, format, rows: result.rows };
}

// ---------------------------------------------------------------- JSON

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * JSON.parse's grammar, recording the line each object starts on (JSON.parse
 * gives no positions). Strings and numbers are handed to JSON.parse itself.
 */
export function parseJsonWithLines(text: string): { value: unknown; lines: WeakMap<object, number> } {
  const lines = new WeakMap<object, number>();
  let at = 0;
  let line = 1;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line);
  };
  const skip = () => {
    for (;;) {
      const c = text[at];
      if (c === "\n") line++;
      else if (c !== " " && c !== "\t" && c !== "\r") return;
      at++;
    }
  };
  const expect = (c: string) => {
    skip();
    if (text[at] !== c) fail(at >= text.length ? `unexpected end of file, expected "${c}"` : `expected "${c}", found "${text[at]}"`);
    at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    for (;;) {
      const c = text[at];
      if (c === undefined || c === "\n") fail("unterminated string");
      if (c === "\\") at += 2;
      else if (c === '"') break;
      else at++;
    }
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return fail("malformed string (a control character or a bad escape)");
    }
  };
  const value = (): unknown => {
    skip();
    const c = text[at];
    if (c === "{") {
      const object: Record<string, unknown> = {};
      lines.set(object, line);
      at++;
      skip();
      if (text[at] === "}") {
        at++;
        return object;
      }
      for (;;) {
        skip();
        if (text[at] !== '"')
          fail(`expected a field name in quotes, found ${text[at] === undefined ? "the end of the file" : `"${text[at]}"`}`);
        const key = string();
        expect(":");
        if (Object.hasOwn(object, key)) fail(`field "${key}" appears twice in one object`);
        // Defined, not assigned: a field named "__proto__" stays a field (assigning it would replace the object's prototype).
        Object.defineProperty(object, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skip();
        if (text[at] === ",") {
          at++;
          continue;
        }
        expect("}");
        return object;
      }
    }
    if (c === "[") {
      const array: unknown[] = [];
      at++;
      skip();
      if (text[at] === "]") {
        at++;
        return array;
      }
      for (;;) {
        array.push(value());
        skip();
        if (text[at] === ",") {
          at++;
          continue;
        }
        expect("]");
        return array;
      }
    }
    if (c === '"') return string();
    for (const [word, literal] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 64));
    if (number) {
      at += number[0].length;
      return Number(number[0]);
    }
    return fail(c === undefined ? "unexpected end of file" : `unexpected "${c}"`);
  };
  const result = value();
  skip();
  if (at < text.length) fail(`unexpected "${text[at]}" after the end of the document`);
  return { value: result, lines };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

// A Map, so a section named "toString" or "__proto__" is an unknown section, not a property every object has.
const sections = new Map<string, RowKind>([
  ["instances", "instance"],
  ["tenants", "tenant"],
]);

function readJson(text: string): { rows: RawRow[]; problems: ImportProblem[] } {
  let parsed: ReturnType<typeof parseJsonWithLines>;
  try {
    parsed = parseJsonWithLines(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      return { rows: [], problems: [{ line: error.line, field: null, message: `not valid JSON: ${error.message}` }] };
    throw error;
  }
  const { value, lines } = parsed;
  if (!isObject(value))
    return {
      rows: [],
      problems: [{ line: 1, field: null, message: 'the file must be one JSON object: { "instances": [...], "tenants": [...] }' }],
    };
  const rows: RawRow[] = [];
  const problems: ImportProblem[] = [];
  const top = lines.get(value) ?? 1;
  for (const [key, list] of Object.entries(value)) {
    const kind = sections.get(key);
    if (!kind) {
      problems.push({ line: top, field: key, message: 'unknown section: the file has "instances" and "tenants"' });
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push({ line: top, field: key, message: "must be a list ([...])" });
      continue;
    }
    for (const element of list) {
      if (!isObject(element)) {
        problems.push({ line: top, field: key, message: `every ${kind} must be an object ({...}), found ${JSON.stringify(element)}` });
        continue;
      }
      rows.push({ kind, line: lines.get(element) ?? top, fields: element });
    }
  }
  return { rows, problems };
}

// ---------------------------------------------------------------- CSV

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. Each record keeps its first line. */
export function parseCsv(text: string): { line: number; cells: string[] }[] | { error: string; line: number } {
  const records: { line: number; cells: string[] }[] = [];
  let line = 1;
  let at = 0;
  while (at < text.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = "";
      if (text[at] === '"') {
        at++;
        for (;;) {
          if (at >= text.length) return { error: "a quoted cell is never closed", line: start };
          const c = text[at]!;
          if (c === '"') {
            if (text[at + 1] === '"') {
              cell += '"';
              at += 2;
              continue;
            }
            at++;
            break;
          }
          if (c === "\n") line++;
          cell += c;
          at++;
        }
        const next = text[at];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r")
          return { error: "text after a quoted cell's closing quote (double a quote inside a quoted cell)", line };
      } else {
        while (at < text.length && text[at] !== "," && text[at] !== "\n" && text[at] !== "\r") cell += text[at++];
        if (cell.includes('"')) return { error: "a quote inside an unquoted cell (quote the whole cell and double the quote)", line };
      }
      cells.push(cell);
      if (text[at] === ",") {
        at++;
        continue;
      }
      break;
    }
    if (text[at] === "\r") at++;
    if (text[at] === "\n") {
      at++;
      line++;
    }
    if (!(cells.length === 1 && cells[0]!.trim() === "")) records.push({ line: start, cells });
  }
  return records;
}

const keySchemeColumn = "keyScheme.";
export const keySchemeFields = ["partitionKey", "sortKey", "template", "tenantAttribute", "tenantIndex", "changeStamp"] as const;
export const instanceFields = ["id", "tableName", "region", "mode"] as const;
export const tenantFields = [
  "id",
  "name",
  "tier",
  "deploymentModel",
  "planId",
  "storageInstanceId",
  "bridgeEntity",
  "bridgeInstanceId",
  "contactEmail",
] as const;
export const csvColumns = [
  "kind",
  ...new Set<string>([...instanceFields, ...tenantFields]),
  ...keySchemeFields.map((field) => `${keySchemeColumn}${field}`),
];

function readCsv(text: string): { rows: RawRow[]; problems: ImportProblem[] } {
  const records = parseCsv(text);
  if (!Array.isArray(records))
    return { rows: [], problems: [{ line: records.line, field: null, message: `not valid CSV: ${records.error}` }] };
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: null, field: null, message: "the file is empty" }] };
  const columns = header.cells.map((cell) => cell.trim());
  const problems: ImportProblem[] = [];
  columns.forEach((column, index) => {
    if (!csvColumns.includes(column))
      problems.push({
        line: header.line,
        field: column || `column ${index + 1}`,
        message: `unknown column (columns: ${csvColumns.join(", ")})`,
      });
    else if (columns.indexOf(column) !== index) problems.push({ line: header.line, field: column, message: "the column appears twice" });
  });
  if (!columns.includes("kind"))
    problems.push({ line: header.line, field: "kind", message: "the header needs a kind column (instance or tenant)" });
  if (problems.length) return { rows: [], problems };
  const rows: RawRow[] = [];
  for (const record of body) {
    if (record.cells.length !== columns.length) {
      problems.push({
        line: record.line,
        field: null,
        message: `${record.cells.length} cells where the header has ${columns.length} columns`,
      });
      continue;
    }
    const cells = Object.fromEntries(columns.map((column, index) => [column, record.cells[index]!]));
    const kind = cells.kind!.trim();
    if (kind !== "instance" && kind !== "tenant") {
      problems.push({ line: record.line, field: "kind", message: `"${kind}" is not instance or tenant` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    const keyScheme: Record<string, string | null> = {};
    for (const [column, cell] of Object.entries(cells)) {
      if (column === "kind" || cell === "") continue;
      if (column.startsWith(keySchemeColumn)) keyScheme[column.slice(keySchemeColumn.length)] = cell.trim() === "null" ? null : cell;
      else fields[column] = cell;
    }
    if (Object.keys(keyScheme).length) fields.keyScheme = keyScheme;
    rows.push({ kind, line: record.line, fields });
  }
  return { rows, problems };
}
