// The events a MeetingSession reports: the same names and fields as the
// native client's (docs/client.md, "Events"), so tests and UIs read both
// the same way. `time` is seconds since the session started.

export interface RosterEntry {
  leaf: number;
  name: string;
  host: boolean;
  self: boolean;
}

export type MeetingEvent = { time: number } & (
  | { event: "joined"; participant_id: string; role: string; meeting_id: string; resumed: boolean }
  | { event: "lobby"; participant_id: string; meeting_id: string }
  | { event: "waiting"; participant_id: string; display_name: string }
  | {
      event: "epoch";
      epoch: number;
      security_code: string;
      locked: boolean; // the group policy's lock (members refuse Adds while it is set)
      // TEST ONLY (revealSecrets): hex secrets, as `conclave join --test-reveal-secrets`
      epoch_authenticator?: string;
      sframe_base_key?: string;
      exporter_secret?: string; // the same exporter with 32 bytes (older native clients print this)
    }
  | { event: "roster"; epoch: number; members: RosterEntry[] }
  | { event: "chat"; from: string; participant_id: string; leaf: number; text: string; epoch: number; self?: boolean }
  | { event: "rejected"; what: string; reason: string; rule?: string }
  | { event: "error"; code: string; message: string; in_reply_to?: string }
  | { event: "meeting"; locked: boolean; waiting_room: boolean }
  | { event: "reconnecting"; attempt: number; reason: string }
  | { event: "left"; reason: "left" | "removed" | "denied" | "failed"; detail?: string }
);

export type MeetingEventName = MeetingEvent["event"];
