import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readImportFile } from "./file-format";
import { validateImport, type CatalogFacts } from "./validate";

const catalog: CatalogFacts = {
  planIds: new Set(["basic", "standard", "premium"]),
  instances: new Map([
    ["pool-old", { mode: "pool" as const, keyScheme: null }],
    ["silo-old", { mode: "silo" as const, keyScheme: null }],
  ]),
};

function validate(text: string) {
  const read = readImportFile(text);
  if (!read.ok) throw new Error(`unreadable: ${JSON.stringify(read.problems)}`);
  return validateImport(read.rows, catalog);
}

const header =
  "kind,id,tableName,region,mode,keyScheme.partitionKey,keyScheme.sortKey,keyScheme.template,name,tier,deploymentModel,planId,storageInstanceId,bridgeEntity,bridgeInstanceId,contactEmail";
const csv = (...rows: string[]) => [header, ...rows].join("\n");

describe("validating an import file", () => {
  it("accepts a fleet, with key schemes checked and defaults filled", () => {
    const result = validate(
      csv(
        "instance,pool-a,acme-pool-a,us-east-1,pool,PK,SK,TENANT#{tenantId},,,,,,,,",
        "instance,silo-b,acme-silo-b,eu-west-1,silo,,,,,,,,,,,",
        "tenant,globex,,,,,,,Globex ✓,standard,pool,standard,pool-a,,,ops@globex.test",
        "tenant,initech,,,,,,,Initech,premium,silo,premium,silo-b,,,",
        "tenant,hooli,,,,,,,Hooli,standard,bridge,standard,pool-old,orders,silo-old,",
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fleet.instances.map((i) => [i.id, i.line, i.keyScheme.partitionKey, i.keyScheme.template, i.customScheme])).toEqual([
      ["pool-a", 2, "PK", "TENANT#{tenantId}", true],
      ["silo-b", 3, "pk", "{tenantId}#{entity}", false],
    ]);
    expect(result.fleet.tenants.map((t) => [t.id, t.line, t.contactEmail, t.bridgeEntity])).toEqual([
      ["globex", 4, "ops@globex.test", null],
      ["initech", 5, null, null],
      ["hooli", 6, null, "orders"],
    ]);
  });

  it("names every bad row with its line, field and a clear message, in file order", () => {
    const result = validate(
      csv(
        "instance,pool-a,acme-pool-a,us-east-1,pool,,,,,,,,,,,",
        "instance,pool-a,acme-pool-z,us-east-1,pool,,,,,,,,,,,",
        "instance,Pool_B,acme-pool-a,us-east-9x,lake,,,,,,,,,,,",
        "instance,pool-c,acme-pool-c,us-east-1,pool,,,{tenantId}{entity},,,,,,,,",
        "tenant,globex,,,,,,,Globex,standard,pool,gold,pool-a,,,",
        "tenant,globex,,,,,,,Globex again,standard,pool,standard,pool-a,,,",
        'tenant,initech,,,,,,,"Ini\ttech",standard,pool,standard,pool-nowhere,,,not-an-email',
        "tenant,hooli,,,,,,,Hooli,premium,silo,premium,pool-a,,,",
        "tenant,umbrella,,,,,,,Umbrella,premium,silo,premium,silo-old,,,",
        "tenant,stark,,,,,,,Stark,premium,silo,premium,silo-old,,,",
        "tenant,wayne,,,,,,,Wayne,standard,bridge,standard,pool-a,,,",
        "tenant,acme,,,,,,,Acme,standard,pool,standard,pool-a,orders,,",
        "tenant,x,,,,,,,,gold,,,,,,",
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problems = result.problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    expect(problems).toEqual([
      "3 id: duplicate storage instance id pool-a (also on line 2)",
      expect.stringMatching(/^4 id: Not a valid storage instance id/),
      "4 region: An AWS region such as us-east-1",
      "4 mode: Either pool or silo",
      expect.stringMatching(/^5 keyScheme: template: ambiguous/),
      expect.stringMatching(/^6 planId: unknown throttling plan gold \(the catalog has basic, premium, standard\)/),
      "7 id: duplicate tenant id globex (also on line 6)",
      "8 name: No control characters (NUL, tab, line break, escape…)",
      "8 contactEmail: An e-mail address such as ops@example.com",
      "9 storageInstanceId: storage instance pool-a is a pool; a silo tenant's placement needs a silo",
      "11 storageInstanceId: silo silo-old already holds tenant umbrella (line 10); a silo holds one tenant",
      expect.stringMatching(/^12 bridgeEntity: a bridge tenant names the entity/),
      "12 bridgeInstanceId: a bridge tenant names the silo that holds its bridged entity",
      "13 bridgeEntity: only a bridge tenant has a bridged entity",
      expect.stringMatching(/^14 id: Not a valid tenant id/),
      "14 name: Give the tenant's name",
      expect.stringMatching(/^14 tier: One of /),
      expect.stringMatching(/^14 deploymentModel: One of /),
      "14 planId: Give the throttling plan's id",
      "14 storageInstanceId: Give the storage instance id",
    ]);
    // The ambiguous template's instance is not declared: its tenants point at a row with problems.
    expect(
      validate(csv("instance,pool-c,t-c,us-east-1,pool,,,{tenantId}{entity},,,,,,,,", "tenant,acme,,,,,,,A,basic,pool,basic,pool-c,,,")),
    ).toMatchObject({
      ok: false,
      problems: [
        { line: 2 },
        { line: 3, field: "storageInstanceId", message: "storage instance pool-c is declared on line 2, which has problems" },
      ],
    });
  });

  it("names fields that do not belong to a row's kind", () => {
    const result = validate(
      '{"instances": [{"id": "pool-a", "tableName": "t-a", "region": "us-east-1", "mode": "pool", "planId": "x"}],\n"tenants": []}',
    );
    expect(result).toEqual({ ok: false, problems: [{ line: 1, field: "planId", message: "not a field of this kind of row" }] });
  });

  it("refuses schemes the instance cannot serve, and schemes whose keys do not carry the tenant", () => {
    const json = (mode: string, keyScheme: unknown) =>
      `{"instances": [\n{"id": "i-one", "tableName": "t-one", "region": "us-east-1", "mode": "${mode}", "keyScheme": ${JSON.stringify(keyScheme)}}]}`;
    expect(validate(json("pool", { template: null, tenantAttribute: "org", tenantIndex: "byOrg" }))).toMatchObject({
      ok: false,
      problems: [{ line: 2, field: "keyScheme", message: expect.stringMatching(/a pool's keys must carry the tenant/) }],
    });
    expect(validate(json("silo", { template: null }))).toMatchObject({
      ok: false,
      problems: [{ line: 2, field: "keyScheme.template", message: expect.stringMatching(/cannot be imported yet/) }],
    });
    expect(validate(json("pool", { partitionKey: "PK", colour: "blue" }))).toMatchObject({
      ok: false,
      problems: [{ line: 2, field: "keyScheme", message: expect.stringMatching(/colour/) }],
    });
  });

  it("refuses a bridge tenant whose pool's scheme has no entity partitions", () => {
    const text = `{"instances": [{"id": "pool-t", "tableName": "t-pool", "region": "us-east-1", "mode": "pool", "keyScheme": {"template": "TENANT#{tenantId}"}}],
"tenants": [{"id": "wayne", "name": "Wayne", "tier": "standard", "deploymentModel": "bridge", "planId": "standard", "storageInstanceId": "pool-t", "bridgeEntity": "orders", "bridgeInstanceId": "silo-old"}]}`;
    expect(validate(text)).toMatchObject({
      ok: false,
      problems: [{ line: 2, field: "deploymentModel", message: expect.stringMatching(/no \{entity\} partitions/) }],
    });
  });

  it("refuses an empty file", () => {
    expect(validate("{}")).toEqual({ ok: false, problems: [{ line: null, field: null, message: expect.stringMatching(/declares no/) }] });
  });
});

describe("the documented examples (docs/fleet-import.md)", () => {
  const facts: CatalogFacts = { planIds: new Set(["basic", "standard", "premium", "enterprise"]), instances: new Map() };
  const example = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../docs/examples", name), "utf8");

  it("are valid, and the JSON and CSV forms declare the same fleet", () => {
    const fleets = ["fleet-import.json", "fleet-import.csv"].map((name) => {
      const read = readImportFile(example(name));
      if (!read.ok) throw new Error(`${name}: ${JSON.stringify(read.problems)}`);
      const result = validateImport(read.rows, facts);
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.problems)}`);
      const withoutLines = <T extends { line: number }>(rows: T[]) =>
        rows.map(({ line: _line, ...row }) => row).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return { instances: withoutLines(result.fleet.instances), tenants: withoutLines(result.fleet.tenants) };
    });
    expect(fleets[1]).toEqual(fleets[0]);
    expect(fleets[0]!.tenants).toHaveLength(4);
  });
});
