// Decoding of MLSMessage payloads (RFC 9420 section 6) received from the
// server: the whole buffer must be one MLSMessage of version mls10 and of
// the expected wire format. ts-mls's decoder may throw or return
// undefined on hostile bytes; both become an error here.

import { decodeMlsMessage, encodeMlsMessage, type MLSMessage } from "ts-mls";

import { err, ok, type Result } from "../util/result.js";

export type WireFormat = MLSMessage["wireformat"];
export type MlsMessageOf<W extends WireFormat> = Extract<MLSMessage, { wireformat: W }>;

export function decodeMlsMessageAs<W extends WireFormat>(bytes: Uint8Array, wireformat: W): Result<MlsMessageOf<W>> {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    decoded = undefined;
  }
  if (decoded === undefined) return err("not an MLSMessage");
  const [message, length] = decoded;
  if (length !== bytes.length) return err(`${bytes.length - length} trailing bytes after the MLSMessage`);
  if (message.version !== "mls10") return err("MLSMessage version is not mls10");
  if (message.wireformat !== wireformat) return err(`wire format is ${message.wireformat}, expected ${wireformat}`);
  return ok(message as MlsMessageOf<W>);
}

export function encodeMls(message: MLSMessage): Uint8Array {
  return encodeMlsMessage(message);
}
