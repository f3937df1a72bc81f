// System test `system.web_ui`: the browser client's pages, served by
// `conclave server` itself (--web-root dist), driven like a person would in
// headless Chromium (Debian's chromium, playwright-core).
//
//   A. The server: GET / and /j/<id> give index.html with the security
//      headers; hostile paths give 404.
//   B. An unknown meeting: the join page says so.
//   C. Chromium opens https://127.0.0.1:PORT/j/<id> (the join link), fills
//      in its name, and a native host (`conclave join --host-key ...
//      --admit all --publish test`) admits and adds it. The page shows the
//      roster with the host flag, the same security code as the host's
//      latest epoch, chat both ways through the form, and the host's video
//      playing in a tile (videoWidth > 0).
//   E. The front page: "Create and join" creates a meeting (REST) and joins
//      it as host; the invite link brings a guest to the waiting room; the
//      creator admits it.
//   D. A browser host: page "boss" joins a second meeting with the host key;
//      "ann" and "eve" wait in the lobby; boss clicks Admit for ann and Deny
//      for eve. ann gets in (roster: boss as host), eve sees "did not let you in".
//      boss clicks Lock: both pages show the lock, the group policy carries
//      it (boss's session commits it, ann's applies it), and a newcomer's
//      join page says the meeting is locked. boss removes ann.
//
// The certificate is trusted through --ignore-certificate-errors-spki-list
// with the SHA-256 of the SubjectPublicKeyInfo of the server's cert.pem, not
// by turning certificate checks off. Screenshots go to --artifacts.
//
// Usage: node build/test-ui/web_ui.mjs --conclave PATH [--chromium PATH] [--artifacts DIR]

import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";

import type { Page } from "playwright-core";

import { createMeeting, fail, NativeMember, startServer, type Server } from "./lib/harness.js";
import { pagesTest, runPagesTest, waitPage } from "./lib/pages.js";

const test = pagesTest(import.meta.url, "ui", "--conclave PATH [--chromium PATH] [--artifacts DIR]");
const { conclave, webRoot, artifacts } = test;
function step(text: string): void {
  console.log(`web_ui: ${text}`);
}

