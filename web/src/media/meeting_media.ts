// MeetingMedia: a MeetingSession's audio and video through the SFU, every
// frame SFrame-sealed in the worker with the group's keys.
//
//   const media = MeetingMedia.create(session, { workerUrl, stream, onTrack });
//   await media.start();        // once the session is a member of the group
//
// On every epoch the worker gets the epoch's base key and our leaf (the
// previous epoch stays usable 5 s for frames in flight; we keep sending in
// it for 500 ms unless the commit removed someone). Until the first
// key arrives the worker drops every frame in both directions. When the
// session ends, the keys are withdrawn and both connections close.
// `withholdKeys` (TEST ONLY) never hands the worker a key: the negative
// check that a member without the keys decodes nothing.

import type { MeetingSession } from "../meeting/session.js";
import { err, ok, type Result } from "../util/result.js";
import { Publisher } from "./publish.js";
import { SframeTransforms, type TransformApi } from "./sframe_transform.js";
import { Subscriber, type RemoteTrack } from "./subscribe.js";
import type { WorkerStats } from "./sframe_worker.js";

export const kSendSwitchDelayMs = 500;

export interface MeetingMediaConfig {
  workerUrl: string | URL;
  stream?: MediaStream; // what to publish; none: receive only
  onTrack: (t: RemoteTrack) => void;
  preferApi?: TransformApi;
  withholdKeys?: boolean; // TEST ONLY
}

export class MeetingMedia {
  private publisher: Publisher | undefined;
  private subscriber: Subscriber | undefined;

  private constructor(
    private readonly session: MeetingSession,
    private readonly config: MeetingMediaConfig,
    readonly transforms: SframeTransforms,
  ) {}

  static create(session: MeetingSession, config: MeetingMediaConfig): Result<MeetingMedia> {
    const transforms = SframeTransforms.create(config.workerUrl, config.preferApi);
    if (!transforms.ok) return transforms;
    const media = new MeetingMedia(session, config, transforms.value);
    if (!config.withholdKeys) {
      // Unless the commit removed someone, keep sealing in the previous
      // epoch for kSendSwitchDelayMs: the others apply the commit a little
      // later, and frames sealed in the new epoch would not open there yet.
      // After a removal the switch is immediate (the departed member holds
      // the previous key). The native client does the same (MediaEngine).
      session.watchEpochs((epoch, leaf, key, removed) => transforms.value.setKey(epoch, key, leaf, removed ? 0 : kSendSwitchDelayMs));
    }
    void session.ended.then(() => media.close());
    return ok(media);
  }

  get api(): TransformApi {
    return this.transforms.api;
  }

  /** Opens the subscribe transport, then the publish one (if there is a stream). */
  async start(): Promise<Result<void>> {
    if (!this.session.isMember) return err("media: not a member of the group yet");
    const subscriber = new Subscriber(this.session, this.transforms, this.config.onTrack);
    this.subscriber = subscriber;
    this.session.watchMedia((m) => {
      if (m.type === "media_offer") subscriber.offer(m);
    });
    await subscriber.start();
    if (this.config.stream) {
      const p = await Publisher.start(this.session, this.config.stream, this.transforms);
      if (!p.ok) return p;
      this.publisher = p.value;
    }
    return ok(undefined);
  }

  /** Whether the page publishes a video track (the one a screen share replaces). */
  get canReplaceVideo(): boolean {
    return this.publisher?.hasVideo ?? false;
  }

  /** Sends `track` instead of the current video track (a screen share and back): see Publisher. */
  replaceVideoTrack(track: MediaStreamTrack | null): Promise<Result<void>> {
    if (this.publisher === undefined) return Promise.resolve(err("media: not publishing"));
    return this.publisher.replaceVideoTrack(track);
  }

  /** Sends `track` instead of the current microphone track (another device): see Publisher. */
  replaceAudioTrack(track: MediaStreamTrack | null): Promise<Result<void>> {
    if (this.publisher === undefined) return Promise.resolve(err("media: not publishing"));
    return this.publisher.replaceAudioTrack(track);
  }

  get publishConnection(): RTCPeerConnection | undefined {
    return this.publisher?.pc;
  }
  get subscribeConnection(): RTCPeerConnection | undefined {
    return this.subscriber?.pc;
  }
  get subscribeError(): string {
    return this.subscriber?.lastError ?? "";
  }

  stats(): Promise<WorkerStats> {
    return this.transforms.stats();
  }

  close(): void {
    this.transforms.clearKeys();
    this.publisher?.close();
    this.subscriber?.close();
  }
}
