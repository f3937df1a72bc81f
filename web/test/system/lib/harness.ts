// Helpers of the web system test: a real `conclave server` on loopback, a
// meeting, native `conclave join --json` members (events read from their
// stdout), TypeScript members over the pinned `ws` transport, and bounded
// waits. Everything started here is killed by stopAll().

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { MeetingEvent } from "../../../src/meeting/events.js";
import { MeetingSession, type SessionConfig } from "../../../src/meeting/session.js";
import { pinnedWsTransport } from "../../../src/node/ws_transport.js";
import type { Transport, TransportFactory } from "../../../src/signaling/transport.js";

export type Json = Record<string, unknown>;

const children: ChildProcess[] = [];
const sessions: MeetingSession[] = [];
const dirs: string[] = [];

export class TestFailure extends Error {}

export function fail(message: string): never {
  throw new TestFailure(message);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it returns a value other than undefined/false, for at most `seconds`. */
export async function waitFor<T>(what: string, seconds: number, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) fail(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(50);
  }
}

export interface Server {
  url: string; // https://127.0.0.1:port
  dataDir: string; // the server's --data-dir (tls/cert.pem inside)
  fingerprint: string;
  process: ChildProcess;
  stderr: string[];
}

export async function startServer(conclave: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-web-"));
  dirs.push(dir);
  const child = spawn(
    conclave,
    ["server", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data"), "--log-level", "info", ...extraArgs],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  const stderr: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (d: string) => stderr.push(d));
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
  const ready = await waitFor("the server's ready line", 30, () => {
    if (child.exitCode !== null) fail(`server exited: ${stderr.join("").slice(-2000)}`);
    return /^conclave: ready at (https:\S+) \(certificate sha256 ([0-9A-F:]+)\)$/m.exec(out) ?? undefined;
  });
  return { url: ready[1]!, dataDir: join(dir, "data"), fingerprint: ready[2]!, process: child, stderr };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new TestFailure(`${command} ${args.join(" ")} exited ${code}: ${err}`));
    });
  });
}

export interface Meeting {
  meetingId: string;
  hostKey: string;
  link: string;
}

export async function createMeeting(conclave: string, server: Server): Promise<Meeting> {
  const out = JSON.parse(await run(conclave, ["meeting", "create", "--server", server.url, "--fingerprint", server.fingerprint])) as Json;
  return { meetingId: String(out["meeting_id"]), hostKey: String(out["host_key"]), link: String(out["join_link"]) };
}

/**
 * The pinned transport, with drop(): closes the current connection as a
 * network failure would look to the session (it then reconnects), and
 * block(): new connections fail until unblocked.
 */
export function droppableTransport(fingerprint: string): { factory: TransportFactory; drop: () => void; block: (blocked: boolean) => void } {
  let current: Transport | undefined;
  let blocked = false;
  const inner = pinnedWsTransport(fingerprint);
  return {
    factory: async (url, handlers) => {
      if (blocked) throw new Error("test: the network is down");
      current = await inner(url, handlers);
      return current;
    },
    drop: () => current?.close(4000, "test drop"),
    block: (b) => {
      blocked = b;
    },
  };
}

/** PATCH /api/v1/meetings/<id> with the host key (the certificate pinned by its fingerprint): the HTTP status. */
export function patchMeeting(server: Server, meeting: Meeting, settings: { locked?: boolean; waiting_room?: boolean }): Promise<number> {
  const url = new URL(server.url);
  const body = JSON.stringify(settings);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `/api/v1/meetings/${meeting.meetingId}`,
        method: "PATCH",
        headers: { authorization: `Bearer ${meeting.hostKey}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        rejectUnauthorized: false,
        checkServerIdentity: (_host, cert) => (cert.fingerprint256 === server.fingerprint ? undefined : new Error(`fingerprint ${cert.fingerprint256}`)),
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

/** A native member: `conclave join LINK --json ...`, its events parsed from stdout. */
export class NativeMember {
  readonly events: Json[] = [];
  readonly stderr: string[] = [];
  readonly process: ChildProcess;

  constructor(conclave: string, server: Server, meeting: Meeting, readonly name: string, args: string[]) {
    this.process = spawn(conclave, ["join", meeting.link, "--fingerprint", server.fingerprint, "--name", name, "--json", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(this.process);
    let buffer = "";
    this.process.stdout?.setEncoding("utf8").on("data", (d: string) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === "") continue;
        try {
          this.events.push(JSON.parse(line) as Json);
        } catch {
          this.stderr.push(`unparsed stdout line: ${line}`);
        }
      }
    });
    this.process.stderr?.setEncoding("utf8").on("data", (d: string) => this.stderr.push(d));
  }

  find(predicate: (e: Json) => boolean): Json | undefined {
    return this.events.find(predicate);
  }

  wait(what: string, seconds: number, predicate: (e: Json) => boolean): Promise<Json> {
    return waitFor(`${this.name}: ${what}`, seconds, () => this.find(predicate));
  }
}

export interface TsMember {
  name: string;
  session: MeetingSession;
  find(predicate: (e: MeetingEvent) => boolean): MeetingEvent | undefined;
  wait(what: string, seconds: number, predicate: (e: MeetingEvent) => boolean): Promise<MeetingEvent>;
}

export async function startTsMember(
  server: Server,
  meeting: Meeting,
  name: string,
  extra: Partial<SessionConfig> = {},
): Promise<TsMember> {
  const session = await MeetingSession.create({
    url: `${server.url.replace(/^https:/, "wss:")}/api/v1/signal`,
    meetingId: meeting.meetingId,
    displayName: name,
    transport: pinnedWsTransport(server.fingerprint),
    revealSecrets: true,
    ...extra,
  });
  sessions.push(session);
  await session.start();
  const find = (predicate: (e: MeetingEvent) => boolean) => session.events.find(predicate);
  return {
    name,
    session,
    find,
    wait: (what, seconds, predicate) => waitFor(`${name}: ${what}`, seconds, () => find(predicate)),
  };
}

export function dumpOnFailure(natives: NativeMember[], members: TsMember[], servers: Server[]): void {
  for (const s of servers) console.error(`--- server stderr (tail):\n${s.stderr.join("").slice(-3000)}`);
  for (const n of natives) {
    console.error(`--- native ${n.name} events (tail):`);
    for (const e of n.events.slice(-15)) console.error(JSON.stringify(e));
    console.error(n.stderr.join("").slice(-1000));
  }
  for (const m of members) {
    console.error(`--- ts ${m.name} events (tail):`);
    for (const e of m.session.events.slice(-15)) console.error(JSON.stringify(e));
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    sessions.map((s) => (s.phase === "ended" ? Promise.resolve() : Promise.race([s.leave(), sleep(3500)]))),
  );
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

/**
 * A loopback HTTP server for a test page: `/<name>.html` is `html`, and each
 * of `scripts` is served from `dir` as JavaScript; anything else is 404.
 * localhost is a secure context, so the page may use WebCrypto and workers.
 */
export async function servePage(
  dir: string,
  name: string,
  html: string,
  scripts: string[],
): Promise<{ http: HttpServer; port: number }> {
  const http = createServer((req, res) => {
    const file = (req.url ?? "").split(/[?#]/)[0]!.slice(1);
    if (scripts.includes(file)) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(join(dir, file)));
    } else if (file === `${name}.html`) {
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { http, port: (http.address() as { port: number }).port };
}
