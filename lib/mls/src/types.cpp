#include "conclave/mls/types.h"

namespace conclave::mls {

std::string_view to_string(ContentType t) {
  switch (t) {
    case ContentType::application:
      return "application";
    case ContentType::proposal:
      return "proposal";
    case ContentType::commit:
      return "commit";
    case ContentType::reserved:
      break;
  }
  return "unknown";
}

std::string_view to_string(SenderType t) {
  switch (t) {
    case SenderType::member:
      return "member";
    case SenderType::external:
      return "external";
    case SenderType::new_member_proposal:
      return "new_member_proposal";
    case SenderType::new_member_commit:
      return "new_member_commit";
    case SenderType::reserved:
      break;
  }
  return "unknown";
}

std::string_view to_string(WireFormat t) {
  switch (t) {
    case WireFormat::mls_public_message:
      return "mls_public_message";
    case WireFormat::mls_private_message:
      return "mls_private_message";
    case WireFormat::mls_welcome:
      return "mls_welcome";
    case WireFormat::mls_group_info:
      return "mls_group_info";
    case WireFormat::mls_key_package:
      return "mls_key_package";
    case WireFormat::reserved:
      break;
  }
  return "unknown";
}

std::string_view to_string(ProposalType t) {
  switch (t) {
    case ProposalType::add:
      return "add";
    case ProposalType::update:
      return "update";
    case ProposalType::remove:
      return "remove";
    case ProposalType::psk:
      return "psk";
    case ProposalType::reinit:
      return "reinit";
    case ProposalType::external_init:
      return "external_init";
    case ProposalType::group_context_extensions:
      return "group_context_extensions";
    case ProposalType::reserved:
      break;
  }
  return "unknown";
}

}  // namespace conclave::mls
