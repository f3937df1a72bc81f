// bench-sframe: SFrame protect/unprotect against the raw limit of the same
// machine, measured in the same run (DESIGN.md, "Quality bars").
//
// For frame sizes 100 B, 1,200 B, 10 KB and 64 KB it measures
//   raw seal    OpenSSL EVP AES-128-GCM: one EVP_CIPHER_CTX keyed once,
//               per call only the 12-byte IV is set, then update, final
//               and the 16-byte tag fetched (no AAD) -- the floor;
//   raw open    the same for decryption, for reference;
//   raw + AAD   raw seal that also authenticates a 3-byte AAD, as SFrame
//               must for its header: the floor of any SFrame over EVP;
//   protect     Context::protect with suite 4 (AES_128_GCM_SHA256_128) and
//               suite 2 (AES_128_CTR_HMAC_SHA256_64), empty metadata;
//   unprotect   Context::unprotect of frames protected beforehand, in order,
//               by one long-lived receive context -- the real receive path
//               with its replay window. Frames are protected in batches of
//               about 1 MB outside the timed region, so every timed call
//               sees a fresh counter.
// and prints ns/op and MB/s per line, then as the last line of each size
// the throughput ratios SFrame/raw seal for suite 4 (1.0 = as fast as raw;
// in parentheses the ratios against raw open and raw + AAD).
//
// Harness: std::chrono::steady_clock (or, with --cpu-time, the thread's CPU
// time, for machines shared with other busy processes); each measurement is calibrated to
// about 0.3 s and repeated three times, keeping the best, with the cases of
// one size taking turns so that load from other processes hits them alike.
// A benchmark, not a test: it never fails on a time.
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string_view>
#include <vector>

#include "conclave/sframe/context.h"

namespace {

using conclave::Bytes;
using conclave::BytesView;
using conclave::sframe::CipherSuite;
using conclave::sframe::CipherSuiteId;
using conclave::sframe::Context;
using conclave::sframe::KeyUsage;
using Clock = std::chrono::steady_clock;

// Defaults; `--seconds S` and `--size N` (repeatable) override them, e.g.
// for a short run under valgrind --tool=callgrind.
double g_target_seconds = 0.3;
constexpr int kRepeats = 3;
constexpr uint64_t kKid = 0x123;
constexpr size_t kBatchBytes = size_t{1} << 20;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench-sframe: %s failed\n", what);
    std::exit(1);
  }
}

// `--cpu-time` measures this thread's CPU time (CLOCK_THREAD_CPUTIME_ID)
// instead of steady_clock: on a machine shared with other busy processes
// it leaves out the time the thread was not running.
bool g_cpu_time = false;

double now_seconds() {
  if (g_cpu_time) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

double seconds_since(double start) { return now_seconds() - start; }

// One measured operation. run(seconds) performs the operation for about
// that long and returns ns/op. The cases of one frame size are run in turns
// (case 1, 2, ..., 1, 2, ...) and each keeps its best of kRepeats, so that
// load from other processes hits them alike.
struct Case {
  const char* name;
  std::function<double(double)> run;
  double best_ns = 1e300;
};

// A run of `op` (one operation per call) for about `seconds`: doubles the
// count until a run takes a tenth of that, then scales.
template <class Op>
std::function<double(double)> timed(Op op) {
  return [op, iterations = size_t{0}](double seconds) mutable {
    if (iterations == 0) {
      size_t n = 16;
      for (;;) {
        const double start = now_seconds();
        for (size_t i = 0; i < n; ++i) op();
        const double t = seconds_since(start);
        if (t >= seconds / 10) {
          iterations = static_cast<size_t>(static_cast<double>(n) * seconds / t) + 1;
          break;
        }
        n *= 2;
      }
    }
    const double start = now_seconds();
    for (size_t i = 0; i < iterations; ++i) op();
    return seconds_since(start) * 1e9 / static_cast<double>(iterations);
  };
}

// As timed(), for operations that consume prepared inputs: prepare(n)
// readies n inputs outside the timed region, op(i) runs on input i.
template <class Prepare, class Op>
std::function<double(double)> timed_batched(size_t batch, Prepare prepare, Op op) {
  return [=](double seconds) mutable {
    double total = 0;
    size_t ops = 0;
    while (total < seconds) {
      prepare(batch);
      const double start = now_seconds();
      for (size_t i = 0; i < batch; ++i) op(i);
      total += seconds_since(start);
      ops += batch;
    }
    return total * 1e9 / static_cast<double>(ops);
  };
}

void run_cases(std::vector<Case>& cases) {
  for (Case& c : cases) c.run(g_target_seconds / 10);  // calibrate and warm up
  for (int r = 0; r < kRepeats; ++r) {
    for (Case& c : cases) c.best_ns = std::min(c.best_ns, c.run(g_target_seconds));
  }
}

void print(const char* name, size_t size, double ns) {
  const double mb_per_s = static_cast<double>(size) / ns * 1e3;
  std::printf("  %-34s %12.1f ns/op %10.1f MB/s\n", name, ns, mb_per_s);
}

Bytes pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 131 + 7);
  return b;
}

