// The words the pages show for the server's error codes and the session's
// ends (docs/protocol.md, "Errors"). Pure, unit-tested in Node.

const kErrors: Record<string, string> = {
  not_found: "There is no meeting with this ID. Check the link.",
  passcode_required: "This meeting needs a passcode.",
  bad_passcode: "The passcode is wrong.",
  bad_host_key: "The host key is wrong.",
  meeting_locked: "The meeting is locked: nobody new can join.",
  meeting_full: "The meeting is full.",
  rate_limited: "Too many attempts. Wait a minute and try again.",
  invalid_field: "The server refused a field (is the name 1 to 64 characters?).",
  forbidden: "Only a host may do that.",
  unknown_participant: "That person is no longer waiting.",
  connect: "Cannot reach the server.",
};

/** A sentence for an error code (unknown codes are named). */
export function errorText(code: string): string {
  return kErrors[code] ?? `The server refused: ${code}.`;
}

/** Why the session ended, for the banner. */
export function endText(reason: string, detail?: string): string {
  switch (reason) {
    case "denied":
      return "The host did not let you in.";
    case "removed":
      return "A host removed you from the meeting.";
    case "left":
      return "You left the meeting.";
    default:
      if (detail !== undefined && detail.startsWith("connection closed")) return "The connection to the server was lost.";
      if (detail !== undefined && detail !== "") return errorText(detail);
      return "The connection to the server was lost.";
  }
}
