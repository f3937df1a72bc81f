// SFrame (RFC 9605) for the browser's media path, with keys from MLS
// (RFC 9605 section 5.2) laid out exactly as the native client's
// sframe::MlsContext (lib/sframe/include/conclave/sframe/mls_context.h):
//
//   suite      AES_128_GCM_SHA256_128 (4): Nk 16, Nn 12, Nt 16
//   base_key   MLS-Exporter("SFrame 1.0 Base Key", "", 16), once per epoch
//   KID        context << (S + E) | sender_leaf << E | epoch mod 2^E,
//              E = 4, S = 8; context 0 = audio, 1 = video
//   key, salt  HKDF-Expand(HKDF-Extract("", base_key),
//              "SFrame 1.0 Secret key " || KID (8 B) || suite (2 B), Nk)
//              and the same with "SFrame 1.0 Secret salt ", Nn
//   frame      header(KID, CTR) || AES-GCM(key, salt XOR CTR,
//              aad = header || metadata, plaintext); metadata is empty
//
// Epochs: the newest is current (protect); older ones stay usable for
// unprotect during a grace period (5 s, as the native client), and one
// whose low E bits collide with a newer one is removed. Each received KID
// has a 128-frame replay window (RFC 9605 section 9.3), updated only after
// a frame authenticated. Every function that reads a received frame
// returns a Result and never throws. WebCrypto only: this module runs in
// pages, workers and Node 20 alike.

import { err, ok, type Result } from "../util/result.js";

export const kSuiteAes128GcmSha256 = 4;
export const kNk = 16;
export const kNn = 12;
export const kNt = 16;
export const kEpochBits = 4;
export const kSenderBits = 8;
export const kGraceMs = 5000;
export const kReplayWindow = 128n;
export const kMaxHeaderSize = 17;
export const kContextAudio = 0n;
export const kContextVideo = 1n;

const kMask64 = (1n << 64n) - 1n;

// --------------------------------------------------------------- header

function byteLength(v: bigint): number {
  let n = 0;
  while (v > 0n) {
    n += 1;
    v >>= 8n;
  }
  return n;
}

/** The SFrame header for (kid, ctr): config byte X KKK Y CCC, then KID and CTR. */
export function encodeHeader(kid: bigint, ctr: bigint): Uint8Array {
  if (kid < 0n || kid > kMask64 || ctr < 0n || ctr > kMask64) throw new RangeError("SFrame KID/CTR out of range");
  const kidLen = kid < 8n ? 0 : byteLength(kid);
  const ctrLen = ctr < 8n ? 0 : byteLength(ctr);
  const out = new Uint8Array(1 + kidLen + ctrLen);
  let config = 0;
  config |= kidLen === 0 ? Number(kid) << 4 : 0x80 | ((kidLen - 1) << 4);
  config |= ctrLen === 0 ? Number(ctr) : 0x08 | (ctrLen - 1);
  out[0] = config;
  for (let i = 0; i < kidLen; i++) out[1 + i] = Number((kid >> BigInt(8 * (kidLen - 1 - i))) & 0xffn);
  for (let i = 0; i < ctrLen; i++) out[1 + kidLen + i] = Number((ctr >> BigInt(8 * (ctrLen - 1 - i))) & 0xffn);
  return out;
}

export interface Header {
  kid: bigint;
  ctr: bigint;
  size: number; // bytes of the header
}

/**
 * Reads the header at the start of `data`. Refuses truncated headers and
 * non-minimal encodings (a value below 8 written in extended form, or a
 * leading zero byte), which encodeHeader never produces.
 */
