#include "conclave/mls/proposal.h"

namespace conclave::mls {

void ProposalOrRef::tls_encode(codec::Writer& w) const {
  codec::encode(w, type());
  if (const Proposal* p = proposal()) {
    codec::encode(w, *p);
  } else if (const ProposalRef* ref = reference()) {
    w.write_opaque(*ref);
  }
}

Status ProposalOrRef::tls_decode(codec::Reader& r) {
  CV_TRY(const ProposalOrRefType tag, codec::decode<ProposalOrRefType>(r));
  switch (tag) {
    case ProposalOrRefType::proposal: {
      CV_TRY(content, codec::decode<Proposal>(r));
      return {};
    }
    case ProposalOrRefType::reference: {
      CV_TRY(content, codec::decode<ProposalRef>(r));
      return {};
    }
    case ProposalOrRefType::reserved:
      break;
  }
  return Error(codec::Errc::unknown_variant, "ProposalOrRef.type");
}

Bytes encode(const Proposal& proposal) {
  return codec::encode(proposal);
}

Result<Proposal> decode_proposal(BytesView data) {
  return codec::decode<Proposal>(data);
}

}  // namespace conclave::mls
