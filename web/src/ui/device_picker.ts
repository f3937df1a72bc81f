// The camera and microphone choice of the meeting page: which devices the
// browser lists (enumerateDevices), and the switch to another one. A new
// device's track replaces the old one on the same sender (no renegotiation,
// the same SFrame transform: MeetingMedia.replaceVideoTrack/AudioTrack); it
// keeps the old track's mute state, and the old track is stopped (the
// browser's camera light follows).
//
// The pure part (choicesOf) is unit-tested in Node.

export type DeviceKind = "videoinput" | "audioinput";

/** The part of a MediaDeviceInfo used here. */
export interface DeviceInfo {
  readonly deviceId: string;
  readonly kind: string;
  readonly label: string;
}

export interface DeviceChoice {
  deviceId: string;
  label: string;
}

/**
 * The devices of one kind, in the browser's order, each once. Labels are
 * empty until the page may use a device; then "Camera 2" and the like name
 * them. Chromium lists the system's default device again as "default"
 * (that is what a plain getUserMedia opens, so it stays) and as
 * "communications" (left out unless it is the only entry).
 */
export function choicesOf(devices: readonly DeviceInfo[], kind: DeviceKind): DeviceChoice[] {
  const all = devices.filter((d) => d.kind === kind && d.deviceId !== "");
  const chosen = all.some((d) => d.deviceId !== "communications") ? all.filter((d) => d.deviceId !== "communications") : all;
  const seen = new Set<string>();
  const out: DeviceChoice[] = [];
  for (const d of chosen) {
    if (seen.has(d.deviceId)) continue;
    seen.add(d.deviceId);
    const label = d.label.trim() !== "" ? d.label.trim() : `${kind === "videoinput" ? "Camera" : "Microphone"} ${out.length + 1}`;
    out.push({ deviceId: d.deviceId, label });
  }
  return out;
}

/** getUserMedia constraints for one device (the camera at the size the page joins with). */
export function constraintsFor(kind: DeviceKind, deviceId: string): MediaStreamConstraints {
  return kind === "videoinput"
    ? { video: { deviceId: { exact: deviceId }, width: 640, height: 360 } }
    : { audio: { deviceId: { exact: deviceId } } };
}