export function decodeHeader(data: Uint8Array): Result<Header> {
  const config = data[0];
  if (config === undefined) return err("sframe: empty frame");
  let pos = 1;
  const field = (extended: boolean, bits: number): Result<bigint> => {
    if (!extended) return ok(BigInt(bits));
    const len = bits + 1;
    if (pos + len > data.length) return err("sframe: truncated header");
    let v = 0n;
    for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(data[pos + i] ?? 0);
    if (data[pos] === 0 || v < 8n) return err("sframe: non-minimal header");
    pos += len;
    return ok(v);
  };
  const kid = field((config & 0x80) !== 0, (config >> 4) & 0x07);
  if (!kid.ok) return kid;
  const ctr = field((config & 0x08) !== 0, config & 0x07);
  if (!ctr.ok) return ctr;
  return ok({ kid: kid.value, ctr: ctr.value, size: pos });
}

// ------------------------------------------------------- keys and AEAD

export interface KeySalt {
  key: CryptoKey;
  rawKey?: Uint8Array; // only with exportable = true (tests)
  salt: Uint8Array;
}

function label(prefix: string, kid: bigint, suite: number): Uint8Array {
  const p = new TextEncoder().encode(prefix);
  const out = new Uint8Array(p.length + 10);
  out.set(p, 0);
  for (let i = 0; i < 8; i++) out[p.length + i] = Number((kid >> BigInt(8 * (7 - i))) & 0xffn);
  out[p.length + 8] = (suite >> 8) & 0xff;
  out[p.length + 9] = suite & 0xff;
  return out;
}

/** RFC 9605 derive_key_salt for suite 4 (WebCrypto HKDF = Extract then Expand). */
export async function deriveKeySalt(baseKey: Uint8Array, kid: bigint, exportable = false): Promise<KeySalt> {
  const ikm = await crypto.subtle.importKey("raw", baseKey as BufferSource, "HKDF", false, ["deriveBits"]);
  const hkdf = (info: Uint8Array, bytes: number) =>
    crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: info as BufferSource }, ikm, bytes * 8);
  const rawKey = new Uint8Array(await hkdf(label("SFrame 1.0 Secret key ", kid, kSuiteAes128GcmSha256), kNk));
  const salt = new Uint8Array(await hkdf(label("SFrame 1.0 Secret salt ", kid, kSuiteAes128GcmSha256), kNn));
  const key = await crypto.subtle.importKey("raw", rawKey, "AES-GCM", exportable, ["encrypt", "decrypt"]);
  return exportable ? { key, rawKey, salt } : { key, salt };
}

function nonceFor(salt: Uint8Array, ctr: bigint): Uint8Array {
  const nonce = salt.slice();
  for (let i = 0; i < 8; i++) {
    const idx = kNn - 1 - i;
    nonce[idx] = (nonce[idx] ?? 0) ^ Number((ctr >> BigInt(8 * i)) & 0xffn);
  }
  return nonce;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** encrypt(CTR, KID, metadata, plaintext) of RFC 9605 section 4.4.3: header || ciphertext || tag. */
export async function seal(ks: KeySalt, kid: bigint, ctr: bigint, metadata: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const header = encodeHeader(kid, ctr);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonceFor(ks.salt, ctr) as BufferSource, additionalData: concat(header, metadata) as BufferSource, tagLength: 128 },
    ks.key,
    plaintext as BufferSource,
  );
  return concat(header, new Uint8Array(ct));
}

/** decrypt(metadata, sframe_ciphertext) with a known key; the header must already be decoded. */
export async function open(ks: KeySalt, header: Header, metadata: Uint8Array, frame: Uint8Array): Promise<Result<Uint8Array>> {
  if (frame.length < header.size + kNt) return err("sframe: frame shorter than its tag");
  try {
    const pt = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: nonceFor(ks.salt, header.ctr) as BufferSource,
        additionalData: concat(frame.subarray(0, header.size), metadata) as BufferSource,
        tagLength: 128,
      },
      ks.key,
      frame.subarray(header.size) as BufferSource,
    );
    return ok(new Uint8Array(pt));
  } catch {
    return err("sframe: authentication failed");
  }
}

// ---------------------------------------------------------- replay window

