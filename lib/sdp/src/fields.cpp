#include "conclave/sdp/fields.h"

#include "syntax.h"

namespace conclave::sdp {

Result<Origin> Origin::parse(std::string_view value) {
  auto f = detail::split_fields(value, 6);
  if (!f || f->size() != 6) return Error(Errc::invalid_origin, "fields");
  Origin o;
  if (!detail::is_non_ws((*f)[0])) return Error(Errc::invalid_origin, "username");
  o.username = std::string((*f)[0]);
  auto id = detail::parse_uint<uint64_t>((*f)[1]);
  if (!id) return Error(Errc::invalid_origin, "sess-id");
  o.session_id = *id;
  auto version = detail::parse_uint<uint64_t>((*f)[2]);
  if (!version) return Error(Errc::invalid_origin, "sess-version");
  o.session_version = *version;
  if (!detail::is_token((*f)[3])) return Error(Errc::invalid_origin, "nettype");
  o.net_type = std::string((*f)[3]);
  if (!detail::is_token((*f)[4])) return Error(Errc::invalid_origin, "addrtype");
  o.addr_type = std::string((*f)[4]);
  if (!detail::is_non_ws((*f)[5])) return Error(Errc::invalid_origin, "unicast-address");
  o.address = std::string((*f)[5]);
  return o;
}

std::string Origin::serialize() const {
  return username + " " + std::to_string(session_id) + " " + std::to_string(session_version) + " " +
         net_type + " " + addr_type + " " + address;
}

Result<Connection> Connection::parse(std::string_view value) {
  auto f = detail::split_fields(value, 3);
  if (!f || f->size() != 3) return Error(Errc::invalid_connection, "fields");
  if (!detail::is_token((*f)[0])) return Error(Errc::invalid_connection, "nettype");
  if (!detail::is_token((*f)[1])) return Error(Errc::invalid_connection, "addrtype");
  if (!detail::is_non_ws((*f)[2])) return Error(Errc::invalid_connection, "connection-address");
  return Connection{std::string((*f)[0]), std::string((*f)[1]), std::string((*f)[2])};
}

std::string Connection::serialize() const {
  return net_type + " " + addr_type + " " + address;
}

Connection Connection::for_address(std::string address) {
  const bool v6 = address.find(':') != std::string::npos;
  return Connection{"IN", v6 ? "IP6" : "IP4", std::move(address)};
}

Result<Bandwidth> Bandwidth::parse(std::string_view value) {
  value = detail::trim(value);
  const size_t colon = value.find(':');
  if (colon == std::string_view::npos) return Error(Errc::invalid_bandwidth, "fields");
  const std::string_view type = value.substr(0, colon);
  if (!detail::is_token(type)) return Error(Errc::invalid_bandwidth, "bwtype");
  auto v = detail::parse_uint<uint64_t>(value.substr(colon + 1));
  if (!v) return Error(Errc::invalid_bandwidth, "bandwidth");
  return Bandwidth{std::string(type), *v};
}

std::string Bandwidth::serialize() const {
  return type + ":" + std::to_string(value);
}

Result<Timing> Timing::parse(std::string_view value) {
  auto f = detail::split_fields(value, 2);
  if (!f || f->size() != 2) return Error(Errc::invalid_timing, "fields");
  auto start = detail::parse_uint<uint64_t>((*f)[0]);
  auto stop = detail::parse_uint<uint64_t>((*f)[1]);
  if (!start || !stop) return Error(Errc::invalid_timing, "time");
  return Timing{*start, *stop};
}

std::string Timing::serialize() const {
  return std::to_string(start) + " " + std::to_string(stop);
}

}  // namespace conclave::sdp