// Raw OpenSSL AES-128-GCM, keyed once.
struct RawGcm {
  RawGcm() {
    cipher = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
    seal_ctx = EVP_CIPHER_CTX_new();
    open_ctx = EVP_CIPHER_CTX_new();
    const Bytes key = pattern(16);
    require(cipher && seal_ctx && open_ctx, "EVP setup");
    require(EVP_EncryptInit_ex2(seal_ctx, cipher, key.data(), nullptr, nullptr) == 1,
            "EVP_EncryptInit_ex2");
    require(EVP_DecryptInit_ex2(open_ctx, cipher, key.data(), nullptr, nullptr) == 1,
            "EVP_DecryptInit_ex2");
  }
  ~RawGcm() {
    EVP_CIPHER_CTX_free(seal_ctx);
    EVP_CIPHER_CTX_free(open_ctx);
    EVP_CIPHER_free(cipher);
  }
  RawGcm(const RawGcm&) = delete;
  RawGcm& operator=(const RawGcm&) = delete;

  // ct || tag into out.
  bool seal(const uint8_t* iv, BytesView pt, uint8_t* out, BytesView aad = {}) const {
    int len = 0;
    int fin = 0;
    return EVP_EncryptInit_ex2(seal_ctx, nullptr, nullptr, iv, nullptr) == 1 &&
           (aad.empty() || EVP_EncryptUpdate(seal_ctx, nullptr, &len, aad.data(),
                                             static_cast<int>(aad.size())) == 1) &&
           EVP_EncryptUpdate(seal_ctx, out, &len, pt.data(), static_cast<int>(pt.size())) == 1 &&
           EVP_EncryptFinal_ex(seal_ctx, out + len, &fin) == 1 &&
           EVP_CIPHER_CTX_ctrl(seal_ctx, EVP_CTRL_AEAD_GET_TAG, 16, out + pt.size()) == 1;
  }
  bool open(const uint8_t* iv, BytesView ct, uint8_t* out) const {
    const size_t n = ct.size() - 16;
    uint8_t tag[16];
    std::copy_n(ct.data() + n, 16, tag);
    int len = 0;
    int fin = 0;
    return EVP_DecryptInit_ex2(open_ctx, nullptr, nullptr, iv, nullptr) == 1 &&
           EVP_CIPHER_CTX_ctrl(open_ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag) == 1 &&
           EVP_DecryptUpdate(open_ctx, out, &len, ct.data(), static_cast<int>(n)) == 1 &&
           EVP_DecryptFinal_ex(open_ctx, out + len, &fin) == 1;
  }

  EVP_CIPHER* cipher = nullptr;
  EVP_CIPHER_CTX* seal_ctx = nullptr;
  EVP_CIPHER_CTX* open_ctx = nullptr;
};

// Sender and receiver of one suite, with the state the cases share.
struct SuiteBench {
  SuiteBench(CipherSuiteId id, size_t size)
      : suite(CipherSuite::get(id)),
        pt(pattern(size)),
        out(size + Context::kMaxOverhead),
        back(size),
        send(suite),
        ring_send(suite),
        recv(suite) {
    const Bytes base_key = pattern(16);
    require(send.add_key(kKid, KeyUsage::protect, base_key).ok(), "add_key");
    require(ring_send.add_key(kKid, KeyUsage::protect, base_key).ok(), "add_key");
    require(recv.add_key(kKid, KeyUsage::unprotect, base_key).ok(), "add_key");
    const size_t batch = std::max<size_t>(16, kBatchBytes / out.size());
    frames.assign(batch, Bytes(out.size()));
    sizes.assign(batch, 0);
  }

