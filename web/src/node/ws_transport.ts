// A Transport for Node (tests and tools) over the `ws` package, pinned to
// the server's self-signed certificate the way `conclave join` pins it:
// the SHA-256 fingerprint of the leaf certificate, colon-separated
// uppercase hex as the server prints it at start. The chain is not
// verified (the certificate is self-signed), the pin is: the TLS socket is
// destroyed in `secureConnect`, before the HTTP upgrade is written, unless
// the fingerprint matches. Not part of the browser bundle.

import type { TLSSocket } from "node:tls";
import * as tls from "node:tls";

import WebSocket from "ws";

import type { Transport, TransportFactory } from "../signaling/transport.js";

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/:/g, "").toUpperCase();
}

export function pinnedWsTransport(fingerprint: string): TransportFactory {
  const pin = normalizeFingerprint(fingerprint);
  return (url, handlers) =>
    new Promise((resolve, reject) => {
      let pinError: Error | undefined;
      const socket = new WebSocket(url, {
        rejectUnauthorized: false,
        maxPayload: 4 << 20,
        createConnection: ((options: tls.ConnectionOptions) => {
          const s: TLSSocket = tls.connect({ ...options, rejectUnauthorized: false });
          s.once("secureConnect", () => {
            const seen = normalizeFingerprint(s.getPeerCertificate().fingerprint256 ?? "");
            if (seen !== pin) {
              pinError = new Error(`server certificate ${seen} does not match the pinned fingerprint`);
              s.destroy(pinError);
            }
          });
          return s;
        }) as never,
      });
      let open = false;
      let done = false;
      socket.on("open", () => {
        open = true;
        const transport: Transport = {
          send: (text) => socket.send(text),
          close: (code, reason) => socket.close(code ?? 1000, reason),
        };
        resolve(transport);
      });
      socket.on("message", (data, isBinary) => {
        if (!isBinary) handlers.message(data.toString());
      });
      socket.on("error", (e) => {
        if (!open) reject(pinError ?? e);
      });
      socket.on("close", (code, reason) => {
        if (!open) reject(pinError ?? new Error(`closed before open (${code})`));
        if (!done) {
          done = true;
          handlers.closed(code, reason.toString());
        }
      });
    });
}
