#include "conclave/sfu/sfu_stats.h"

#include <numeric>

namespace conclave::sfu {
namespace {

void counter(std::string& out, std::string_view name, std::string_view help, uint64_t value) {
  out += "# HELP conclave_sfu_";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE conclave_sfu_";
  out += name;
  out += " counter\nconclave_sfu_";
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

uint64_t SfuStats::total_drops() const {
  return std::accumulate(dropped.begin(), dropped.end(), uint64_t{0});
}

std::string SfuStats::prometheus_text() const {
  std::string out;
  counter(out, "datagrams_received_total", "UDP datagrams received on the media port.",
          datagrams_in);
  counter(out, "bytes_received_total", "Bytes received on the media port.", bytes_in);
  counter(out, "datagrams_sent_total", "UDP datagrams sent from the media port.", datagrams_out);
  counter(out, "bytes_sent_total", "Bytes sent from the media port.", bytes_out);
  counter(out, "rtp_received_total", "Authenticated RTP packets from publishers.", rtp_in);
  counter(out, "rtp_forwarded_total", "RTP packets sent to subscribers.", rtp_forwarded);
  counter(out, "rtcp_received_total", "Authenticated RTCP compound packets.", rtcp_in);
  counter(out, "rtcp_sent_total", "RTCP compound packets sent.", rtcp_out);
  counter(out, "nacked_packets_total", "Packets subscribers asked to be sent again.",
          nacked_packets);
  counter(out, "retransmitted_total", "NACKed packets answered from the packet cache.",
          retransmitted);
  counter(out, "nacks_forwarded_total", "NACKed packets asked again of the publisher.",
          nacks_forwarded);
  counter(out, "key_frame_requests_relayed_total", "PLI and FIR relayed to publishers.",
          key_frame_requests_relayed);
  counter(out, "stun_answered_total", "STUN Binding requests answered.", stun_answered);
  counter(out, "dtls_handshakes_total", "DTLS handshakes completed.", dtls_handshakes);
  out += "# HELP conclave_sfu_dropped_total Datagrams and packets dropped, by reason.\n";
  out += "# TYPE conclave_sfu_dropped_total counter\n";
  for (size_t i = 0; i < kDropReasonCount; ++i) {
    out += "conclave_sfu_dropped_total{reason=\"";
    out += to_string(static_cast<DropReason>(i));
    out += "\"} ";
    out += std::to_string(dropped[i]);
    out += '\n';
  }
  return out;
}

}  // namespace conclave::sfu
