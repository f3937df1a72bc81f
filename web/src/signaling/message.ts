// Server messages of the signaling protocol (docs/protocol.md): parsing of
// one text frame into a validated envelope, and typed field access that
// never throws. Every handler reads the server's fields through these
// accessors: a missing field or one of the wrong type is `undefined`.

import { fromBase64url } from "../util/bytes.js";
import { err, ok, type Result } from "../util/result.js";

/** The largest frame we parse (the server's own limit is 64 KiB per message by default). */
export const kMaxFrameChars = 1 << 20;
const kMaxDepth = 16;

export type JsonObject = { [key: string]: unknown };

export interface ServerMessage {
  type: string;
  id: string | undefined; // the server's "s<n>"
  inReplyTo: string | undefined; // our request's id, as a string
  body: JsonObject;
}

function depthOf(value: unknown, depth: number): number {
  if (depth > kMaxDepth) return depth;
  if (Array.isArray(value)) return value.reduce<number>((d, v) => Math.max(d, depthOf(v, depth + 1)), depth);
  if (isObject(value)) return Object.values(value).reduce<number>((d, v) => Math.max(d, depthOf(v, depth + 1)), depth);
  return depth;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** Parses one text frame: a JSON object with v = 1 and a string type. */
export function parseServerMessage(text: string): Result<ServerMessage> {
  if (text.length > kMaxFrameChars) return err("malformed: frame too large");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err("malformed: not JSON");
  }
  if (!isObject(value)) return err("malformed: not a JSON object");
  if (depthOf(value, 0) > kMaxDepth) return err("malformed: nested too deep");
  if (value["v"] !== 1) return err("unsupported_version: v is not 1");
  const type = value["type"];
  if (typeof type !== "string" || type.length === 0) return err("malformed: no type");
  return ok({ type, id: idText(value["id"]), inReplyTo: idText(value["in_reply_to"]), body: value });
}

export function str(m: JsonObject, key: string): string | undefined {
  const v = m[key];
  return typeof v === "string" ? v : undefined;
}

export function uint(m: JsonObject, key: string): number | undefined {
  const v = m[key];
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

export function bool(m: JsonObject, key: string): boolean {
  return m[key] === true;
}

export function obj(m: JsonObject, key: string): JsonObject | undefined {
  const v = m[key];
  return isObject(v) ? v : undefined;
}

export function arr(m: JsonObject, key: string): unknown[] | undefined {
  const v = m[key];
  return Array.isArray(v) ? v : undefined;
}

/** A base64url MLS payload field. */
export function payload(m: JsonObject, key: string): Result<Uint8Array> {
  const text = str(m, key);
  if (text === undefined) return err(`missing MLS payload field ${key}`);
  const bytes = fromBase64url(text);
  if (!bytes.ok) return err(`${key}: payload is not base64url`);
  return bytes;
}
