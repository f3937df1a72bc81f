// System test `system.web_browser`: the browser client's bundle in headless
// Chromium (Debian's, driven by playwright-core), over Chromium's own
// WebSocket and WebCrypto, in the same meeting and MLS group as a native
// `conclave join` host on a real `conclave server`:
//
//   the page joins through the lobby and is added by the host; both show
//   the same roster, epoch, security code and SFrame base key; chat both
//   ways; the page leaves and the host commits its Remove.
//
// The page is served over http://localhost (a secure context). The server's
// self-signed certificate is accepted with --ignore-certificate-errors
// (in production the page comes from the server itself).
//
// Usage: node build/test-browser/web_browser.mjs --conclave PATH [--chromium PATH]

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, type Page } from "playwright-core";

import { createMeeting, fail, NativeMember, servePage, startServer, stopAll, type Json } from "./lib/harness.js";

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const conclave = argValue("--conclave") ?? fail("usage: web_browser.mjs --conclave PATH [--chromium PATH]");
const chromiumPath = argValue("--chromium") ?? "/usr/bin/chromium";
const pageDir = dirname(fileURLToPath(import.meta.url)); // build/test-browser: the driver and page.js

function step(text: string): void {
  console.log(`web_browser: ${text}`);
}

const html = `<!doctype html><meta charset="utf-8"><title>conclave web test</title><script type="module" src="page.js"></script>`;
const { http, port: httpPort } = await servePage(pageDir, "page", html, ["page.js"]);
const profile = mkdtempSync(join(tmpdir(), "conclave-chromium-"));
const watchdog = setTimeout(() => {
  console.error("web_browser: FAILED: over 120 s");
  process.exit(1);
}, 120_000);

type PageEvent = Json & { event: string };
async function pageEvents(page: Page): Promise<PageEvent[]> {
  return (await page.evaluate(() => JSON.parse(JSON.stringify(window.conclaveEvents ?? [])))) as PageEvent[];
}
async function waitPage(page: Page, what: string, seconds: number, predicate: (e: PageEvent) => boolean): Promise<PageEvent> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = (await pageEvents(page)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) fail(`page: timed out after ${seconds} s waiting for ${what}: ${JSON.stringify((await pageEvents(page)).slice(-8))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let status = 0;
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--ignore-certificate-errors"],
});
const console_: string[] = [];
try {
  const server = await startServer(conclave);
  const meeting = await createMeeting(conclave, server);
  const host = new NativeMember(conclave, server, meeting, "host", [
    "--host-key", meeting.hostKey, "--admit", "all", "--wait-members", "2", "--say", "hello browser",
    "--for", "60", "--test-reveal-secrets",
  ]);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  const page = await context.newPage();
  page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => console_.push(`pageerror: ${e.message}`));
  const config = { url: `${server.url.replace(/^https:/, "wss:")}/api/v1/signal`, meetingId: meeting.meetingId, displayName: "chromium" };
  await page.goto(`http://localhost:${httpPort}/page.html#${encodeURIComponent(JSON.stringify(config))}`);
  step(`Chromium ${context.browser()?.version() ?? ""} opened the page`);

  const two = await host.wait("a roster of 2", 40, (e) => e.event === "roster" && Array.isArray(e["members"]) && (e["members"] as unknown[]).length === 2);
  const epoch = Number(two["epoch"]);
  const hostEpoch = await host.wait(`epoch ${epoch}`, 5, (e) => e.event === "epoch" && e["epoch"] === epoch);
  const pageEpoch = await waitPage(page, `epoch ${epoch}`, 20, (e) => e.event === "epoch" && e["epoch"] === epoch);
  if (pageEpoch["security_code"] !== hostEpoch["security_code"]) fail(`codes differ: ${pageEpoch["security_code"]} != ${hostEpoch["security_code"]}`);
  const key = typeof hostEpoch["sframe_base_key"] === "string" ? "sframe_base_key" : "exporter_secret";
  if (pageEpoch[key] !== hostEpoch[key]) fail(`${key} differs: ${pageEpoch[key]} != ${hostEpoch[key]}`);
  const live = await page.evaluate(() => window.conclaveSframeKey());
  if (live !== pageEpoch["sframe_base_key"] || live.length !== 32) fail(`sframeBaseKey() in the page: ${live}`);
  const roster = await waitPage(page, `roster at ${epoch}`, 5, (e) => e.event === "roster" && e["epoch"] === epoch);
  const names = (roster["members"] as Array<{ name: string; host: boolean }>).map((m) => `${m.name}${m.host ? "*" : ""}`).sort().join(",");
  if (names !== "chromium,host*") fail(`the page's roster: ${names}`);
  step(`epoch ${epoch}: the page and the native host agree (code ${hostEpoch["security_code"]}, ${key}, roster ${names})`);

  await waitPage(page, "the host's chat", 20, (e) => e.event === "chat" && e["text"] === "hello browser" && e["from"] === "host");
  if (!(await page.evaluate(() => window.conclaveSay("hello from chromium")))) fail("the page could not send");
  await host.wait("the page's chat", 20, (e) => e.event === "chat" && e["text"] === "hello from chromium" && e["from"] === "chromium");
  step("chat: native -> Chromium and Chromium -> native");

  await page.evaluate(() => window.conclaveLeave());
  await host.wait("the page removed", 20, (e) => e.event === "roster" && Number(e["epoch"]) > epoch && (e["members"] as unknown[]).length === 1);
  step("the page left; the host committed its Remove");
  console.log("web_browser: all checks passed");
} catch (e) {
  status = 1;
  console.error(`web_browser: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error(console_.slice(-20).join("\n"));
} finally {
  await context.close();
  http.close();
  rmSync(profile, { recursive: true, force: true });
  await stopAll();
  clearTimeout(watchdog);
}
process.exit(status);
