// TlsReader / TlsWriter: the TLS presentation language of RFC 9420
// section 2.1 (big-endian integers, opaque<V> with the MLS variable-length
// integer prefix), for the few structures this client encodes or parses
// itself (the meeting policy, the external_senders list). Reading past the
// end or a non-minimal length is an error; decodeAll() also refuses
// trailing bytes.

import { err, ok, type Result } from "./result.js";

class DecodeError extends Error {}

export class TlsReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u8(): number {
    if (this.remaining < 1) throw new DecodeError("truncated uint8");
    return this.bytes[this.at++] ?? 0;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  /** RFC 9420 section 2.1.2 variable-length integer (minimal encoding only). */
  varint(): number {
    const first = this.u8();
    const prefix = first >> 6;
    if (prefix === 3) throw new DecodeError("invalid varint prefix");
    let value = first & 0x3f;
    const extra = prefix === 0 ? 0 : prefix === 1 ? 1 : 3;
    for (let i = 0; i < extra; i++) value = value * 256 + this.u8();
    const minimal = prefix === 0 || (prefix === 1 && value >= 64) || (prefix === 2 && value >= 16384);
    if (!minimal) throw new DecodeError("non-minimal varint");
    return value;
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) throw new DecodeError("truncated data");
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  opaque(): Uint8Array {
    return this.take(this.varint());
  }

  /** A vector<V> of items, each read by `item` from a reader over the vector's bytes. */
  vector<T>(item: (r: TlsReader) => T): T[] {
    const inner = new TlsReader(this.opaque());
    const out: T[] = [];
    while (inner.remaining > 0) out.push(item(inner));
    return out;
  }
}

/** Decodes `bytes` completely with `read`; any failure or trailing byte is an error. */
export function decodeAll<T>(bytes: Uint8Array, read: (r: TlsReader) => T): Result<T> {
  try {
    const r = new TlsReader(bytes);
    const value = read(r);
    if (r.remaining !== 0) return err(`${r.remaining} trailing bytes`);
    return ok(value);
  } catch (e) {
    if (e instanceof DecodeError) return err(e.message);
    throw e;
  }
}

export class TlsWriter {
  private parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }

  varint(v: number): this {
    if (v < 64) return this.u8(v);
    if (v < 16384) return this.u8(0x40 | (v >> 8)).u8(v);
    if (v < 0x40000000) return this.u8(0x80 | (v >>> 24)).u8(v >>> 16).u8(v >>> 8).u8(v);
    throw new RangeError("varint too large");
  }

  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }

  opaque(b: Uint8Array): this {
    return this.varint(b.length).bytes(b);
  }

  vector<T>(items: T[], write: (w: TlsWriter, item: T) => void): this {
    const inner = new TlsWriter();
    for (const item of items) write(inner, item);
    return this.opaque(inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
