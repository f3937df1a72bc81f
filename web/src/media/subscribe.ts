// The subscribe transport (docs/protocol.md, "Media"): one RTCPeerConnection
// on which the SFU offers one sendonly section per remote track
// (`media_offer`, with a `version`); the browser answers recvonly
// (`media_answer` naming that version). A later offer (tracks came or went)
// has a higher version and is applied on the same connection; offers are
// handled one at a time, an older or equal version is ignored. Every
// receiver gets the SFrame transform as soon as its section appears, and
// video sections get the dependency descriptor before the answer.

import type { ServerMessage } from "../signaling/message.js";
import { arr, str, uint } from "../signaling/message.js";
import { enableDependencyDescriptor, lastNegotiationError, type MediaSignaling } from "./publish.js";
import type { SframeTransforms } from "./sframe_transform.js";

export interface RemoteTrack {
  mid: string;
  participantId: string;
  kind: "audio" | "video";
  track: MediaStreamTrack;
}

export class Subscriber {
  readonly pc: RTCPeerConnection;
  private version = -1;
  private chain: Promise<void> = Promise.resolve();
  private readonly attached = new Set<RTCRtpReceiver>();
  private owners = new Map<string, string>(); // mid -> participant_id, from `tracks`
  lastError = "";

  constructor(
    private readonly signaling: MediaSignaling,
    private readonly transforms: SframeTransforms,
    private readonly onTrack: (t: RemoteTrack) => void,
  ) {
    this.pc = new RTCPeerConnection(transforms.peerConnectionConfig());
    this.pc.ontrack = (e) => {
      const mid = e.transceiver.mid ?? "";
      const kind = e.track.kind === "audio" ? "audio" : "video";
      this.onTrack({ mid, participantId: this.owners.get(mid) ?? "", kind, track: e.track });
    };
  }

  /** Asks the SFU for its offer (it comes as a media_offer through `offer`). */
  async start(): Promise<void> {
    const reply = await this.signaling.mediaRequest("media_subscribe");
    if (reply?.type === "media_offer") this.offer(reply);
  }

  /** Applies a media_offer (in order; stale versions are ignored). */
  offer(m: ServerMessage): void {
    this.chain = this.chain.then(() => this.apply(m)).catch((e: unknown) => {
      this.lastError = e instanceof Error ? e.message : String(e);
    });
  }

  private async apply(m: ServerMessage): Promise<void> {
    const sdp = str(m.body, "sdp");
    const version = uint(m.body, "version");
    if (sdp === undefined || version === undefined || version <= this.version) return;
    for (const t of arr(m.body, "tracks") ?? []) {
      const o = t as Record<string, unknown>;
      if (typeof o["mid"] === "string" && typeof o["participant_id"] === "string") this.owners.set(o["mid"], o["participant_id"]);
    }
    await this.pc.setRemoteDescription({ type: "offer", sdp });
    for (const t of this.pc.getTransceivers()) {
      const kind = t.receiver.track.kind === "audio" ? "audio" : "video";
      if (kind === "video" && !enableDependencyDescriptor(t, "recvonly")) this.lastError = `subscribe: dependency descriptor not negotiable (${lastNegotiationError})`;
      if (!this.attached.has(t.receiver)) {
        this.attached.add(t.receiver);
        this.transforms.attach(t.receiver, "recv", kind);
      }
    }
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.version = version;
    const reply = await this.signaling.mediaRequest("media_answer", { sdp: this.pc.localDescription?.sdp ?? "", version });
    if (reply?.type === "error") this.lastError = `media_answer: ${str(reply.body, "code") ?? ""} ${str(reply.body, "message") ?? ""}`;
  }

  close(): void {
    this.pc.close();
  }
}
