// conclave::sdp — SDP (RFC 8866) and the WebRTC offer/answer rules
// Conclave's SFU and native client speak (RFC 8829 JSEP, RFC 8843 BUNDLE,
// RFC 5761 rtcp-mux, RFC 8839 ICE, RFC 8122 fingerprint, RFC 8285 extmap,
// RFC 5576 ssrc). Pure: no sockets, threads or global state. Depends on
// conclave::base only. Includes every public header.
//
//   text --SessionDescription::parse--> SessionDescription --serialize--> text (CRLF)
//            (limits, named errors,        origin, session name, t=,
//             every typed attribute        session attributes, media:
//             syntax-checked)              MediaDescription (m= line, c=,
//                                          b=, attributes in order)
//
//   typed views of attribute values (parse + serialize each):
//     rtpmap.h fmtp.h rtcp_fb.h extmap.h ssrc_attribute.h ssrc_group.h
//     fingerprint.h candidate.h group.h msid.h mid.h ice.h setup.h
//     direction.h; generic access in attribute.h (find, parse_all<T>,
//     MediaDescription::all<T>() / add(T)); o=/c=/b=/t= in fields.h.
//
//   negotiation.h (the SFU's and the native client's use):
//     PUBLISH    participant offer --answer_publish_offer--> SFU answer
//                (native: build_publish_offer / parse_publish_answer)
//     SUBSCRIBE  SFU build_subscribe_offer --> participant answer
//                --parse_subscribe_answer--> SFU
//                (native: answer_subscribe_offer)
//     results: TransportParams (ICE ufrag/pwd, ice-lite, sha-256
//     fingerprint, DTLS setup, candidates; transport_params.h) and one
//     NegotiatedTrack per accepted m= section (mid, kind, direction,
//     payload type, codec, SSRCs, CNAME, msid, header extension IDs
//     (header_extension_ids.h), RTCP feedback).
//
// Conventions: everything that reads a peer's text returns Result<T> with
// an sdp::Errc (errc.h) and never throws, aborts or reads out of bounds;
// SessionDescription::parse has a libFuzzer target (fuzz/sdp_fuzz.cpp).
// Builders that take the caller's own data (build_*_offer) check their
// preconditions with CV_CHECK. What Conclave negotiates, and why (Opus and
// VP8 only, BUNDLE + rtcp-mux + ICE-lite, the SFU always DTLS server, the
// dependency descriptor required on video because frames are SFrame
// ciphertext), is written down in negotiation.h.
#pragma once

#include "conclave/sdp/attribute.h"
#include "conclave/sdp/candidate.h"
#include "conclave/sdp/direction.h"
#include "conclave/sdp/errc.h"
#include "conclave/sdp/extmap.h"
#include "conclave/sdp/fields.h"
#include "conclave/sdp/fingerprint.h"
#include "conclave/sdp/fmtp.h"
#include "conclave/sdp/group.h"
#include "conclave/sdp/header_extension_ids.h"
#include "conclave/sdp/ice.h"
#include "conclave/sdp/media_description.h"
#include "conclave/sdp/mid.h"
#include "conclave/sdp/msid.h"
#include "conclave/sdp/negotiation.h"
#include "conclave/sdp/rtcp_fb.h"
#include "conclave/sdp/rtpmap.h"
#include "conclave/sdp/session_description.h"
#include "conclave/sdp/setup.h"
#include "conclave/sdp/ssrc_attribute.h"
#include "conclave/sdp/ssrc_group.h"
#include "conclave/sdp/transport_params.h"
