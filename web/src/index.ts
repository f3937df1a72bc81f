// The browser client's library entry (bundled by scripts/build.mjs into
// dist/conclave-web.js; the SFrame worker is dist/sframe_worker.js). The UI comes
// later (docs/web.md).

export { MeetingSession, kSframeExporterLabel, kSframeBaseKeyLength, type SessionConfig, type Phase, type Participant, type ActionResult } from "./meeting/session.js";
export type { MeetingEvent, RosterEntry } from "./meeting/events.js";
export { securityCode } from "./meeting/security_code.js";
export { browserTransport, type Transport, type TransportFactory } from "./signaling/transport.js";
export { SignalingConnection } from "./signaling/connection.js";
export { MeetingMedia, type MeetingMediaConfig } from "./media/meeting_media.js";
export { Publisher, enableDependencyDescriptor, kDependencyDescriptorUri } from "./media/publish.js";
export { Subscriber, type RemoteTrack } from "./media/subscribe.js";
export { SframeTransforms, detectTransformApi, type TransformApi } from "./media/sframe_transform.js";
export { MlsSframe, encodeHeader, decodeHeader, mlsKid, splitMlsKid } from "./media/sframe.js";
export type { WorkerStats } from "./media/sframe_worker.js";
