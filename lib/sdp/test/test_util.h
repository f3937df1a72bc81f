// Helpers shared by the lib/sdp tests: the realistic offers of data/ and
// the transport parameters of a server and a client.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "conclave/sdp/candidate.h"
#include "conclave/sdp/transport_params.h"

namespace conclave::sdp::test {

// data/<name> with CRLF line ends (the files are stored with LF), or ""
// when it cannot be read.
inline std::string load_sdp(const std::string& name) {
  std::ifstream in(std::string(CONCLAVE_SDP_TEST_DATA) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string out;
  for (char c : ss.str()) {
    if (c == '\n') {
      out += "\r\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// text with every `from` replaced by `to`.
inline std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

// text without the CRLF lines that start with prefix.
inline std::string remove_lines(const std::string& text, std::string_view prefix) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\r\n", pos);
    end = end == std::string::npos ? text.size() : end + 2;
    const std::string_view line(text.data() + pos, end - pos);
    if (line.substr(0, prefix.size()) != prefix) out.append(line);
    pos = end;
  }
  return out;
}

inline TransportParams server_params(uint16_t port = 40000) {
  TransportParams t;
  t.ice_ufrag = "SfUu";
  t.ice_pwd = "sfuPasswordSfuPassword12";
  t.ice_lite = true;
  t.fingerprint =
      "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:"
      "CD:EF";
  t.setup = Setup::passive;
  t.candidates = {Candidate::host_udp("127.0.0.1", port)};
  return t;
}

inline TransportParams client_params() {
  TransportParams t;
  t.ice_ufrag = "ClNt";
  t.ice_pwd = "clientPasswordClient+/9";
  t.fingerprint =
      "FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:"
      "32:10";
  t.setup = Setup::actpass;
  return t;
}

}  // namespace conclave::sdp::test
