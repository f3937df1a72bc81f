#include "conclave/sdp/transport_params.h"

#include "conclave/sdp/ice.h"
#include "syntax.h"

namespace conclave::sdp {

namespace {

// The attribute in the media section, else at the session level.
const Attribute* find_either(const SessionDescription& d, const MediaDescription& m,
                             std::string_view name) {
  const Attribute* a = m.find(name);
  return a != nullptr ? a : d.find(name);
}

}  // namespace

Result<TransportParams> TransportParams::from_description(const SessionDescription& d,
                                                          const MediaDescription& m) {
  TransportParams t;
  const Attribute* ufrag = find_either(d, m, attr::kIceUfrag);
  const Attribute* pwd = find_either(d, m, attr::kIcePwd);
  if (ufrag == nullptr || pwd == nullptr) return Error(Errc::missing_ice_credentials);
  CV_TRY_STATUS(validate_ice_ufrag(ufrag->value));
  CV_TRY_STATUS(validate_ice_pwd(pwd->value));
  t.ice_ufrag = ufrag->value;
  t.ice_pwd = pwd->value;
  t.ice_lite = d.has(attr::kIceLite);

  CV_TRY(auto fingerprints, m.all<Fingerprint>());
  if (fingerprints.empty()) {
    CV_TRY(fingerprints, d.all<Fingerprint>());
  }
  if (fingerprints.empty()) return Error(Errc::missing_fingerprint);
  const Fingerprint* chosen = nullptr;
  for (const auto& f : fingerprints) {
    if (detail::iequals(f.algorithm, Fingerprint::kSha256)) {
      chosen = &f;
      break;
    }
  }
  if (chosen == nullptr) return Error(Errc::unsupported_fingerprint);
  t.fingerprint_algorithm = std::string(Fingerprint::kSha256);
  t.fingerprint = detail::to_upper(chosen->value);

  const Attribute* setup = find_either(d, m, attr::kSetup);
  if (setup == nullptr) return Error(Errc::unacceptable_setup, "a=setup missing");
  CV_TRY(t.setup, parse_setup(setup->value));

  CV_TRY(t.candidates, m.all<Candidate>());
  return t;
}

Status TransportParams::validate() const {
  CV_TRY_STATUS(validate_ice_ufrag(ice_ufrag));
  CV_TRY_STATUS(validate_ice_pwd(ice_pwd));
  if (!detail::iequals(fingerprint_algorithm, Fingerprint::kSha256)) {
    return Error(Errc::unsupported_fingerprint);
  }
  CV_TRY(auto f, Fingerprint::parse(fingerprint_algorithm + " " + fingerprint));
  (void)f;
  for (const auto& c : candidates) {
    auto again = Candidate::parse(c.serialize());
    if (!again.ok() || *again != c) return Error(Errc::invalid_candidate, "local candidate");
  }
  return ok_status();
}

void TransportParams::add_to(MediaDescription& m) const {
  m.add(attr::kIceUfrag, ice_ufrag);
  m.add(attr::kIcePwd, ice_pwd);
  m.add(Fingerprint{fingerprint_algorithm, fingerprint});
  m.add(attr::kSetup, to_string(setup));
  for (const auto& c : candidates) m.add(c);
  if (!candidates.empty()) m.add(attr::kEndOfCandidates);
}

}  // namespace conclave::sdp