/** 128-counter sliding window (RFC 3711 section 3.3.2 style, on the SFrame CTR). */
export class ReplayWindow {
  private top: bigint | undefined;
  private bits = 0n; // bit i: top - i was seen

  check(ctr: bigint): boolean {
    if (this.top === undefined || ctr > this.top) return true;
    const offset = this.top - ctr;
    if (offset >= kReplayWindow) return false;
    return ((this.bits >> offset) & 1n) === 0n;
  }

  update(ctr: bigint): void {
    if (this.top === undefined) {
      this.top = ctr;
      this.bits = 1n;
    } else if (ctr > this.top) {
      const shift = ctr - this.top;
      this.bits = shift >= kReplayWindow ? 1n : ((this.bits << shift) | 1n) & ((1n << kReplayWindow) - 1n);
      this.top = ctr;
    } else {
      this.bits |= 1n << (this.top - ctr);
    }
  }
}

// ------------------------------------------------------ MLS-keyed context

export function mlsKid(contextId: bigint, senderIndex: bigint, epoch: bigint): bigint {
  return (contextId << BigInt(kSenderBits + kEpochBits)) | (senderIndex << BigInt(kEpochBits)) | (epoch & ((1n << BigInt(kEpochBits)) - 1n));
}

export function splitMlsKid(kid: bigint): { contextId: bigint; senderIndex: bigint; epochBits: bigint } {
  return {
    contextId: kid >> BigInt(kSenderBits + kEpochBits),
    senderIndex: (kid >> BigInt(kEpochBits)) & ((1n << BigInt(kSenderBits)) - 1n),
    epochBits: kid & ((1n << BigInt(kEpochBits)) - 1n),
  };
}

export interface Opened {
  plaintext: Uint8Array;
  epoch: bigint;
  senderIndex: bigint;
  contextId: bigint;
  ctr: bigint;
}

interface Epoch {
  epoch: bigint;
  baseKey: Uint8Array;
  retiredAt: number | undefined;
  send: Map<bigint, { ks: Promise<KeySalt>; ctr: bigint }>;
  recv: Map<bigint, { ks: KeySalt; window: ReplayWindow }>;
}

/**
 * The browser's twin of sframe::MlsContext: epochs of base keys, our own
 * counters per KID, and received keys derived on demand (kept only once a
 * frame under them authenticated). `now` is injectable for tests.
 */
export const kUnknownEpoch = "sframe: unknown epoch";
export const kFutureEpoch = "sframe: a future epoch";

export class MlsSframe {
  private epochs: Epoch[] = []; // oldest first; the last is current
  private sendHold: { epoch: bigint; until: number } | undefined; // delaySendSwitch()

  constructor(private readonly now: () => number = () => Date.now(), private readonly graceMs = kGraceMs) {}

  get currentEpoch(): bigint | undefined {
    return this.epochs[this.epochs.length - 1]?.epoch;
  }

  /** Installs a new epoch's base key (16 bytes); false when not newer or not 16 bytes. */
  addEpoch(epoch: bigint, baseKey: Uint8Array): boolean {
    const current = this.currentEpoch;
    if (baseKey.length !== kNk || (current !== undefined && epoch <= current)) return false;
    const low = (1n << BigInt(kEpochBits)) - 1n;
    const t = this.now();
    this.epochs = this.epochs.filter((e) => (e.epoch & low) !== (epoch & low));
    for (const e of this.epochs) e.retiredAt ??= t;
    this.epochs.push({ epoch, baseKey: baseKey.slice(), retiredAt: undefined, send: new Map(), recv: new Map() });
    this.sendHold = undefined; // a hold names the epoch before the current one only
    return true;
  }

  /**
   * protect() keeps sealing in the epoch before the current one for `ms`
   * more, if it is held (as sframe::MlsContext::delay_send_switch): members
   * that apply the commit later still open our frames. Not after a removal.
   */
  delaySendSwitch(ms: number): void {
    this.sendHold = undefined;
    const previous = this.epochs[this.epochs.length - 2];
    if (previous === undefined || ms <= 0) return;
    this.sendHold = { epoch: previous.epoch, until: this.now() + ms };
  }

