// A peer that runs a program speaking the interop peer protocol (README.md) on its stdin/stdout.
//
//   const peer = new ProcessPeer({name: "C", command: "/path/prog", args: []});
//   const response = await peer.request({id: 1, op: "init", suite: 1, identity: "carol"});
//   await peer.close();   // sends quit, then kills the child if it has not exited
//
// request() resolves with the response object ({id, ok, ...}); it rejects (a failure of the whole run)
// when the child does not answer within the timeout (20 s by default), exits, writes a line that is not
// JSON, or answers with another id. The child's stderr is copied to ours, each line prefixed with the
// peer's name.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export class ProcessPeer {
  /**
   * @param {{name: string, command: string, args?: string[], env?: object, timeoutMs?: number,
   *          trace?: (line: string) => void}} options
   */
  constructor(options) {
    this.name = options.name;
    this.command = options.command;
    this.timeoutMs = options.timeoutMs ?? 20000;
    this.trace = options.trace;
    this.pending = new Map(); // id -> {resolve, reject, timer, op}
    this.failure = undefined; // Error once the child is unusable
    this.exited = false;

    this.child = spawn(options.command, options.args ?? [], {
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exited = true;
        this.#failAll(new Error(`${this.name}: ${this.command} exited (code ${code}, signal ${signal})`));
        resolve({ code, signal });
      });
    });
    this.child.on("error", (e) => {
      this.exited = true;
      this.#failAll(new Error(`${this.name}: cannot run ${this.command}: ${e.message}`));
    });
    // A child that died must not crash us with EPIPE: the pending request fails instead.
    this.child.stdin.on("error", (e) => this.#failAll(new Error(`${this.name}: writing to the child: ${e.message}`)));

    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on("line", (line) => this.#onLine(line));
    createInterface({ input: this.child.stderr, crlfDelay: Infinity })
      .on("line", (line) => process.stderr.write(`[${this.name} stderr] ${line}\n`));
  }

  request(req) {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.id);
        const e = new Error(`${this.name}: no answer to request ${req.id} (${req.op}) within ${this.timeoutMs / 1000} s`);
        this.#failAll(e);
        reject(e);
      }, this.timeoutMs);
      this.pending.set(req.id, { resolve, reject, timer, op: req.op });
      const line = JSON.stringify(req);
      this.trace?.(`-> ${this.name} ${line}`);
      this.child.stdin.write(`${line}\n`);
    });
  }

  #onLine(line) {
    this.trace?.(`<- ${this.name} ${line}`);
    let response;
    try {
      response = JSON.parse(line);
    } catch {
      this.#failAll(new Error(`${this.name}: wrote a line that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    const entry = response !== null && typeof response === "object" ? this.pending.get(response.id) : undefined;
    if (entry === undefined) {
      this.#failAll(new Error(`${this.name}: response with an unexpected id: ${line.slice(0, 200)}`));
      return;
    }
    clearTimeout(entry.timer);
    this.pending.delete(response.id);
    entry.resolve(response);
  }

  #failAll(error) {
    if (this.failure === undefined) this.failure = error;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(this.failure);
      this.pending.delete(id);
    }
  }

  /** Asks the child to quit, waits up to graceMs for it to exit, then kills it. Never throws. */
  async close(graceMs = 2000) {
    if (!this.exited && this.failure === undefined) {
      try {
        const quitId = 0x7fffffff;
        await Promise.race([this.request({ id: quitId, op: "quit" }), delay(graceMs)]);
      } catch {
        // fall through to the kill below
      }
    }
    if (!this.exited) {
      await Promise.race([this.exitPromise, delay(graceMs)]);
    }
    this.kill();
  }

  /** Kills the child at once if it is still running (synchronous: usable from an exit handler). */
  kill() {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
    }
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
