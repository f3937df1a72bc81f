// conclave::media — raw media, codecs, sources, sinks and quality measures
// for the native client. Includes every public header.
//
//   sender:    TestPattern / Y4mReader --VideoFrame--> Vp8Encoder
//              --EncodedFrame--> (SFrame, RTP)        IvfReader: pre-encoded
//              ToneGenerator / WavReader --AudioFrame--> OpusEncoder --> packet
//   receiver:  (RTP, SFrame) --> Vp8Decoder --VideoFrame--> Y4mWriter
//              frame_index_of + psnr against TestPattern::frame(N)
//              packet --> OpusDecoder (conceal() for a loss) --AudioFrame-->
//              WavWriter; estimate_frequency / rms against the tone
//              encoded frames --> IvfWriter
//
// Parts:
//   video_frame.h, audio_frame.h, encoded_frame.h   the values passed around
//                      (I420 with 90 kHz timestamps; 48 kHz int16 interleaved,
//                      20 ms by default, timestamps in samples)
//   vp8_encoder.h, vp8_decoder.h, vp8_frame_header.h   VP8 over libvpx
//   opus_encoder.h, opus_decoder.h                      Opus over libopus
//   test_pattern.h, tone_generator.h                    synthetic sources
//   y4m_reader.h, y4m_writer.h, wav_reader.h, wav_writer.h,
//   ivf_reader.h, ivf_writer.h                          files
//   quality.h                                           PSNR, frame counter,
//                                                       Goertzel, RMS
//
// Conventions: everything that reads bytes from outside (decoders, file
// readers) treats them as hostile and returns Result<T> with a media::Errc
// (errc.h); none throws, aborts or allocates what a header merely claims,
// and each has a libFuzzer target under fuzz/. libvpx and libopus stay out
// of the public headers (their state hides behind a pointer). Pure: no
// sockets or threads of our own; libvpx runs worker threads only when a
// config asks for more than 1. Readers and writers work on a caller's
// std::istream / std::ostream (which must outlive them) or on a file they
// open and own.
#pragma once

#include "conclave/media/audio_frame.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/media/errc.h"
#include "conclave/media/ivf_reader.h"
#include "conclave/media/ivf_writer.h"
#include "conclave/media/opus_decoder.h"
#include "conclave/media/opus_encoder.h"
#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/tone_generator.h"
#include "conclave/media/video_frame.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/media/vp8_encoder.h"
#include "conclave/media/vp8_frame_header.h"
#include "conclave/media/wav_reader.h"
#include "conclave/media/wav_writer.h"
#include "conclave/media/y4m_reader.h"
#include "conclave/media/y4m_writer.h"
