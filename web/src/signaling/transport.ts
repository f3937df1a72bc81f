// Transport: one text-frame connection to the server's signaling endpoint.
// The browser's WebSocket is one (browserTransport); Node tests use
// node/ws_transport.ts, which pins the server's self-signed certificate.

export interface TransportHandlers {
  message(text: string): void;
  /** The connection ended (either side); called once. */
  closed(code: number, reason: string): void;
}

export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a connection to `url`; resolves once it is open. */
export type TransportFactory = (url: string, handlers: TransportHandlers) => Promise<Transport>;

/**
 * The browser's WebSocket. The page is served by the conclave server
 * itself, so the browser already verified (or the user accepted) its
 * certificate; nothing else to pin here.
 */
export const browserTransport: TransportFactory = (url, handlers) =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let open = false;
    let done = false;
    socket.onopen = () => {
      open = true;
      resolve({
        send: (text) => socket.send(text),
        close: (code, reason) => socket.close(code ?? 1000, reason),
      });
    };
    socket.onmessage = (event: MessageEvent) => {
      // Binary frames are not part of the protocol: ignored.
      if (typeof event.data === "string") handlers.message(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (!open) reject(new Error(`WebSocket closed before open (${event.code})`));
      if (!done) {
        done = true;
        handlers.closed(event.code, event.reason);
      }
    };
  });
