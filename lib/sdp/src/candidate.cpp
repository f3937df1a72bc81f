#include "conclave/sdp/candidate.h"

#include "syntax.h"

namespace conclave::sdp {

namespace {
constexpr size_t kMaxFoundationSize = 32;
// 8 fixed fields, raddr/rport pairs and the extension pairs.
constexpr size_t kMaxFields = 8 + 4 + 2 * Candidate::kMaxExtensions;
}  // namespace

Result<Candidate> Candidate::parse(std::string_view value) {
  auto fields_or = detail::split_fields(value, kMaxFields);
  if (!fields_or) return Error(Errc::invalid_candidate, "too many fields");
  const auto& f = *fields_or;
  if (f.size() < 8) return Error(Errc::invalid_candidate, "fields");
  Candidate out;
  if (!detail::is_ice_chars(f[0], 1, kMaxFoundationSize)) {
    return Error(Errc::invalid_candidate, "foundation");
  }
  out.foundation = std::string(f[0]);
  auto component = detail::parse_uint<uint16_t>(f[1]);
  if (!component || *component == 0 || *component > 256 || f[1].size() > 3) {
    return Error(Errc::invalid_candidate, "component-id");
  }
  out.component = *component;
  if (!detail::is_token(f[2])) return Error(Errc::invalid_candidate, "transport");
  out.transport = std::string(f[2]);
  auto priority = detail::parse_uint<uint32_t>(f[3]);
  if (!priority || f[3].size() > 10) return Error(Errc::invalid_candidate, "priority");
  out.priority = *priority;
  if (!detail::is_non_ws(f[4])) return Error(Errc::invalid_candidate, "connection-address");
  out.address = std::string(f[4]);
  auto port = detail::parse_uint<uint16_t>(f[5]);
  if (!port) return Error(Errc::invalid_candidate, "port");
  out.port = *port;
  if (f[6] != "typ" || !detail::is_token(f[7])) return Error(Errc::invalid_candidate, "cand-type");
  out.type = std::string(f[7]);

  if ((f.size() - 8) % 2 != 0) return Error(Errc::invalid_candidate, "extension");
  for (size_t i = 8; i < f.size(); i += 2) {
    const std::string_view name = f[i];
    const std::string_view val = f[i + 1];
    if (!detail::is_non_ws(name) || !detail::is_non_ws(val)) {
      return Error(Errc::invalid_candidate, "extension");
    }
    if (name == "raddr") {
      if (out.related_address || !out.extensions.empty()) {
        return Error(Errc::invalid_candidate, "raddr");
      }
      out.related_address = std::string(val);
    } else if (name == "rport") {
      auto rport = detail::parse_uint<uint16_t>(val);
      if (!rport || out.related_port || !out.extensions.empty()) {
        return Error(Errc::invalid_candidate, "rport");
      }
      out.related_port = *rport;
    } else {
      if (out.extensions.size() == kMaxExtensions) {
        return Error(Errc::invalid_candidate, "too many extensions");
      }
      out.extensions.emplace_back(std::string(name), std::string(val));
    }
  }
  return out;
}

std::string Candidate::serialize() const {
  std::string out = foundation + " " + std::to_string(component) + " " + transport + " " +
                    std::to_string(priority) + " " + address + " " + std::to_string(port) +
                    " typ " + type;
  if (related_address) out += " raddr " + *related_address;
  if (related_port) out += " rport " + std::to_string(*related_port);
  for (const auto& [name, val] : extensions) out += " " + name + " " + val;
  return out;
}

Candidate Candidate::host_udp(std::string address, uint16_t port) {
  Candidate c;
  c.foundation = "1";
  c.component = 1;
  c.transport = "udp";
  c.priority = kHostPriority;
  c.address = std::move(address);
  c.port = port;
  c.type = "host";
  return c;
}

bool Candidate::is_udp() const {
  return detail::iequals(transport, "udp");
}

}  // namespace conclave::sdp
