// The host's meeting settings over the REST API (docs/protocol.md):
// PATCH /api/v1/meetings/<id> with the host key as a bearer token. The
// server then sends meeting_updated to everyone, and the hosts' sessions
// carry the lock into the group policy (MeetingSession, meeting_updated).
// Same origin as the page: the CSP's connect-src 'self' allows it.

import { err, ok, type Result } from "../util/result.js";

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
