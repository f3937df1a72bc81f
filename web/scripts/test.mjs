// Builds and runs web/'s tests (what `npm test` and ctest call):
//
//   node scripts/test.mjs unit                    type-check, browser bundle, unit tests (node --test)
//   node scripts/test.mjs system --conclave PATH  the system test against a real `conclave` binary
//   node scripts/test.mjs browser --conclave PATH [--chromium PATH]   the bundle in headless Chromium
//   node scripts/test.mjs media --conclave PATH [--chromium PATH] [--artifacts DIR]   browser media through the SFU
//   node scripts/test.mjs ui --conclave PATH [--chromium PATH] [--artifacts DIR]   the pages served by the server, in Chromium
//   node scripts/test.mjs share --conclave PATH [--chromium PATH] [--artifacts DIR]   screen share in the meeting page
//   node scripts/test.mjs call --conclave PATH [--chromium PATH] [--artifacts DIR] [--max-pause-ms N]   two pages and a native host in one call
//   node scripts/test.mjs fuzz [--seconds N] [--seed S]   the mutation fuzzer (default 10 s)

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [kind, ...rest] = process.argv.slice(2);

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (kind === "unit") {
  run([join(root, "scripts/build.mjs"), "--unit"]);
  const files = readdirSync(join(root, "build/test")).filter((f) => f.endsWith(".test.mjs")).map((f) => join("build/test", f));
  run(["--test", ...files]);
} else if (kind === "system") {
  run([join(root, "scripts/build.mjs"), "--system", "--no-typecheck", "--no-bundle"]);
  run([join(root, "build/test-system/web_member.mjs"), ...rest]);
} else if (kind === "browser") {
  run([join(root, "scripts/build.mjs"), "--browser", "--no-typecheck", "--no-bundle"]);
  run([join(root, "build/test-browser/web_browser.mjs"), ...rest]);
} else if (kind === "media") {
  run([join(root, "scripts/build.mjs"), "--media", "--no-typecheck", "--no-bundle"]);
  run([join(root, "build/test-media/web_media.mjs"), ...rest]);
} else if (kind === "ui") {
  // The pages must be built (dist/): the server serves them.
  run([join(root, "scripts/build.mjs"), "--ui"]);
  run([join(root, "build/test-ui/web_ui.mjs"), ...rest]);
} else if (kind === "share") {
  run([join(root, "scripts/build.mjs"), "--share"]);
  run([join(root, "build/test-share/web_share.mjs"), ...rest]);
} else if (kind === "call") {
  // Like ui: the pages (dist/) are built, since the server serves them.
  run([join(root, "scripts/build.mjs"), "--call"]);
  run([join(root, "build/test-call/web_call.mjs"), ...rest]);
} else if (kind === "fuzz") {
  run([join(root, "scripts/build.mjs"), "--fuzz", "--no-typecheck", "--no-bundle"]);
  run([join(root, "build/fuzz/web_fuzz.mjs"), ...rest]);
} else {
  console.error("usage: node scripts/test.mjs unit | system --conclave PATH | browser --conclave PATH | fuzz [--seconds N]");
  process.exit(2);
}
