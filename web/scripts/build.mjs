// Builds web/: type-checks everything (tsc --noEmit, strict) and bundles
// the browser library into dist/ with esbuild; --unit also bundles the Node
// unit tests (test/*.test.ts -> build/test/*.test.mjs), --system the
// system test (test/system/web_member.ts -> build/test-system/), --browser
// the browser system test (its driver and page -> build/test-browser/),
// --fuzz the fuzzer (test/fuzz/web_fuzz.ts -> build/fuzz/), --tests unit
// and system.
// npm packages stay external in the Node bundles (they load from
// node_modules). Each kind writes its own folder, so the unit and system
// tests can build at the same time (ctest -j).
//
// --media the browser media test (driver, page and worker -> build/test-media/).
//
//   node scripts/build.mjs [--media] [--unit] [--system] [--browser] [--fuzz] [--tests] [--no-typecheck] [--no-bundle]

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));

const unit = args.has("--unit") || args.has("--tests");
const system = args.has("--system") || args.has("--tests");

if (!args.has("--no-typecheck")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", join(root, "tsconfig.json")], {
    stdio: "inherit",
  });
}

if (!args.has("--no-bundle")) {
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
  // The SFrame encoded-transform worker, loaded by MeetingMedia with new Worker(url, {type: "module"}).
  await esbuild.build({
    entryPoints: [join(root, "src/media/sframe_worker.ts")],
    outfile: join(root, "dist/sframe_worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    sourcemap: true,
    logLevel: "warning",
  });
}

if (unit) {
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
}

if (args.has("--fuzz")) {
  await esbuild.build({
    entryPoints: [join(root, "test/fuzz/web_fuzz.ts")],
    outdir: join(root, "build/fuzz"),
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

if (system) {
  await esbuild.build({
    entryPoints: [join(root, "test/system/web_member.ts")],
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

if (args.has("--browser")) {
  // The browser system test: its driver (Node) and its page (browser ESM, like dist/).
  await esbuild.build({
    entryPoints: [join(root, "test/system/web_browser.ts")],
    outdir: join(root, "build/test-browser"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });
  await esbuild.build({
    entryPoints: [join(root, "test/browser/page.ts")],
    outfile: join(root, "build/test-browser/page.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    logLevel: "warning",
  });
}

if (args.has("--media")) {
  // The browser media test: its driver (Node), its page and the SFrame worker (browser ESM).
  await esbuild.build({
    entryPoints: [join(root, "test/system/web_media.ts")],
    outdir: join(root, "build/test-media"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });
  for (const [entry, out] of [
    ["test/browser/media_page.ts", "media_page.js"],
    ["src/media/sframe_worker.ts", "sframe_worker.js"],
  ]) {
    await esbuild.build({
      entryPoints: [join(root, entry)],
      outfile: join(root, "build/test-media", out),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "chrome120",
      logLevel: "warning",
    });
  }
}
