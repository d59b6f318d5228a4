import { describe, expect, it } from "vitest";
import { detectFormat, parseCsv, parseJsonWithLines, readImportFile } from "./file-format";

describe("reading a JSON import file", () => {
  const text = `{
  "instances": [
    { "id": "pool-a", "tableName": "acme-pool-a", "region": "us-east-1", "mode": "pool" }
  ],
  "tenants": [
    {
      "id": "globex",
      "name": "Globex \\"Corp\\" ✓",
      "tier": "standard"
    },
    { "id": "initech" }
  ]
}`;

  it("gives each row the line its object starts on", () => {
    const read = readImportFile(text);
    expect(read).toMatchObject({ ok: true, format: "json" });
    if (!read.ok) return;
    expect(read.rows.map((r) => [r.kind, r.line, r.fields.id])).toEqual([
      ["instance", 3, "pool-a"],
      ["tenant", 6, "globex"],
      ["tenant", 11, "initech"],
    ]);
    expect(read.rows[1]!.fields.name).toBe('Globex "Corp" ✓');
  });

  it("parses what JSON.parse parses, with the same values", () => {
    const sample = `{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}, "c": []}`;
    expect(parseJsonWithLines(sample).value).toEqual(JSON.parse(sample));
  });

  it("names the line of a syntax error", () => {
    const read = readImportFile('{\n  "tenants": [\n    { "id": "a", }\n  ]\n}');
    expect(read).toEqual({
      ok: false,
      format: "json",
      problems: [{ line: 3, field: null, message: expect.stringMatching(/^not valid JSON: /) }],
    });
  });

  it("refuses unknown sections, non-lists and rows that are not objects", () => {
    const read = readImportFile('{ "instances": {}, "tenant": [], "tenants": [1] }');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => p.field)).toEqual(["instances", "tenant", "tenants"]);
  });

  it("takes sections and fields named like object properties as names (issue 18: toString, __proto__)", () => {
    const read = readImportFile('{ "toString": [], "__proto__": [], "constructor": [], "tenants": [{ "__proto__": { "name": "x" } }] }');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => [p.field, p.message])).toEqual(
      ["toString", "__proto__", "constructor"].map((field) => [field, expect.stringMatching(/unknown section/)]),
    );
    const parsed = parseJsonWithLines('{ "__proto__": { "polluted": 1 } }').value as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed.polluted).toBeUndefined();
  });

  it("refuses a field given twice in one object", () => {
    const read = readImportFile('{ "tenants": [\n { "id": "a", "id": "b" } ] }');
    expect(read).toMatchObject({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/"id" appears twice/) }] });
  });
});

describe("reading a CSV import file", () => {
  it("detects the format from the first character", () => {
    expect(detectFormat('  \n{"tenants": []}')).toBe("json");
    expect(detectFormat("kind,id\n")).toBe("csv");
  });

  it("reads rows by kind with their line numbers, skipping blank lines and leaving empty cells out", () => {
    const text = [
      "kind,id,tableName,region,mode,keyScheme.partitionKey,keyScheme.sortKey,name,planId",
      "instance,pool-a,acme-pool-a,us-east-1,pool,PK,null,,",
      "",
      'tenant,globex,,,,,,"Globex, ""Corp""",standard',
      'tenant,initech,,,,,,"Ini',
      'tech",standard',
      "tenant,hooli,,,,,,Hooli,standard",
    ].join("\r\n");
    const read = readImportFile(text);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.rows).toEqual([
      {
        kind: "instance",
        line: 2,
        fields: {
          id: "pool-a",
          tableName: "acme-pool-a",
          region: "us-east-1",
          mode: "pool",
          keyScheme: { partitionKey: "PK", sortKey: null },
        },
      },
      { kind: "tenant", line: 4, fields: { id: "globex", name: 'Globex, "Corp"', planId: "standard" } },
      { kind: "tenant", line: 5, fields: { id: "initech", name: "Ini\r\ntech", planId: "standard" } },
      { kind: "tenant", line: 7, fields: { id: "hooli", name: "Hooli", planId: "standard" } },
    ]);
  });

  it("names unknown columns, a missing kind column, rows of the wrong width and unknown kinds", () => {
    expect(readImportFile("id,colour\n")).toMatchObject({
      ok: false,
      problems: [
        { line: 1, field: "colour", message: expect.stringMatching(/^unknown column/) },
        { line: 1, field: "kind", message: expect.stringMatching(/needs a kind column/) },
      ],
    });
    expect(readImportFile("kind,id\ntenant,a,b\nplan,x\n")).toMatchObject({
      ok: false,
      problems: [
        { line: 2, field: null, message: "3 cells where the header has 2 columns" },
        { line: 3, field: "kind", message: '"plan" is not instance or tenant' },
      ],
    });
  });

  it("names the line of a quote left open or misplaced", () => {
    expect(parseCsv('a,b\n1,"open\n')).toEqual({ error: "a quoted cell is never closed", line: 2 });
    expect(parseCsv('a,b\n1,x"y\n')).toMatchObject({ line: 2 });
  });
});
