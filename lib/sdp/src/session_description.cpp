#include "conclave/sdp/session_description.h"

#include <array>
#include <set>

#include "conclave/sdp/mid.h"
#include "syntax.h"

namespace conclave::sdp {

namespace {

// Attributes that may appear once per section; the four directions count
// as one.
constexpr std::array<std::string_view, 6> kSingle = {
    attr::kMid, attr::kSetup, attr::kIceUfrag, attr::kIcePwd, attr::kIceOptions, attr::kIceLite};

Status validate_section(const std::vector<Attribute>& attributes) {
  std::array<int, kSingle.size()> seen{};
  int directions = 0;
  for (const auto& a : attributes) {
    CV_TRY_STATUS(validate_attribute(a));
    for (size_t i = 0; i < kSingle.size(); ++i) {
      if (a.name == kSingle[i] && ++seen[i] > 1) {
        return Error(Errc::duplicate_attribute, kSingle[i]);
      }
    }
    if (direction_from_name(a.name) && ++directions > 1) {
      return Error(Errc::duplicate_attribute, "direction");
    }
  }
  return ok_status();
}

// The part of a line after "x=", one line at a time.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }

  // Next line without its LF or CRLF.
  Result<std::string_view> next() {
    const size_t nl = text_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? text_.size() : nl;
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > SessionDescription::kMaxLineLength) return Error(Errc::line_too_long);
    if (line.size() < 2 || line[1] != '=') return Error(Errc::invalid_line, "expected <type>=");
    if (line[0] < 'a' || line[0] > 'z') return Error(Errc::invalid_line, "type");
    for (char c : line) {
      if (c == '\0' || c == '\r') return Error(Errc::invalid_line, "NUL or CR");
    }
    return line;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Result<Attribute> parse_attribute(std::string_view value) {
  const size_t colon = value.find(':');
  Attribute a;
  a.name = std::string(value.substr(0, colon));
  if (!detail::is_token(a.name)) return Error(Errc::invalid_attribute, "name");
  if (colon != std::string_view::npos) {
    a.value = std::string(value.substr(colon + 1));
    if (a.value.empty()) return Error(Errc::invalid_attribute, "empty value");
  }
  return a;
}

// The lines i=, c=, b=, a= shared by the session and media levels.
struct SectionLines {
  std::optional<std::string>* information;
  std::optional<Connection>* connection;
  std::vector<Bandwidth>* bandwidths;
  std::vector<Attribute>* attributes;
};

// Returns true when the line belongs to the common set and was stored.
Result<bool> take_common_line(char type, std::string_view value, const SectionLines& s) {
  switch (type) {
    case 'i':
      if (s.information->has_value()) return Error(Errc::duplicate_line, "i=");
      *s.information = std::string(value);
      return true;
    case 'c': {
      if (s.connection->has_value()) return Error(Errc::duplicate_line, "c=");
      CV_TRY(auto c, Connection::parse(value));
      *s.connection = std::move(c);
      return true;
    }
    case 'b': {
      if (s.bandwidths->size() == SessionDescription::kMaxLines) {
        return Error(Errc::too_many_values, "b=");
      }
      CV_TRY(auto b, Bandwidth::parse(value));
      s.bandwidths->push_back(std::move(b));
      return true;
    }
    case 'a': {
      if (s.attributes->size() == SessionDescription::kMaxAttributes) {
        return Error(Errc::too_many_attributes);
      }
      CV_TRY(auto a, parse_attribute(value));
      s.attributes->push_back(std::move(a));
      return true;
    }
    case 'k':
      return true;  // obsolete (RFC 8866 section 5.12): dropped
    default:
      return false;
  }
}

bool is_known_type(char type) {
  static constexpr std::string_view kKnown = "vosiuepcbtrzkam";
  return kKnown.find(type) != std::string_view::npos;
}

void put_line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

}  // namespace

Result<SessionDescription> SessionDescription::parse(std::string_view text) {
  if (text.size() > kMaxSize) return Error(Errc::too_large);
  LineReader reader(text);
  SessionDescription d;
  d.timings.clear();

  // v=, o=, s= come first, in this order.
  static constexpr std::array<char, 3> kHead = {'v', 'o', 's'};
  for (char expected : kHead) {
    if (reader.done()) return Error(Errc::missing_line, "v=, o= and s= first");
    CV_TRY(auto line, reader.next());
    if (line[0] != expected) return Error(Errc::missing_line, "v=, o= and s= first");
    const std::string_view value = line.substr(2);
    if (expected == 'v') {
      if (value != "0") return Error(Errc::invalid_version);
    } else if (expected == 'o') {
      CV_TRY(d.origin, Origin::parse(value));
    } else {
      d.session_name = std::string(value);
    }
  }

  MediaDescription* current = nullptr;
  bool after_timing = false;  // r= must follow a t=
  while (!reader.done()) {
    CV_TRY(auto line, reader.next());
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (!is_known_type(type)) return Error(Errc::unknown_line_type);

    if (type == 'm') {
      if (d.media.size() == kMaxMedia) return Error(Errc::too_many_media);
      CV_TRY(auto m, MediaDescription::parse_media_line(value));
      d.media.push_back(std::move(m));
      current = &d.media.back();
      continue;
    }
    if (current != nullptr) {
      CV_TRY(bool taken,
             take_common_line(type, value,
                              SectionLines{&current->information, &current->connection,
                                           &current->bandwidths, &current->attributes}));
      if (!taken) return Error(Errc::misplaced_line, "session line in a media section");
      continue;
    }
    CV_TRY(bool taken, take_common_line(type, value,
                                        SectionLines{&d.information, &d.connection, &d.bandwidths,
                                                     &d.attributes}));
    if (taken) {
      after_timing = false;
      continue;
    }
    switch (type) {
      case 't': {
        if (d.timings.size() == kMaxLines) return Error(Errc::too_many_values, "t=");
        CV_TRY(auto t, Timing::parse(value));
        d.timings.push_back(t);
        after_timing = true;
        break;
      }
      case 'r':
        if (!after_timing) return Error(Errc::misplaced_line, "r= without t=");
        break;  // repeat times: dropped
      case 'u':
      case 'e':
      case 'p':
      case 'z':
        after_timing = false;
        break;  // URI, email, phone, time zones: dropped
      default:
        return Error(Errc::misplaced_line, "v=, o= or s= repeated");
    }
  }
  if (d.timings.empty()) return Error(Errc::missing_line, "t=");

  CV_TRY_STATUS(validate_section(d.attributes));
  std::set<std::string_view> mids;
  for (const auto& m : d.media) {
    CV_TRY_STATUS(validate_section(m.attributes));
    if (auto mid = m.mid(); mid && !mids.insert(*mid).second) return Error(Errc::duplicate_mid);
  }
  return d;
}

std::string SessionDescription::serialize() const {
  std::string out;
  put_line(out, 'v', "0");
  put_line(out, 'o', origin.serialize());
  put_line(out, 's', session_name);
  if (information) put_line(out, 'i', *information);
  if (connection) put_line(out, 'c', connection->serialize());
  for (const auto& b : bandwidths) put_line(out, 'b', b.serialize());
  for (const auto& t : timings) put_line(out, 't', t.serialize());
  auto put_attributes = [&out](const std::vector<Attribute>& list) {
    for (const auto& a : list) {
      put_line(out, 'a', a.value.empty() ? a.name : a.name + ":" + a.value);
    }
  };
  put_attributes(attributes);
  for (const auto& m : media) {
    put_line(out, 'm', m.media_line());
    if (m.information) put_line(out, 'i', *m.information);
    if (m.connection) put_line(out, 'c', m.connection->serialize());
    for (const auto& b : m.bandwidths) put_line(out, 'b', b.serialize());
    put_attributes(m.attributes);
  }
  return out;
}

const MediaDescription* SessionDescription::find_media(std::string_view mid) const {
  for (const auto& m : media) {
    if (m.mid() == mid) return &m;
  }
  return nullptr;
}

Result<std::optional<Group>> SessionDescription::bundle_group() const {
  CV_TRY(auto groups, all<Group>());
  for (auto& g : groups) {
    if (g.is_bundle()) return std::optional<Group>(std::move(g));
  }
  return std::optional<Group>();
}

}  // namespace conclave::sdp
