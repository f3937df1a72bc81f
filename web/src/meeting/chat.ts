// Chat messages: MLS application data holding the UTF-8 JSON object
// {"type": "chat", "text": "..."} (docs/client.md), as the native client
// sends them.

import { fromUtf8, utf8 } from "../util/bytes.js";
import { err, ok, type Result } from "../util/result.js";
import { isObject, str } from "../signaling/message.js";

export const kMaxChatBytes = 16 * 1024;

export function encodeChat(text: string): Uint8Array {
  return utf8(JSON.stringify({ type: "chat", text }));
}

export function decodeChat(data: Uint8Array): Result<string> {
  if (data.length > kMaxChatBytes) return err("chat message too large");
  const text = fromUtf8(data);
  if (!text.ok) return err("application data is not UTF-8");
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch {
    return err("application data is not JSON");
  }
  if (!isObject(value) || str(value, "type") !== "chat") return err("application data is not a chat message");
  const chat = str(value, "text");
  return chat === undefined ? err("chat message without text") : ok(chat);
}
