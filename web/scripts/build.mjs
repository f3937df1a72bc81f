// Builds web/: type-checks everything (tsc --noEmit, strict) and bundles
// the browser library into dist/ with esbuild (with the pages: dist/app.js
// and static/'s index.html and style.css); --unit also bundles the Node
// unit tests (test/*.test.ts -> build/test/*.test.mjs), --system the
// system test (test/system/web_member.ts -> build/test-system/), --browser
// the browser system test (its driver and page -> build/test-browser/),
// --fuzz the fuzzer (test/fuzz/web_fuzz.ts -> build/fuzz/), --media the
// browser media test (driver, page and worker -> build/test-media/),
// --ui, --share and --call the pages' tests (drivers -> build/test-ui/,
// build/test-share/, build/test-call/; the pages are dist/ itself),
// --tests unit and system.
// npm packages stay external in the Node bundles (they load from
// node_modules), except ts-mls: every bundle carries it with the fixes of
// scripts/ts_mls_fix.mjs. Each kind writes its own folder, so the unit and system
// tests can build at the same time (ctest -j).
//
//   node scripts/build.mjs [--ui] [--share] [--call] [--media] [--unit] [--system] [--browser] [--fuzz] [--tests] [--no-typecheck] [--no-bundle]

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

import { bundleOnlyTsMls, tsMlsFixes } from "./ts_mls_fix.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));

const unit = args.has("--unit") || args.has("--tests");
const system = args.has("--system") || args.has("--tests");

if (!args.has("--no-typecheck")) {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", join(root, "tsconfig.json")], {
    stdio: "inherit",
  });
}

// Node programs (tests, drivers, the fuzzer): ESM, npm packages external.
async function nodeBundle(entries, outdir) {
  await esbuild.build({
    entryPoints: entries.map((e) => join(root, e)),
    outdir: join(root, outdir),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [bundleOnlyTsMls, tsMlsFixes],
    sourcemap: "inline",
    logLevel: "warning",
  });
}

// Browser modules (the library, its worker, test pages).
async function browserBundle(entry, outfile, sourcemap = false) {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    sourcemap,
    plugins: [tsMlsFixes],
    logLevel: "warning",
  });
}

if (!args.has("--no-bundle")) {
  await browserBundle("src/index.ts", "dist/conclave-web.js", true);
  // The SFrame encoded-transform worker, loaded by MeetingMedia with new Worker(url, {type: "module"}).
  await browserBundle("src/media/sframe_worker.ts", "dist/sframe_worker.js", true);
  // The pages conclave-server serves at / (docs/web.md, "The pages").
  await browserBundle("src/ui/app.ts", "dist/app.js", true);
  mkdirSync(join(root, "dist"), { recursive: true });
  for (const f of readdirSync(join(root, "static"))) copyFileSync(join(root, "static", f), join(root, "dist", f));
}

if (unit) {
  const tests = readdirSync(join(root, "test")).filter((f) => f.endsWith(".test.ts"));
  await nodeBundle(tests.map((f) => join("test", f)), "build/test");
}

if (args.has("--fuzz")) {
  await nodeBundle(["test/fuzz/web_fuzz.ts"], "build/fuzz");
}

if (system) {
  await nodeBundle(["test/system/web_member.ts"], "build/test-system");
}

if (args.has("--browser")) {
  // The browser system test: its driver (Node) and its page (browser ESM, like dist/).
  await nodeBundle(["test/system/web_browser.ts"], "build/test-browser");
  await browserBundle("test/browser/page.ts", "build/test-browser/page.js");
}

if (args.has("--ui")) {
  // The pages' system test: its driver (Node); the pages are dist/ itself.
  await nodeBundle(["test/system/web_ui.ts"], "build/test-ui");
}

if (args.has("--share")) {
  // The screen-share test: its driver (Node); the pages are dist/ itself.
  await nodeBundle(["test/system/web_share.ts"], "build/test-share");
}

if (args.has("--call")) {
  // The three-party call test: its driver (Node); the pages are dist/ itself.
  await nodeBundle(["test/system/web_call.ts"], "build/test-call");
}

if (args.has("--media")) {
  // The browser media test: its driver (Node), its page and the SFrame worker (browser ESM).
  await nodeBundle(["test/system/web_media.ts"], "build/test-media");
  await browserBundle("test/browser/media_page.ts", "build/test-media/media_page.js");
  await browserBundle("src/media/sframe_worker.ts", "build/test-media/sframe_worker.js");
}
