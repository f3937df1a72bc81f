// conclave::rtp — RTP and RTCP wire formats and payload formats, pure (no
// sockets, threads or global state). Includes every public header.
//
//   sender:  encoded frame --SFrame--> ciphertext --Packetizer--> payloads
//            --RtpPacketBuilder (seq, ts, SSRC, extensions: DD, MID,
//              transport seq, audio level)--> RTP packets
//   SFU:     RtpPacket::parse (view) -> route by SSRC/MID, read the
//            dependency descriptor (key frame, layers, frame boundaries),
//            RtpPacket::set_ssrc/set_sequence_number/rewrite_extension in
//            place; RTCP: parse_rtcp_compound -> NACK / PLI / FIR / REMB /
//            transport-cc / SR / RR, build_rtcp_compound to answer
//   receiver: RtpPacket -> (jitter buffer) -> Depacketizer -> frame
//            (ciphertext) -> SFrame -> decoder
//
// Parts:
//   rtp_packet.h, rtp_packet_builder.h     RFC 3550 / RFC 8285 packets
//   audio_level.h, mid.h, transport_sequence_number.h, abs_send_time.h,
//   dependency_descriptor.h (+ bit_stream.h)  header extensions
//   rtcp_header.h, rtcp_compound.h, sender_report.h, receiver_report.h,
//   report_block.h, sdes.h, bye.h, generic_nack.h, pli.h, fir.h, remb.h,
//   transport_feedback.h                   RTCP
//   payload_format.h, frame_assembler.h, vp8_payload_descriptor.h,
//   vp8_packetizer.h, vp8_depacketizer.h, opus_packetizer.h,
//   opus_depacketizer.h, sframe_packetizer.h, sframe_depacketizer.h
//                                          payload formats
//   sequence_number.h                      wrap-aware sequence numbers
//
// Conventions: every parser takes attacker-controlled bytes and returns
// Result<T> with an rtp::Errc (errc.h); none throws, aborts or reads out of
// bounds, and each has a libFuzzer target under fuzz/. Parsed packets are
// views into the caller's buffer where that is cheap (RtpPacket), values
// otherwise (RTCP). Serializers append to a Bytes. Depacketizers are on the
// media path and never fail: they drop with a DropReason and count it.
//
// Key frames under SFrame: payloads are ciphertext, so the VP8 key-frame
// bit cannot be read by the SFU or the receiver's depacketizer. The real
// signal is the dependency descriptor, which the sender fills from its
// encoder and which carries the template structure on key frames.
#pragma once

#include "conclave/rtp/abs_send_time.h"
#include "conclave/rtp/audio_level.h"
#include "conclave/rtp/bit_stream.h"
#include "conclave/rtp/bye.h"
#include "conclave/rtp/dependency_descriptor.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/fir.h"
#include "conclave/rtp/frame_assembler.h"
#include "conclave/rtp/generic_nack.h"
#include "conclave/rtp/mid.h"
#include "conclave/rtp/opus_depacketizer.h"
#include "conclave/rtp/opus_packetizer.h"
#include "conclave/rtp/payload_format.h"
#include "conclave/rtp/pli.h"
#include "conclave/rtp/receiver_report.h"
#include "conclave/rtp/remb.h"
#include "conclave/rtp/report_block.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/rtcp_header.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/sdes.h"
#include "conclave/rtp/sender_report.h"
#include "conclave/rtp/sequence_number.h"
#include "conclave/rtp/sframe_depacketizer.h"
#include "conclave/rtp/sframe_packetizer.h"
#include "conclave/rtp/transport_feedback.h"
#include "conclave/rtp/transport_sequence_number.h"
#include "conclave/rtp/vp8_depacketizer.h"
#include "conclave/rtp/vp8_packetizer.h"
#include "conclave/rtp/vp8_payload_descriptor.h"
