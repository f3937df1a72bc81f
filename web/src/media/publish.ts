// The publish transport (docs/protocol.md, "Media"): one RTCPeerConnection
// on which the browser offers its sendonly audio and video; the SFU answers
// in `media_published`. Before the offer: VP8 only on video, and the
// dependency-descriptor header extension switched on (Chromium supports it
// but does not offer it by default; the SFU requires it on video, since the
// frames are SFrame ciphertext and the descriptor carries frame boundaries
// and key frames). Every sender gets the SFrame transform before any frame
// flows.
//
// A participant has one video track in the protocol, so a screen share is
// the same sender with another source: replaceVideoTrack() swaps the track
// without renegotiating. The transform belongs to the sender, not to the
// track, so the shared screen is sealed by the same worker as the camera.

import type { JsonObject, ServerMessage } from "../signaling/message.js";
import { str } from "../signaling/message.js";
import { err, ok, type Result } from "../util/result.js";
import type { SframeTransforms } from "./sframe_transform.js";

export const kDependencyDescriptorUri = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

export interface MediaSignaling {
  mediaRequest(type: string, fields?: JsonObject): Promise<ServerMessage | undefined>;
}

interface HeaderExtensionCapability {
  uri: string;
  direction: string;
}
type NegotiableTransceiver = RTCRtpTransceiver & {
  getHeaderExtensionsToNegotiate?: () => HeaderExtensionCapability[];
  setHeaderExtensionsToNegotiate?: (e: HeaderExtensionCapability[]) => void;
};

/** Turns the dependency descriptor on for this transceiver (in `direction`); false when the browser cannot. */
export function enableDependencyDescriptor(t: RTCRtpTransceiver, direction: string): boolean {
  const n = t as NegotiableTransceiver;
  if (!n.getHeaderExtensionsToNegotiate || !n.setHeaderExtensionsToNegotiate) return false;
  // Only the descriptor's entry changes; every other entry goes back as it came.
  for (const wanted of [direction, "sendrecv"]) {
    const exts = n.getHeaderExtensionsToNegotiate();
    const dd = exts.find((e) => e.uri === kDependencyDescriptorUri);
    if (dd === undefined) return false;
    if (dd.direction === wanted) return true;
    dd.direction = wanted;
    try {
      n.setHeaderExtensionsToNegotiate(exts);
      return true;
    } catch (e) {
      lastNegotiationError = e instanceof Error ? e.message : String(e);
    }
  }
  return false;
}

/** Why the last enableDependencyDescriptor failed (diagnostics). */
export let lastNegotiationError = "";

/** Only `mimeType` codecs on this transceiver (VP8 or Opus), when the browser lets us choose. */
export function preferCodec(t: RTCRtpTransceiver, kind: "audio" | "video", mimeType: string): void {
  const caps = RTCRtpReceiver.getCapabilities(kind);
  if (!caps || typeof t.setCodecPreferences !== "function") return;
  const codecs = caps.codecs.filter((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (codecs.length > 0) t.setCodecPreferences(codecs);
}

export class Publisher {
  private constructor(
    readonly pc: RTCPeerConnection,
    private readonly videoSender: RTCRtpSender | undefined,
    private readonly audioSender: RTCRtpSender | undefined,
  ) {}

  /** Offers `stream`'s first audio and video track to the SFU; resolves once the answer is applied. */
  static async start(signaling: MediaSignaling, stream: MediaStream, transforms: SframeTransforms): Promise<Result<Publisher>> {
    const pc = new RTCPeerConnection(transforms.peerConnectionConfig());
    let videoSender: RTCRtpSender | undefined;
    let audioSender: RTCRtpSender | undefined;
    try {
      const audio = stream.getAudioTracks()[0];
      const video = stream.getVideoTracks()[0];
      if (audio === undefined && video === undefined) return err("publish: no track");
      if (audio) {
        const t = pc.addTransceiver(audio, { direction: "sendonly", streams: [stream] });
        preferCodec(t, "audio", "audio/opus");
        transforms.attach(t.sender, "send", "audio");
        audioSender = t.sender;
      }
      if (video) {
        const t = pc.addTransceiver(video, { direction: "sendonly", streams: [stream] });
        preferCodec(t, "video", "video/VP8");
        if (!enableDependencyDescriptor(t, "sendonly")) {
          pc.close();
          return err(`publish: this browser cannot negotiate the dependency descriptor the SFU requires on video (${lastNegotiationError})`);
        }
        transforms.attach(t.sender, "send", "video");
        videoSender = t.sender;
      }
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const reply = await signaling.mediaRequest("media_publish", { sdp: pc.localDescription?.sdp ?? "" });
      if (reply === undefined) throw new Error("no reply to media_publish");
      if (reply.type !== "media_published") throw new Error(`media_publish refused: ${str(reply.body, "code") ?? reply.type}: ${str(reply.body, "message") ?? ""}`);
      const sdp = str(reply.body, "sdp");
      if (sdp === undefined) throw new Error("media_published without sdp");
      await pc.setRemoteDescription({ type: "answer", sdp });
      return ok(new Publisher(pc, videoSender, audioSender));
    } catch (e) {
      pc.close();
      return err(`publish: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Whether there is a video sender whose source can be swapped (the stream had a video track). */
  get hasVideo(): boolean {
    return this.videoSender !== undefined;
  }

  /**
   * Sends `track` on the video sender instead of the current one (null: send
   * nothing). No renegotiation: the SFU forwards the same SSRC, and a new
   * size starts with a VP8 key frame that receivers decode as it comes.
   */
  async replaceVideoTrack(track: MediaStreamTrack | null): Promise<Result<void>> {
    if (this.videoSender === undefined) return err("publish: no video sender (the page joined without a camera)");
    return this.replace(this.videoSender, track);
  }

  /** The same for the microphone (another device): same sender, same SFrame transform. */
  async replaceAudioTrack(track: MediaStreamTrack | null): Promise<Result<void>> {
    if (this.audioSender === undefined) return err("publish: no audio sender (the page joined without a microphone)");
    return this.replace(this.audioSender, track);
  }

  private async replace(sender: RTCRtpSender, track: MediaStreamTrack | null): Promise<Result<void>> {
    if (this.pc.connectionState === "closed") return err("publish: the connection is closed");
    try {
      await sender.replaceTrack(track);
      return ok(undefined);
    } catch (e) {
      return err(`publish: replaceTrack: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  close(): void {
    this.pc.close();
  }
}
