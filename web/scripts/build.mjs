// Builds web/: type-checks everything (tsc --noEmit, strict), bundles the
// browser library into dist/ with esbuild, and with --tests also bundles
// the Node tests (test/*.test.ts -> build/test/*.test.mjs, and the system
// test test/system/*.ts -> build/test-system/*.mjs). npm packages stay
// external in the Node bundles (they load from node_modules).
//
//   node scripts/build.mjs [--tests] [--no-typecheck]

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));

if (!args.has("--no-typecheck")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", join(root, "tsconfig.json")], {
    stdio: "inherit",
  });
}

await esbuild.build({
  entryPoints: [join(root, "src/index.ts")],
  outfile: join(root, "dist/conclave-web.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "chrome120",
  sourcemap: true,
  logLevel: "warning",
});

if (args.has("--tests")) {
  const tests = readdirSync(join(root, "test")).filter((f) => f.endsWith(".test.ts"));
  await esbuild.build({
    entryPoints: tests.map((f) => join(root, "test", f)),
    outdir: join(root, "build/test"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });
  const system = readdirSync(join(root, "test/system")).filter((f) => f.endsWith(".ts"));
  await esbuild.build({
    entryPoints: system.map((f) => join(root, "test/system", f)),
    outdir: join(root, "build/test-system"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });
}
