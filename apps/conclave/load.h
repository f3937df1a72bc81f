// `conclave load`: a bounded load run against a server. It creates
// `meetings` meetings over the REST API and runs `clients` members in each
// (one host with --admit all, the rest joining through the lobby), every
// client on its own thread with the real client (lib/client). Each client
// says one chat message once its meeting is complete; the run ends when
// every message reached every other member of its meeting, or at the
// deadline. Prints one JSON object: join time p50/p95/p99/max (hello sent
// to member, in ms), chat delivery, rejections, failures. Exit 0 when every
// client joined and every message arrived.
#pragma once

#include <string>

namespace conclave::cli {

struct LoadFlags {
  std::string server;
  std::string fingerprint;
  int meetings = 10;
  int clients = 10;  // per meeting, the host included
  double deadline_seconds = 120;
};

int run_load(const LoadFlags& flags);

}  // namespace conclave::cli
