// `npm run data-plane:pack`: builds the data-plane library (lib/data-plane and
// the pure modules it imports) to CommonJS with type declarations in
// dist/data-plane/package, adds its package.json, an ES-module entry and the
// README, and packs it: dist/data-plane/tenant-storage-console-data-plane-<version>.tgz.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist/data-plane");
const packageDir = path.join(out, "package");
const version = "0.2.0";
const rootPackage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };

rmSync(out, { recursive: true, force: true });
mkdirSync(packageDir, { recursive: true });
const tsconfig = path.join(out, "tsconfig.json");
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "commonjs",
      moduleResolution: "node10",
      declaration: true,
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(root, "node_modules/@types")],
      rootDir: root,
      outDir: packageDir,
    },
    files: [path.join(root, "lib/data-plane/index.ts")],
  }),
);
execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig], { stdio: "inherit" });

// The ES-module entry re-exports the CommonJS build's names (so `import { createDataPlane }` works everywhere).
const names = Object.keys(createRequire(import.meta.url)(path.join(packageDir, "lib/data-plane/index.js")) as object).filter(
  (name) => name !== "__esModule",
);
writeFileSync(
  path.join(packageDir, "index.mjs"),
  `import library from "./lib/data-plane/index.js";\nexport const { ${names.join(", ")} } = library;\n`,
);
const dependency = (name: string) => rootPackage.dependencies[name]!;
writeFileSync(
  path.join(packageDir, "package.json"),
  `${JSON.stringify(
    {
      name: "@tenant-storage-console/data-plane",
      version,
      description: "Tenant-scoped DynamoDB access that follows the Tenant Storage Console's routing, freezes and metric contract",
      license: "UNLICENSED",
      main: "./lib/data-plane/index.js",
      types: "./lib/data-plane/index.d.ts",
      exports: {
        ".": {
          types: "./lib/data-plane/index.d.ts",
          import: "./index.mjs",
          require: "./lib/data-plane/index.js",
        },
      },
      engines: { node: ">=20.19" },
      dependencies: {
        "@aws-sdk/client-cloudwatch": dependency("@aws-sdk/client-cloudwatch"),
        "@aws-sdk/client-dynamodb": dependency("@aws-sdk/client-dynamodb"),
        zod: dependency("zod"),
      },
    },
    null,
    2,
  )}\n`,
);
copyFileSync(path.join(root, "lib/data-plane/README.md"), path.join(packageDir, "README.md"));
const packed = execFileSync("npm", ["pack", "--pack-destination", out], { cwd: packageDir, encoding: "utf8" }).trim().split("\n").pop()!;
console.log(path.join(out, packed));
