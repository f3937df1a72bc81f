// Helpers of the system tests that drive the real pages (dist/, served by
// `conclave server --web-root`) in headless Chromium: the command line, the
// browser trusting the server's certificate by its SPKI hash, waits on the
// page, and the SFrame worker's counters (window.conclaveMedia).

import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, type BrowserContext, type Page } from "playwright-core";

import type { WorkerStats } from "../../../src/media/sframe_worker.js";
import { fail, sleep, stopAll, type Server } from "./harness.js";

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface PagesTest {
  conclave: string;
  chromiumPath: string;
  webRoot: string; // dist/, which the server serves
  artifacts: string; // screenshots (--artifacts)
  profile: string; // a fresh Chromium profile folder
}

/**
 * The common command line (`--conclave PATH [--chromium PATH] [--artifacts
 * DIR]`, plus what `usage` names) of a test bundled to build/test-<name>/.
 */
export function pagesTest(moduleUrl: string, name: string, usage: string): PagesTest {
  const conclave = argValue("--conclave") ?? fail(`usage: web_${name}.mjs ${usage}`);
  const here = dirname(fileURLToPath(moduleUrl)); // build/test-<name>
  const artifacts = argValue("--artifacts") ?? join(here, "artifacts");
  mkdirSync(artifacts, { recursive: true });
  return {
    conclave,
    chromiumPath: argValue("--chromium") ?? "/usr/bin/chromium",
    webRoot: join(here, "../../dist"),
    artifacts,
    profile: mkdtempSync(join(tmpdir(), `conclave-chromium-${name}-`)),
  };
}

/** base64(SHA-256(SubjectPublicKeyInfo)) of the server's certificate, for Chromium's SPKI list. */
export function spkiHash(server: Server): string {
  const cert = new X509Certificate(readFileSync(join(server.dataDir, "tls", "cert.pem")));
  return createHash("sha256").update(cert.publicKey.export({ type: "spki", format: "der" })).digest("base64");
}

/**
 * Headless Chromium with fake cameras (two: fake_device_0 and _1), fake
 * microphones (a default and two more) and a fake screen, trusting
 * the server's self-signed certificate through its SPKI hash only (not by
 * turning certificate checks off).
 */
function launchChromium(t: PagesTest, server: Server): Promise<BrowserContext> {
  return chromium.launchPersistentContext(t.profile, {
    executablePath: t.chromiumPath,
    headless: true,
    viewport: { width: 1200, height: 860 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", `--ignore-certificate-errors-spki-list=${spkiHash(server)}`,
      "--use-fake-device-for-media-stream=device-count=2", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"],
  });
}

/** Polls `check` every 100 ms until it gives a value (not undefined or false); fails after `seconds`. */
export async function waitPage<T>(what: string, seconds: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) fail(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(100);
  }
}

/** The page's SFrame worker counters (the app exposes window.conclaveMedia). */
export function workerStats(page: Page): Promise<WorkerStats> {
  return page.evaluate(() => (window as unknown as { conclaveMedia: { stats(): Promise<never> } }).conclaveMedia.stats());
}

/** What a page test uses while it runs: the browser, its pages' console lines. */
export class PagesRun {
  readonly consoleLines: string[] = [];
  context: BrowserContext | undefined;

  constructor(private readonly t: PagesTest) {}

  async launch(server: Server): Promise<BrowserContext> {
    this.context = await launchChromium(this.t, server);
    return this.context;
  }

  /** A new page whose console messages and uncaught errors are kept under `label`. */
  async newPage(label: string): Promise<Page> {
    if (this.context === undefined) throw new Error("newPage before launch");
    const page = await this.context.newPage();
    page.on("console", (m) => this.consoleLines.push(`${label} ${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => this.consoleLines.push(`${label} pageerror: ${e.message}`));
    return page;
  }
}

/**
 * Runs a page test to its end and exits: `body` within `limitMs` (a
 * watchdog), no uncaught page error nor CSP violation, "PASS in N s"; on a
 * failure the message, the pages' last console lines and `onFailure`'s
 * report; always the clean-up (browser, profile, every process).
 */
export async function runPagesTest(
  t: PagesTest,
  name: string,
  limitMs: number,
  body: (run: PagesRun) => Promise<void>,
  onFailure?: (run: PagesRun) => Promise<void>,
): Promise<never> {
  const watchdog = setTimeout(() => {
    console.error(`web_${name}: FAILED: the ${limitMs / 1000} s time limit passed`);
    process.exit(1);
  }, limitMs);
  const run = new PagesRun(t);
  const started = Date.now();
  let status = 0;
  try {
    await body(run);
    const errors = run.consoleLines.filter((l) => l.includes("pageerror") || /Content Security Policy/i.test(l));
    if (errors.length > 0) fail(`page errors: ${errors.join("\n")}`);
    console.log(`web_${name}: PASS in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    status = 1;
    console.error(`web_${name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    console.error(run.consoleLines.slice(-40).join("\n"));
    await onFailure?.(run).catch(() => undefined);
  } finally {
    await run.context?.close();
    rmSync(t.profile, { recursive: true, force: true });
    await stopAll();
    clearTimeout(watchdog);
  }
  process.exit(status);
}