  /** The epoch protect() seals in now. */
  get sendEpoch(): bigint | undefined {
    return this.sendingEpoch()?.epoch;
  }

  private sendingEpoch(): Epoch | undefined {
    const hold = this.sendHold;
    if (hold !== undefined && this.now() < hold.until) {
      const e = this.epochs.find((x) => x.epoch === hold.epoch);
      if (e !== undefined && !this.expired(e)) return e;
    }
    return this.epochs[this.epochs.length - 1];
  }

  /** Forgets every epoch (the page's keys are withdrawn). */
  clear(): void {
    this.epochs = [];
    this.sendHold = undefined;
  }

  private expired(e: Epoch): boolean {
    return e.retiredAt !== undefined && this.now() - e.retiredAt >= this.graceMs;
  }

  /** Seals a frame as `senderIndex` in the current epoch (or the held one, delaySendSwitch); an error when there is no key. */
  async protect(senderIndex: bigint, contextId: bigint, plaintext: Uint8Array, metadata = new Uint8Array(0)): Promise<Result<Uint8Array>> {
    const e = this.sendingEpoch();
    if (e === undefined) return err("sframe: no key");
    if (senderIndex >= 1n << BigInt(kSenderBits) || contextId >= 1n << BigInt(64 - kSenderBits - kEpochBits)) return err("sframe: KID field too large");
    const kid = mlsKid(contextId, senderIndex, e.epoch);
    let s = e.send.get(kid);
    if (s === undefined) {
      s = { ks: deriveKeySalt(e.baseKey, kid), ctr: 0n };
      e.send.set(kid, s);
    }
    const ctr = s.ctr;
    s.ctr += 1n;
    return ok(await seal(await s.ks, kid, ctr, metadata, plaintext));
  }

  /**
   * Opens a received frame: epoch by the KID's low bits, replay window,
   * AES-GCM. A frame of an epoch we hold no key for is kFutureEpoch when its
   * low E bits are 1 to 2^(E-1)-1 steps ahead of our current epoch (a
   * commit we have not applied yet: its key is about to arrive), else
   * kUnknownEpoch (sent before we joined, or no key at all).
   */
  async unprotect(frame: Uint8Array, metadata = new Uint8Array(0)): Promise<Result<Opened>> {
    const header = decodeHeader(frame);
    if (!header.ok) return header;
    const { kid, ctr } = header.value;
    const parts = splitMlsKid(kid);
    const mask = (1n << BigInt(kEpochBits)) - 1n;
    const e = this.epochs.find((x) => (x.epoch & mask) === parts.epochBits);
    if (e === undefined) {
      const current = this.currentEpoch;
      const ahead = current === undefined ? 0n : (parts.epochBits - (current & mask)) & mask;
      return err(ahead > 0n && ahead < 1n << BigInt(kEpochBits - 1) ? kFutureEpoch : kUnknownEpoch);
    }
    if (this.expired(e)) return err("sframe: epoch expired");
    const known = e.recv.get(kid);
    if (known !== undefined && !known.window.check(ctr)) return err("sframe: replay");
    const ks = known?.ks ?? (await deriveKeySalt(e.baseKey, kid));
    const pt = await open(ks, header.value, metadata, frame);
    if (!pt.ok) return pt;
    // Re-read: another frame of the same KID may have been accepted meanwhile.
    let state = e.recv.get(kid);
    if (state === undefined) {
      state = { ks, window: new ReplayWindow() };
      e.recv.set(kid, state);
    }
    if (!state.window.check(ctr)) return err("sframe: replay");
    state.window.update(ctr);
    return ok({ plaintext: pt.value, epoch: e.epoch, senderIndex: parts.senderIndex, contextId: parts.contextId, ctr });
  }
}
