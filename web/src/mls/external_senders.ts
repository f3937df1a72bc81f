// The external_senders GroupContext extension (RFC 9420 section 12.1.8.1):
//
//   struct { SignaturePublicKey signature_key; Credential credential; } ExternalSender;
//   ExternalSender external_senders<V>;
//
// ts-mls 1.6.4 reads this extension as a single ExternalSender instead of
// a list, so it cannot verify proposals from an external sender (the
// server's Removes): this module decodes the list itself and the group
// passes the signature key to ts-mls explicitly.

import type { Extension } from "ts-mls";

import { extensionTypeNumber } from "../meeting/policy.js";
import { err, ok, type Result } from "../util/result.js";
import { decodeAll, TlsWriter, type TlsReader } from "../util/tls_reader.js";

const kExternalSendersType = 5;
const kBasicCredential = 1;

export interface ExternalSender {
  signatureKey: Uint8Array;
  identity: Uint8Array; // Basic credential only (the server's is "conclave-server")
}

function readSender(r: TlsReader): ExternalSender {
  const signatureKey = r.opaque();
  const type = r.u16();
  if (type !== kBasicCredential) throw new RangeError("not a basic credential");
  return { signatureKey, identity: r.opaque() };
}

export function decodeExternalSenders(data: Uint8Array): Result<ExternalSender[]> {
  try {
    return decodeAll(data, (r) => r.vector(readSender));
  } catch {
    return err("external_senders: only basic credentials are supported");
  }
}

/** One ExternalSender, as the `external_sender` field of `joined` carries it. */
export function decodeExternalSender(data: Uint8Array): Result<ExternalSender> {
  try {
    return decodeAll(data, readSender);
  } catch {
    return err("external_sender: only basic credentials are supported");
  }
}

export function encodeExternalSenders(senders: ExternalSender[]): Uint8Array {
  return new TlsWriter()
    .vector(senders, (w, s) => w.opaque(s.signatureKey).u8(0).u8(kBasicCredential).opaque(s.identity))
    .finish();
}

/** The external sender `index` of a group context, if there is one. */
export function externalSenderOf(extensions: Extension[], index: number): Result<ExternalSender> {
  const ext = extensions.find((e) => extensionTypeNumber(e.extensionType) === kExternalSendersType);
  if (ext === undefined) return err("the group has no external_senders extension");
  const senders = decodeExternalSenders(ext.extensionData);
  if (!senders.ok) return senders;
  const sender = senders.value[index];
  return sender === undefined ? err(`no external sender ${index}`) : ok(sender);
}