  void add_cases(std::vector<Case>& cases, const char* protect_name,
                 const char* unprotect_name) {
    cases.push_back({protect_name, timed([this] {
                       require(send.protect(kKid, {}, pt, out).ok(), "protect");
                     })});
    // Frames are protected by a second sender (same key) outside the timed
    // region and unprotected in order by one long-lived receiver.
    cases.push_back({unprotect_name, timed_batched(
                                         frames.size(),
                                         [this](size_t n) {
                                           for (size_t i = 0; i < n; ++i) {
                                             auto r = ring_send.protect(kKid, {}, pt, frames[i]);
                                             require(r.ok(), "protect");
                                             sizes[i] = *r;
                                           }
                                         },
                                         [this](size_t i) {
                                           auto r = recv.unprotect(
                                               {}, BytesView(frames[i]).first(sizes[i]), back);
                                           require(r.ok(), "unprotect");
                                         })});
  }

  const CipherSuite& suite;
  Bytes pt;
  Bytes out;
  Bytes back;
  Context send;
  Context ring_send;
  Context recv;
  std::vector<Bytes> frames;
  std::vector<size_t> sizes;
};

void bench_size(size_t size) {
  std::printf("frame size %zu B\n", size);
  const Bytes pt = pattern(size);
  RawGcm raw;
  Bytes sealed(size + 16);
  uint8_t iv[12] = {};
  uint64_t counter = 0;
  const uint8_t open_iv[12] = {1};
  Bytes ct(size + 16);
  require(raw.seal(open_iv, pt, ct.data()), "raw seal");
  Bytes opened(size);
  SuiteBench s4(CipherSuiteId::aes_128_gcm_sha256_128, size);
  SuiteBench s2(CipherSuiteId::aes_128_ctr_hmac_sha256_64, size);

  std::vector<Case> cases;
  cases.push_back({"raw EVP AES-128-GCM seal", timed([&] {
                     ++counter;
                     std::memcpy(iv + 4, &counter, 8);
                     require(raw.seal(iv, pt, sealed.data()), "raw seal");
                   })});
  cases.push_back({"raw EVP AES-128-GCM open", timed([&] {
                     require(raw.open(open_iv, ct, opened.data()), "raw open");
                   })});
  const uint8_t header_aad[3] = {0x90, 0x01, 0x23};  // KID 0x123, CTR 0
  cases.push_back({"raw EVP AES-128-GCM seal + 3 B AAD", timed([&] {
                     ++counter;
                     std::memcpy(iv + 4, &counter, 8);
                     require(raw.seal(iv, pt, sealed.data(), header_aad), "raw seal");
                   })});
  s4.add_cases(cases, "sframe suite 4 protect", "sframe suite 4 unprotect");
  s2.add_cases(cases, "sframe suite 2 protect", "sframe suite 2 unprotect");
  run_cases(cases);
  for (const Case& c : cases) print(c.name, size, c.best_ns);

  // Throughput ratio = raw time / SFrame time.
  auto best = [&](std::string_view name) {
    for (const Case& c : cases) {
      if (name == c.name) return c.best_ns;
    }
    return 0.0;
  };
  const double raw_seal = best("raw EVP AES-128-GCM seal");
  const double raw_open = best("raw EVP AES-128-GCM open");
  const double raw_aad = best("raw EVP AES-128-GCM seal + 3 B AAD");
  const double protect = best("sframe suite 4 protect");
  const double unprotect = best("sframe suite 4 unprotect");
  std::printf("  ratio SFrame/raw seal, suite 4: protect %.3f  unprotect %.3f"
              "  (unprotect/raw open %.3f, protect/raw+AAD %.3f)\n",
              raw_seal / protect, raw_seal / unprotect, raw_open / unprotect, raw_aad / protect);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--cpu-time") {
      g_cpu_time = true;
    } else if (flag == "--seconds" && has_value) {
      g_target_seconds = std::atof(argv[++i]);
    } else if (flag == "--size" && has_value) {
      sizes.push_back(static_cast<size_t>(std::atol(argv[++i])));
    } else {
      std::fprintf(stderr, "usage: bench-sframe [--cpu-time] [--seconds S] [--size BYTES]...\n");
      return 2;
    }
  }
  if (g_target_seconds <= 0) g_target_seconds = 0.3;
  if (sizes.empty()) sizes = {100, 1200, 10 * 1024, 64 * 1024};
  std::printf("bench-sframe: %s, best of %d runs of ~%.2f s per line\n",
              g_cpu_time ? "thread CPU time" : "steady_clock", kRepeats, g_target_seconds);
  for (size_t size : sizes) bench_size(size);
  return 0;
}
