// What the join form accepts as "meeting": a join link (https://host/j/<id>)
// or a bare meeting ID. Pure functions, unit-tested in Node.

const kIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** The meeting ID in a link or ID the user typed, or undefined. */
export function parseMeetingInput(input: string): string | undefined {
  const text = input.trim();
  if (kIdPattern.test(text)) return text;
  let path: string;
  try {
    path = new URL(text).pathname;
  } catch {
    path = text;
  }
  const m = /^\/?j\/([^/?#]+)\/?$/.exec(path) ?? /\/j\/([^/?#]+)\/?$/.exec(path);
  const id = m?.[1];
  return id !== undefined && kIdPattern.test(id) ? id : undefined;
}

/** The meeting ID of the page's own address (/j/<id>), if any. */
export function meetingIdFromPath(pathname: string): string | undefined {
  const m = /^\/j\/([^/]+)\/?$/.exec(pathname);
  const id = m?.[1];
  return id !== undefined && kIdPattern.test(id) ? id : undefined;
}

/** The signaling URL of the server that served the page. */
export function signalUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "http:" ? "ws:" : "wss:"}//${location.host}/api/v1/signal`;
}
