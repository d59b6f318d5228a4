// The documentation stays true to the repository: README.md stays a front
// page (at most 200 lines; the rest lives in docs/), every repository path
// that README.md, docs/ or a code comment mentions exists, and every relative
// link between the docs resolves, anchor included.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const thisFile = path.relative(root, import.meta.filename);

export const readmeMaxLines = 200;

/** The repository's top-level folders that docs and comments cite paths in. */
const citedFolders = ["lib", "app", "components", "local", "bench", "e2e", "scripts", "prisma", "docs", "public", ".ci"];
const pathPattern = new RegExp(`(?<![\\w./@-])(?:${citedFolders.map((f) => f.replace(".", "\\.")).join("|")})/[\\w.()\\[\\]/-]*`, "g");

/** Paths into the repository that `text` mentions, without sentence punctuation or an enclosing parenthesis. */
export function mentionedPaths(text: string): string[] {
  const unbalanced = (cited: string, open: string, close: string) =>
    cited.endsWith(close) && cited.split(close).length > cited.split(open).length;
  return [...text.matchAll(pathPattern)].map((match) => {
    let cited = match[0].split("](")[0]!;
    for (;;) {
      let next = cited.replace(/[.,:;]+$/, "");
      if (unbalanced(next, "(", ")") || unbalanced(next, "[", "]")) next = next.slice(0, -1);
      if (next === cited) return cited;
      cited = next;
    }
  });
}

/** What a source file says in its comments (`//`, `/* … *\/`, and `#` in shell scripts), where it cites files. */
export function commentsOf(source: string, shell = false): string {
  const line = shell ? /(?:^|\s)#(.*)$/gm : /(?:^|[\s;{}(])\/\/(.*)$/gm;
  const blocks = shell ? [] : [...source.matchAll(/\/\*([\s\S]*?)\*\//g)].map((match) => match[1]!);
  return [...[...source.matchAll(line)].map((match) => match[1]!), ...blocks].join("\n");
}

export function missingPaths(text: string): string[] {
  return [...new Set(mentionedPaths(text))].filter((cited) => !existsSync(path.join(root, cited)));
}

const withoutCode = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");

/** The anchors GitHub gives a document's headings. */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Relative links in `markdown` (the text of `file`, relative to the root) whose target or anchor does not exist. */
export function brokenLinks(file: string, markdown: string): string[] {
  const broken: string[] = [];
  for (const [, target] of withoutCode(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
    const [linked, anchor] = target!.split("#", 2) as [string, string | undefined];
    const resolved = linked ? path.join(path.dirname(file), linked) : file;
    const absolute = path.join(root, resolved);
    if (linked && !existsSync(absolute)) {
      broken.push(`${target} (no ${resolved})`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith(".md")) continue;
    const text = resolved === file ? markdown : readFileSync(absolute, "utf8");
    if (!headingAnchors(text).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${resolved})`);
  }
  return broken;
}

function walk(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(path.join(root, dir))) return [];
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(path.join(root, file)).isDirectory()) return ["node_modules", "generated", ".next"].includes(name) ? [] : walk(file, keep);
    return keep(name) ? [file] : [];
  });
}

const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const docs = ["README.md", ...walk("docs", (name) => name.endsWith(".md"))];
const code = [
  ...["lib", "app", "components", "local", "bench", "e2e", "scripts", "prisma"].flatMap((dir) =>
    walk(dir, (name) => /\.(ts|tsx|mjs|cjs)$/.test(name)),
  ),
  ...readdirSync(root).filter((name) => /\.(ts|mjs)$/.test(name)),
  ".ci/run",
].filter((file) => file !== thisFile && existsSync(path.join(root, file)));

describe("the documentation", () => {
  it(`README.md stays under ${readmeMaxLines} lines (the rest belongs in docs/)`, () => {
    const lines = read("README.md").replace(/\n$/, "").split("\n").length;
    expect(lines).toBeLessThanOrEqual(readmeMaxLines);
  });

  it("README.md and docs/ mention only repository paths that exist", () => {
    const missing = docs.flatMap((file) => missingPaths(read(file)).map((cited) => `${file}: ${cited}`));
    expect(missing).toEqual([]);
  });

  it("code comments cite only repository paths that exist, and code only docs that exist", () => {
    const missing = code.flatMap((file) => {
      const text = read(file);
      const docsCited = mentionedPaths(text).filter((cited) => cited.startsWith("docs/"));
      return missingPaths([commentsOf(text, file === ".ci/run"), ...docsCited].join("\n")).map((cited) => `${file}: ${cited}`);
    });
    expect(missing).toEqual([]);
  });

  it("every relative link between the docs resolves, anchor included", () => {
    const broken = docs.flatMap((file) => brokenLinks(file, read(file)).map((link) => `${file}: ${link}`));
    expect(broken).toEqual([]);
  });

  it("would catch the mistakes it exists for", () => {
    expect(docs.length).toBeGreaterThan(5);
    expect(code.length).toBeGreaterThan(200);
    expect(missingPaths("the adapter (`lib/throttling/api-gateway.ts`) is unit-tested")).toEqual(["lib/throttling/api-gateway.ts"]);
    expect(missingPaths("see lib/env.ts.")).toEqual(["lib/env.ts"]);
    expect(missingPaths("pages under app/(console)/operations/, (lib/worker/kinds.ts), `local/workload/`")).toEqual([]);
    expect(mentionedPaths("(see lib/fairness/noisy.ts).")).toEqual(["lib/fairness/noisy.ts"]);
    expect(mentionedPaths("the route /api/fleet, .data/backups and s3://bucket/prefix")).toEqual([]);
    expect(mentionedPaths("[docs/fairness.md](docs/fairness.md) and app/(console)/tenants/[id]/page.tsx]")).toEqual([
      "docs/fairness.md",
      "app/(console)/tenants/[id]/page.tsx",
    ]);
    expect(commentsOf('import x from "prisma/config"; // see lib/nowhere.ts\n/* and\n * lib/gone.ts */ const u = "http://x/lib/y";')).toBe(
      " see lib/nowhere.ts\n and\n * lib/gone.ts ",
    );
    expect(missingPaths(commentsOf("# with the role docs/testing.md describes\nrun lib/none.sh", true))).toEqual([]);
    expect(headingAnchors("# A\n## Real PostgreSQL (Aurora in production)\n## What `npm run demo` does\n## A")).toEqual(
      new Set(["a", "real-postgresql-aurora-in-production", "what-npm-run-demo-does", "a-1"]),
    );
    expect(brokenLinks("docs/x.md", "[ok](architecture.md) [gone](nowhere.md) [web](https://example.com)")).toEqual([
      "nowhere.md (no docs/nowhere.md)",
    ]);
    expect(brokenLinks("docs/x.md", "[bad anchor](configuration.md#no-such-heading)")).toHaveLength(1);
    expect(brokenLinks("docs/x.md", "# Here\n[self](#here) [up](../README.md)")).toEqual([]);
  });
});
