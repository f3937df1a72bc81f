// BlackVideo: the video track of a page without a camera: black frames
// from a canvas, one per second. It gives such a page a video sender like
// everyone else's, so that a screen share can go out on it
// (RTCRtpSender.replaceTrack, no renegotiation) and the black comes back
// when sharing stops: sending nothing instead would leave the last shared
// frame frozen on the others' screens. Its frames are SFrame-sealed like
// a camera's.
//
// A canvas capture produces a frame only when the canvas is painted, so it
// is painted again every second: a receiver that joins later, or asks for a
// key frame, gets one within a second.

const kWidth = 640;
const kHeight = 360;
const kFrameMs = 1000;

export class BlackVideo {
  readonly track: MediaStreamTrack;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor() {
    const canvas = document.createElement("canvas");
    canvas.width = kWidth;
    canvas.height = kHeight;
    const g = canvas.getContext("2d");
    const paint = (): void => {
      if (g === null) return;
      g.fillStyle = "#000";
      g.fillRect(0, 0, kWidth, kHeight);
    };
    paint();
    const track = canvas.captureStream(1000 / kFrameMs).getVideoTracks()[0];
    if (track === undefined) throw new Error("canvas.captureStream gave no video track");
    this.track = track;
    this.timer = setInterval(paint, kFrameMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.track.stop();
  }
}
