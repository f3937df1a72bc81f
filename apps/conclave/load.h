// `conclave load`: a bounded load run against a server. It creates
// `meetings` meetings over the REST API and runs `clients` members in each
// (one host with --admit all, the rest joining through the lobby), every
// client on its own thread with the real client (lib/client). Each client
// says one chat message once its meeting is complete; the run ends when
// every message reached every other member of its meeting, or at the
// deadline. Prints one JSON object: join time p50/p95/p99/max (hello sent
// to member, in ms), chat delivery, rejections, failures. Exit 0 when every
// client joined and every message arrived.
//
// With --media video|audio every client also publishes and subscribes
// through the real media path (ICE, DTLS-SRTP against the server's SFU):
// video, one synthetic 1 Mbit/s (--video-kbps) stream per client; audio,
// one synthetic 20 ms Opus-sized stream per client (MediaOptions publish
// "synthetic-*": frame-sized bytes through the real SFrame/RTP/SRTP
// sender, count-only receivers that decrypt but do not decode and send no
// NACKs). Once every client has joined and receives every other member's
// track, media runs --seconds more; the server's GET /metrics counters
// (and, with --server-pid, its CPU time from /proc) are sampled at both
// ends of that window. The JSON then adds "media": packets sent, expected
// and received (RTP sequence numbers per track, the whole run), loss %
// overall and of the worst receiver, the senders' schedule (late frames:
// the load machine fell behind), the load's own CPU, and the server's
// forwarded/dropped deltas. Exit 0 also needs every track to flow.
#pragma once

#include <string>

namespace conclave::cli {

struct LoadFlags {
  std::string server;
  std::string fingerprint;
  int meetings = 10;
  int clients = 10;  // per meeting, the host included
  double deadline_seconds = 120;  // to join (and, with media, to subscribe)
  std::string media;              // "", "video" or "audio"
  double media_seconds = 20;      // of media once everyone joined
  uint32_t video_kbps = 1000;
  int server_pid = 0;  // > 0: sample this local process's CPU time
};

int run_load(const LoadFlags& flags);

}  // namespace conclave::cli
