// SignalingConnection: the client side of docs/protocol.md's WebSocket
// envelope over a Transport. It numbers requests ("c1", "c2", ...), matches
// replies by `in_reply_to` (request() resolves with the reply: the success
// reply or an `error`), and hands every parsed server message, replies
// included, to the listener in arrival order. A frame that does not parse
// is reported to the listener as a malformed-input error, never thrown.

import { parseServerMessage, type JsonObject, type ServerMessage } from "./message.js";
import type { Transport, TransportFactory } from "./transport.js";

export interface ConnectionListener {
  message(message: ServerMessage): void;
  malformed(error: string): void;
  closed(code: number, reason: string): void;
}

interface Waiter {
  resolve(message: ServerMessage | undefined): void;
  timer: ReturnType<typeof setTimeout>;
}

export class SignalingConnection {
  private nextId = 1;
  private readonly waiters = new Map<string, Waiter>();
  private open = true;

  private constructor(
    private readonly transport: Transport,
    private readonly listener: ConnectionListener,
  ) {}

  static async connect(url: string, factory: TransportFactory, listener: ConnectionListener): Promise<SignalingConnection> {
    let connection: SignalingConnection | undefined;
    const early: Array<() => void> = [];
    const transport = await factory(url, {
      message: (text) => (connection ? connection.onText(text) : early.push(() => connection?.onText(text))),
      closed: (code, reason) => (connection ? connection.onClosed(code, reason) : early.push(() => connection?.onClosed(code, reason))),
    });
    connection = new SignalingConnection(transport, listener);
    for (const run of early) run();
    return connection;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Sends {v: 1, type, id, ...fields}; returns the id. */
  send(type: string, fields: JsonObject = {}): string {
    const id = `c${this.nextId++}`;
    if (this.open) this.transport.send(JSON.stringify({ ...fields, v: 1, type, id }));
    return id;
  }

  /** Sends and waits for the reply naming it (undefined after `timeoutMs` or a close). */
  request(type: string, fields: JsonObject = {}, timeoutMs = 10_000): Promise<ServerMessage | undefined> {
    const id = this.send(type, fields);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(id, { resolve, timer });
    });
  }

  close(code = 1000, reason = ""): void {
    if (!this.open) return;
    this.open = false;
    this.transport.close(code, reason);
  }

  private onText(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.listener.malformed(parsed.error);
      return;
    }
    const message = parsed.value;
    this.listener.message(message);
    if (message.inReplyTo !== undefined) {
      const waiter = this.waiters.get(message.inReplyTo);
      if (waiter) {
        this.waiters.delete(message.inReplyTo);
        clearTimeout(waiter.timer);
        waiter.resolve(message);
      }
    }
  }

  private onClosed(code: number, reason: string): void {
    this.open = false;
    for (const waiter of this.waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.resolve(undefined);
    }
    this.waiters.clear();
    this.listener.closed(code, reason);
  }
}
