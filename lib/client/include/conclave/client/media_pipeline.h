// The native client's media pipelines: raw media to RTP packets and back,
// with every frame end-to-end encrypted (DESIGN.md, flow A). Pure: no
// sockets, threads or global state; time from an injected Clock; the
// transport (ICE, DTLS-SRTP, UDP) lives elsewhere and moves the bytes.
// Includes every header of the pipelines.
//
//   sender                                     receiver
//   VideoFrame                                 RTP packet (after SRTP)
//    │ Vp8Encoder                               │ parse, SSRC, PT, DD, VP8 descriptor
//    │ MlsContext::protect (context 1)          │ JitterBuffer: order, NACK, loss,
//    │ Vp8Packetizer + dependency descriptor    │   key-frame wait, PLI
//    v                                          │ MlsContext::unprotect (context check)
//   RTP packets ───── SFU (blind) ─────────>    │ Vp8Decoder / OpusDecoder (+PLC)
//   AudioFrame                                  v
//    │ OpusEncoder, audio level                on_receiver_video / on_receiver_audio
//    │ MlsContext::protect (context 0)         take_rtcp(): NACK, PLI
//    v                                          │
//   one RTP packet per 20 ms   <── RTCP ────────┘ VideoSender::handle_rtcp:
//                                                  retransmit from history, key frame
//
// Decisions (fixed for Conclave's native client):
//  - every encoded frame is SFrame-protected before packetization; with no
//    MLS epoch a sender sends nothing (there is no plaintext path);
//  - sender index = our MLS leaf; SFrame context 0 audio, 1 video, 2 screen
//    (media_kind.h); SFrame metadata (AAD) empty;
//  - video: every packet carries the dependency descriptor (single-layer
//    structure on key frames), receivers take frame boundaries and key
//    frames from it, never from the encrypted payload;
//  - audio: Opus, 20 ms, one protected frame per packet, RFC 6464 level;
//  - extension IDs, payload types (Opus 111, VP8 96) and SSRCs are
//    parameters (RtpExtensionIds); the transport-wide sequence number comes
//    from one TransportSequenceCounter per transport.
//
// Parts: video_sender.h, audio_sender.h, jitter_buffer.h, media_receiver.h,
// latency_window.h, rtp_extension_ids.h, transport_sequence_counter.h,
// media_kind.h, media_errc.h.
#pragma once

#include "conclave/client/audio_sender.h"
#include "conclave/client/jitter_buffer.h"
#include "conclave/client/latency_window.h"
#include "conclave/client/media_errc.h"
#include "conclave/client/media_kind.h"
#include "conclave/client/media_receiver.h"
#include "conclave/client/rtp_extension_ids.h"
#include "conclave/client/transport_sequence_counter.h"
#include "conclave/client/video_sender.h"
