// The pages' calls to the REST API (docs/protocol.md), same origin as the
// page (the CSP's connect-src 'self' allows it):
//
//   createMeeting   POST /api/v1/meetings: a new meeting, its join link and
//                   host key (the server rate-limits creations per address)
//   setMeetingLocked  PATCH /api/v1/meetings/<id> with the host key as a
//                   bearer token; the server then sends meeting_updated to
//                   everyone, and the hosts' sessions carry the lock into
//                   the group policy (MeetingSession, meeting_updated)

import { err, ok, type Result } from "../util/result.js";

export interface CreatedMeeting {
  meetingId: string;
  joinLink: string;
  hostKey: string;
}

/** A new meeting; an error sentence when the server refuses or cannot be reached. */
export async function createMeeting(settings: { passcode: string; waitingRoom: boolean }): Promise<Result<CreatedMeeting>> {
  const body: Record<string, unknown> = { waiting_room: settings.waitingRoom };
  if (settings.passcode !== "") body["passcode"] = settings.passcode;
  let response: Response;
  try {
    response = await fetch("/api/v1/meetings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    return err("The server cannot be reached.");
  }
  if (response.status === 429) return err("Too many meetings created from here. Wait a minute and try again.");
  if (response.status !== 201) return err(`The server could not create a meeting (HTTP ${response.status}).`);
  let reply: unknown;
  try {
    reply = await response.json();
  } catch {
    return err("The server's answer was not understood.");
  }
  const r = (typeof reply === "object" && reply !== null ? reply : {}) as Record<string, unknown>;
  const { meeting_id: meetingId, join_link: joinLink, host_key: hostKey } = r;
  if (typeof meetingId !== "string" || typeof joinLink !== "string" || typeof hostKey !== "string" || meetingId === "" || hostKey === "") {
    return err("The server's answer was not understood.");
  }
  return ok({ meetingId, joinLink, hostKey });
}

/** Locks or unlocks the meeting; an error sentence when the server refuses or cannot be reached. */
export async function setMeetingLocked(meetingId: string, hostKey: string, locked: boolean): Promise<Result<void>> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/meetings/${encodeURIComponent(meetingId)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${hostKey}`, "content-type": "application/json" },
      body: JSON.stringify({ locked }),
      cache: "no-store",
    });
  } catch {
    return err("The server cannot be reached.");
  }
  if (response.ok) return ok(undefined);
  if (response.status === 401 || response.status === 403) return err("The host key is wrong: the meeting was not changed.");
  return err(`The server refused the change (HTTP ${response.status}).`);
}
