// A subscriber of Conclave's SFU on an independent WebRTC stack (werift),
// driven by `conclave join --test-external-subscriber "node subscriber.mjs"`.
//
// Protocol (newline-delimited JSON, one object per line):
//   stdin   {"type":"offer","sdp":"..."}   the SFU's subscribe offer, the
//           first one and every renegotiation after it, in order
//   stdin   {"type":"pli","ssrc":N}        the client needs a key frame of
//           stream N: werift sends a PLI for it to the SFU (werift sends
//           its own NACKs; the client's cannot come back this way)
//   stdout  {"type":"answer","sdp":"..."}  werift's answer to each offer,
//           written once ICE gathering is complete (no trickle)
//   stdout  {"type":"rtp","data":"<base64>"}  every RTP packet werift
//           delivers on a received track once SRTP is off: the whole packet,
//           header and extensions included, as it came from the SFU
//   stderr  logs only
// The script exits when stdin closes (or stdout does).
//
// werift decrypts nothing but SRTP: the payloads stay SFrame ciphertext and
// Conclave's client opens them with its MLS keys.
import readline from 'node:readline';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useAbsSendTime,
  useAudioLevelIndication,
  useDependencyDescriptor,
  useSdesMid,
} from 'werift';

const log = (...args) => console.error('werift-subscriber:', ...args);
const write = (object) => process.stdout.write(JSON.stringify(object) + '\n');
// The client went away: nothing left to do.
process.stdout.on('error', () => process.exit(0));

// Only what the SFU offers: Opus and VP8, NACK and PLI on video, REMB with
// abs-send-time, and the dependency descriptor (the SFU refuses a video
// answer without it: the payload is SFrame ciphertext and the descriptor
// carries the frame boundaries and key-frame flags).
// ICE on loopback only: the SFU under test listens on 127.0.0.1, and werift
// leaves loopback out of its host candidates unless told.
const pc = new RTCPeerConnection({
  iceServers: [],
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceInterfaceAddresses: {udp4: '127.0.0.1'},
  iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1',
  codecs: {
    audio: [
      new RTCRtpCodecParameters({
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
      }),
    ],
    video: [
      new RTCRtpCodecParameters({
        mimeType: 'video/VP8',
        clockRate: 90000,
        rtcpFeedback: [{type: 'nack'}, {type: 'nack', parameter: 'pli'}, {type: 'goog-remb'}],
      }),
    ],
  },
  headerExtensions: {
    audio: [useSdesMid(), useAbsSendTime(), useAudioLevelIndication()],
    video: [useSdesMid(), useAbsSendTime(), useDependencyDescriptor()],
  },
});

let packets = 0;
const tracks = new Set();  // a transceiver reused by a renegotiation keeps its track
pc.onTrack.subscribe((track) => {
  if (tracks.has(track)) return;
  tracks.add(track);
  log(`track ${track.kind}`);
  track.onReceiveRtp.subscribe((rtp) => {
    ++packets;
    write({type: 'rtp', data: rtp.serialize().toString('base64')});
  });
});
pc.connectionStateChange.subscribe((state) => log(`connection ${state}`));

const gathered = () =>
  new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const {unSubscribe} = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        unSubscribe();
        resolve();
      }
    });
  });

async function answer(sdp) {
  await pc.setRemoteDescription({type: 'offer', sdp});
  await pc.setLocalDescription(await pc.createAnswer());
  const started = Date.now();
  await gathered();
  log(`answer after ${Date.now() - started} ms of ICE gathering`);
  write({type: 'answer', sdp: pc.localDescription.sdp});
}

function requestKeyFrame(ssrc) {
  for (const transceiver of pc.getTransceivers()) {
    const receiver = transceiver.receiver;
    if (receiver.tracks.some((track) => track.ssrc === ssrc)) {
      receiver.sendRtcpPLI(ssrc).catch((e) => log('PLI failed:', e?.message ?? e));
      return;
    }
  }
  log(`PLI for an unknown SSRC ${ssrc}`);
}

// Offers are answered one at a time, in the order they came.
let queue = Promise.resolve();
const lines = readline.createInterface({input: process.stdin});
lines.on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    log('not JSON:', line.slice(0, 80));
    return;
  }
  if (message?.type === 'pli' && Number.isInteger(message.ssrc)) {
    requestKeyFrame(message.ssrc);
    return;
  }
  if (message?.type !== 'offer' || typeof message.sdp !== 'string') {
    log('ignored:', line.slice(0, 80));
    return;
  }
  queue = queue.then(() => answer(message.sdp)).catch((e) => log('offer failed:', e?.message ?? e));
});
lines.on('close', async () => {
  log(`stdin closed after ${packets} RTP packets`);
  await pc.close().catch(() => {});
  process.exit(0);
});