/** A raw GET (the path sent as is), the certificate pinned by its fingerprint. */
function get(server: Server, path: string, method = "GET", body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        ...(body !== undefined ? { headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } } : {}),
        rejectUnauthorized: false,
        checkServerIdentity: (_host, cert) => {
          const fp = cert.fingerprint256;
          return fp === server.fingerprint ? undefined : new Error(`fingerprint ${fp}`);
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

async function checkServing(server: Server, meetingId: string): Promise<void> {
  const index = readFileSync(join(webRoot, "index.html"), "utf8");
  for (const path of ["/", `/j/${meetingId}`]) {
    const r = await get(server, path);
    if (r.status !== 200 || r.body !== index) fail(`GET ${path}: ${r.status}, not index.html`);
    const csp = String(r.headers["content-security-policy"] ?? "");
    if (!csp.includes("script-src 'self'") || !csp.includes("connect-src 'self'") || csp.includes("unsafe")) fail(`GET ${path}: CSP ${csp}`);
    if (r.headers["referrer-policy"] !== "no-referrer" || r.headers["x-content-type-options"] !== "nosniff") fail(`GET ${path}: headers ${JSON.stringify(r.headers)}`);
    if (r.headers["cache-control"] !== "no-store") fail(`GET ${path}: cache-control ${String(r.headers["cache-control"])}`);
  }
  const js = await get(server, "/app.js");
  if (js.status !== 200 || !String(js.headers["content-type"]).startsWith("text/javascript")) fail(`GET /app.js: ${js.status} ${String(js.headers["content-type"])}`);
  const worker = await get(server, "/sframe_worker.js");
  if (worker.status !== 200) fail(`GET /sframe_worker.js: ${worker.status}`);
  const css = await get(server, "/style.css");
  if (css.status !== 200 || !String(css.headers["content-type"]).startsWith("text/css")) fail(`GET /style.css: ${css.status}`);
  for (const path of ["/../tls/cert.pem", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/index.html%00.js", "/.hidden.js", `/${"a".repeat(400)}.js`]) {
    const r = await get(server, path);
    if (r.status !== 404 || r.body.includes("BEGIN") || r.body.includes("root:")) fail(`GET ${path}: ${r.status}`);
  }
  const api = await get(server, "/api/v1/health");
  if (api.status !== 200 || !api.body.includes("ok")) fail(`GET /api/v1/health: ${api.status}`);
  step("the server serves index.html at / and /j/<id> with CSP, no-referrer, nosniff, no-store; the bundles and CSS with their types; hostile paths 404; the REST API still answers");
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent({ timeout: 5000 })) ?? "";
}

async function rosterOf(page: Page): Promise<string[]> {
  return page.locator("#roster li").evaluateAll((items) => items.map((li) => (li.textContent ?? "").trim()));
}

await runPagesTest(test, "ui", 150_000, async (run) => {
  const server = await startServer(conclave, ["--web-root", webRoot]);
  const meeting = await createMeeting(conclave, server);
  if (!meeting.link.endsWith(`/j/${meeting.meetingId}`)) fail(`join link ${meeting.link}`);
  await checkServing(server, meeting.meetingId);

  await run.launch(server);
  const open = async (name: string, path: string): Promise<Page> => {
    const page = await run.newPage(name);
    const response = await page.goto(`${server.url}${path}`);
    if (response?.status() !== 200) fail(`${name}: GET ${path}: ${response?.status()}`);
    await page.locator("#join-form").waitFor({ timeout: 10_000 });
    return page;
  };
  const joinAs = async (page: Page, name: string, hostKey?: string): Promise<void> => {
    await page.fill("#join-name", name);
    if (hostKey !== undefined) {
      await page.click("summary");
      await page.fill("#join-host-key", hostKey);
    }
    await page.click("#join-submit");
  };

  // B. An unknown meeting.
  const lost = await open("lost", "/j/nosuchmeeting1");
  if ((await lost.inputValue("#join-meeting")) !== "nosuchmeeting1") fail("the join link did not pre-fill the meeting ID");
  await joinAs(lost, "lost");
  await waitPage("the unknown-meeting error", 20, async () => /no meeting/.test(await text(lost, "#join-error")));
  step(`unknown meeting: the join page says "${await text(lost, "#join-error")}"`);
  await lost.close();

  // B'. A wrong passcode.
  const created = await get(server, "/api/v1/meetings", "POST", JSON.stringify({ passcode: "right-one" }));
  if (created.status !== 201) fail(`POST /api/v1/meetings: ${created.status} ${created.body}`);
  const guarded = String((JSON.parse(created.body) as Record<string, unknown>)["meeting_id"]);
  const wrong = await open("wrong", `/j/${guarded}`);
  await wrong.fill("#join-passcode", "wrong-one");
  await joinAs(wrong, "wrong");
  await waitPage("the wrong-passcode error", 20, async () => /passcode is wrong/.test(await text(wrong, "#join-error")));
  step(`wrong passcode: the join page says "${await text(wrong, "#join-error")}"`);
  await wrong.close();

  // C. A native host admits the page.
  const host = new NativeMember(conclave, server, meeting, "host", ["--host-key", meeting.hostKey, "--admit", "all", "--publish", "test", "--for", "120"]);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  const page = await open("chromium", `/j/${meeting.meetingId}`);
  if ((await page.inputValue("#join-meeting")) !== meeting.meetingId) fail("the join link did not pre-fill the meeting ID");
  await joinAs(page, "chromium");
  await page.locator(".meeting-page").waitFor({ timeout: 20_000 });
  await waitPage("the page's roster", 20, async () => (await rosterOf(page)).length === 2);
  const roster = await rosterOf(page);
  if (!roster.some((r) => r.replace(/\s/g, "") === "hosthost")) {
    fail(`roster without the host flag: ${JSON.stringify(roster)}`);
  }
  if (!roster.some((r) => r.replace(/\s/g, "") === "chromiumyou")) fail(`roster without the page itself: ${JSON.stringify(roster)}`);
  let code = "";
  await waitPage("the same security code", 20, async () => {
    code = (await text(page, "#security-code")).trim();
    const epochs = host.events.filter((e) => e.event === "epoch");
    return code !== "…" && epochs.length > 0 && epochs[epochs.length - 1]!["security_code"] === code;
  });
  step(`the page (joined through the UI, admitted by the native host) shows the roster ${JSON.stringify(roster)} and the host's security code ${code}`);

  // Chat both ways: the page's form to the host; a native participant's --say to the page.
  await page.fill("#chat-input", "hello from the page");
  await page.click("#chat-send");
  await host.wait("the page's chat", 20, (e) => e.event === "chat" && e["text"] === "hello from the page" && e["from"] === "chromium");
  const bob = new NativeMember(conclave, server, meeting, "bob", ["--say", "hello from native bob", "--for", "60", "--no-subscribe"]);
  await waitPage("bob's chat in the page", 30, async () => (await text(page, "#chat-log")).includes("hello from native bob"));
  step("chat: the page's form reached the native host; native bob's message shows in the page's chat log");

  // The host's video in a tile.
  await waitPage("the host's video playing in a tile", 40, async () =>
    page.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>(".tile.remote video")].some((v) => v.videoWidth > 0)),
  );
  const label = await page.evaluate(() => {
    const tile = [...document.querySelectorAll<HTMLElement>(".tile.remote")].find((t) => (t.querySelector("video")?.videoWidth ?? 0) > 0);
    return `${tile?.querySelector("figcaption")?.textContent ?? ""} ${tile?.querySelector("video")?.videoWidth ?? 0}x${tile?.querySelector("video")?.videoHeight ?? 0}`;
  });
  if (!label.startsWith("host ")) fail(`the playing tile is not labelled host: ${label}`);
  step(`the host's video plays in its tile (${label})`);
  // Mute and camera toggles keep the session (and media) going.
  await page.click("#mic-button");
  await page.click("#cam-button");
  if ((await text(page, "#mic-button")) !== "Unmute" || (await text(page, "#cam-button")) !== "Camera on") fail("mute/camera buttons did not toggle");
  await page.screenshot({ path: join(artifacts, "web_ui_meeting.png"), fullPage: true });
  void bob;

  // D. A browser host with the admit/deny buttons (a meeting without native members).
  const second = await createMeeting(conclave, server);
  const boss = await open("boss", `/j/${second.meetingId}`);
  await joinAs(boss, "boss", second.hostKey);
  await waitPage("boss's group", 20, async () => (await text(boss, "#security-code")).trim() !== "…");
  const ann = await open("ann", `/j/${second.meetingId}`);
  await joinAs(ann, "ann");
  await ann.locator("#waiting").waitFor({ timeout: 20_000 });
  const eve = await open("eve", `/j/${second.meetingId}`);
  await joinAs(eve, "eve");
  await eve.locator("#waiting").waitFor({ timeout: 20_000 });
  await boss.locator('#lobby button[aria-label="Deny eve"]').waitFor({ timeout: 20_000 });
  await boss.locator('#lobby button[aria-label="Admit ann"]').waitFor({ timeout: 20_000 });
  await boss.screenshot({ path: join(artifacts, "web_ui_lobby.png"), fullPage: true });
  await boss.click('#lobby button[aria-label="Admit ann"]');
  await boss.click('#lobby button[aria-label="Deny eve"]');
  await eve.locator("#ended-reason").waitFor({ timeout: 20_000 });
  const eveText = await text(eve, "#ended-reason");
  if (!/did not let you in/.test(eveText)) fail(`eve: ${eveText}`);
  await waitPage("ann in the group", 30, async () => (await rosterOf(ann)).length === 2);
  const annRoster = await rosterOf(ann);
  if (!annRoster.some((r) => r.replace(/\s/g, "") === "bosshost")) fail(`ann's roster: ${JSON.stringify(annRoster)}`);
  await waitPage("boss and ann agree on the code", 20, async () => (await text(boss, "#security-code")) === (await text(ann, "#security-code")));
  if (!(await boss.locator("#lobby-panel").isHidden())) fail("the lobby panel still shows after admit and deny");
  await boss.locator('#roster button[aria-label="Remove ann"]').waitFor({ timeout: 10_000 });
  step(`browser host: Admit let ann in (roster ${JSON.stringify(annRoster)}, same code ${await text(ann, "#security-code")}); Deny showed eve "${eveText}"`);
  await ann.screenshot({ path: join(artifacts, "web_ui_admitted.png"), fullPage: true });
  await eve.screenshot({ path: join(artifacts, "web_ui_denied.png"), fullPage: true });
  // Lock: boss's button (REST with the host key), the badge everywhere, the
  // group policy, and a newcomer refused.
  if (await ann.locator("#lock-button").isVisible()) fail("ann (no host key) has a lock button");
  await boss.click("#lock-button");
  await ann.locator("#lock-badge").waitFor({ state: "visible", timeout: 20_000 });
  await waitPage("boss's button to say Unlock", 10, async () => (await text(boss, "#lock-button")) === "Unlock meeting");
  const lockedIn = (p: Page) =>
    p.evaluate(() => {
      const s = (window as unknown as { conclaveSession?: { events: Array<{ event: string; locked?: boolean; security_code?: string }> } }).conclaveSession;
      return s?.events.filter((e) => e.event === "epoch" && e.locked === true).map((e) => e.security_code ?? "")[0] ?? "";
    });
  await waitPage("the lock in both pages' group policy", 20, async () => (await lockedIn(boss)) !== "" && (await lockedIn(ann)) === (await lockedIn(boss)));
  const late = await open("late", `/j/${second.meetingId}`);
  await joinAs(late, "late");
  await waitPage("the locked-meeting error", 20, async () => /locked/.test(await text(late, "#join-error")));
  const lateText = await text(late, "#join-error");
  await boss.screenshot({ path: join(artifacts, "web_ui_locked.png"), fullPage: true });
  step(`lock: boss clicked Lock; ann's page shows "${await text(ann, "#lock-badge")}"; both groups carry the lock (code ${await lockedIn(ann)}); a newcomer is told "${lateText}"`);
  await late.close();
  // Remove: boss removes ann, ann sees why.
  await boss.click('#roster button[aria-label="Remove ann"]');
  await ann.locator("#ended-reason").waitFor({ timeout: 20_000 });
  const annText = await text(ann, "#ended-reason");
  if (!/removed/.test(annText)) fail(`ann: ${annText}`);
  step(`remove: ann sees "${annText}"`);
  // E. A new meeting from the front page: "Create and join" makes the page
  // its host; a guest opens the invite link and waits until admitted.
  const creator = await open("creator", "/");
  if (!(await creator.locator("#create-form").isVisible())) fail("the front page has no create form");
  await creator.screenshot({ path: join(artifacts, "web_ui_front.png"), fullPage: true });
  await creator.fill("#create-name", "creator");
  await creator.click("#create-submit");
  await creator.locator(".meeting-page").waitFor({ timeout: 20_000 });
  await waitPage("the creator's group", 20, async () => (await text(creator, "#security-code")).trim() !== "…");
  const invite = (await text(creator, "#invite-link")).trim();
  const made = /\/j\/([A-Za-z0-9]+)$/.exec(invite);
  if (made === null || !invite.startsWith(server.url)) fail(`the invite link: ${invite}`);
  await creator.click("#host-key-details summary");
  const hostKey = (await text(creator, "#host-key")).trim();
  if (hostKey.length < 20) fail(`the creator's host key: "${hostKey}"`);
  const creatorRoster = await rosterOf(creator);
  if (!creatorRoster.some((r) => r.replace(/\s/g, "") === "creatorhostyou")) fail(`the creator's roster: ${JSON.stringify(creatorRoster)}`);
  const guest = await open("guest", new URL(invite).pathname);
  if ((await guest.inputValue("#join-meeting")) !== made[1]) fail("the invite link did not pre-fill the meeting ID");
  if (await guest.locator("#create-form").isVisible()) fail("the invite link shows the create form");
  await joinAs(guest, "guest");
  await guest.locator("#waiting").waitFor({ timeout: 20_000 });
  await creator.click('#lobby button[aria-label="Admit guest"]');
  await waitPage("the guest in the creator's group", 30, async () => (await rosterOf(guest)).length === 2);
  await waitPage("creator and guest agree on the code", 20, async () => (await text(creator, "#security-code")) === (await text(guest, "#security-code")));
  await creator.screenshot({ path: join(artifacts, "web_ui_created.png"), fullPage: true });
  step(`new meeting: "Create and join" made ${made[1]} with the creator as host (roster ${JSON.stringify(creatorRoster)}), its invite link ${invite} and a host key; the guest who opened the link waited, was admitted and shows the same code ${await text(guest, "#security-code")}`);

  // Lost connection: the server stops; the meeting page says so.
  server.process.kill("SIGTERM");
  await page.locator("#ended-reason").waitFor({ timeout: 20_000 });
  const lostText = await text(page, "#ended-reason");
  if (!/connection to the server was lost/.test(lostText)) fail(`after the server stopped: ${lostText}`);
  step(`server stopped: the meeting page says "${lostText}"`);
  step(`screenshots in ${artifacts}: web_ui_meeting.png, web_ui_lobby.png, web_ui_admitted.png, web_ui_denied.png, web_ui_locked.png, web_ui_front.png, web_ui_created.png`);
});
