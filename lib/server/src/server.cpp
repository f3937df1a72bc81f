#include "conclave/server/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

#include "conclave/net/certificate.h"
#include "conclave/net/https_server.h"
#include "conclave/server/media_server.h"
#include "conclave/server/media_service.h"
#include "conclave/server/rest_api.h"
#include "conclave/server/signaling_service.h"
#include "conclave/server/static_files.h"
#include "conclave/store/store.h"

namespace conclave::server {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kTickPeriod{200};

Status ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Error(Errc::data_dir, "create");
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (!fs::is_directory(dir, ec)) return Error(Errc::data_dir, "not a directory");
  return {};
}

// Loads the certificate, or creates and saves one when neither file exists.
Result<net::Certificate> load_or_create_certificate(const Config& config, bool& created) {
  fs::path cert_file = config.effective_certificate_file();
  fs::path key_file = config.effective_private_key_file();
  std::error_code ec;
  bool have_cert = fs::exists(cert_file, ec);
  bool have_key = fs::exists(key_file, ec);
  created = false;
  if (have_cert && have_key) {
    auto loaded = net::Certificate::load(cert_file, key_file);
    if (!loaded.ok()) {
      spdlog::error("cannot load {} / {}: {}", cert_file.string(), key_file.string(),
                    loaded.error().to_string());
      return Error(Errc::certificate, "load");
    }
    return loaded;
  }
  if (have_cert || have_key) {
    spdlog::error("only one of {} and {} exists; restore the other or remove both",
                  cert_file.string(), key_file.string());
    return Error(Errc::certificate, "half a key pair");
  }
  CV_TRY_STATUS(ensure_private_dir(cert_file.parent_path()));
  CV_TRY_STATUS(ensure_private_dir(key_file.parent_path()));
  net::CertificateOptions options;
  if (config.listen_host != "127.0.0.1" && config.listen_host != "0.0.0.0" &&
      config.listen_host != "::") {
    options.ip_addresses.push_back(config.listen_host);
  }
  auto generated = net::Certificate::generate_self_signed(options);
  if (!generated.ok()) return Error(Errc::certificate, "generate");
  if (!generated->save(cert_file, key_file).ok()) return Error(Errc::certificate, "save");
  created = true;
  return generated;
}

std::string host_for_url(const std::string& host) {
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  if (host == "0.0.0.0") return "127.0.0.1";
  return host;
}

}  // namespace

// The address the SFU binds and announces: an IP literal.
std::string media_host(const Config& c) {
  std::string host = c.media_address.empty() ? c.listen_host : c.media_address;
  return host == "localhost" ? "127.0.0.1" : host;
}

struct Server::Parts {
  Config config;
  const Clock* clock = nullptr;
  std::unique_ptr<net::Certificate> certificate;
  bool created_certificate = false;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<SignalingService> signaling;
  std::unique_ptr<RestApi> rest;
  std::unique_ptr<StaticFiles> pages;
  std::unique_ptr<net::HttpsServer> https;
  std::unique_ptr<MediaServer> media;
  std::unique_ptr<MediaService> media_service;
  std::string url;
  std::string public_url;
};

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(const Config& config, const Clock& clock) {
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  parts->clock = &clock;
  const Config& c = parts->config;

  CV_TRY_STATUS(ensure_private_dir(c.data_dir));
  CV_TRY(net::Certificate cert, load_or_create_certificate(c, parts->created_certificate));
  parts->certificate = std::make_unique<net::Certificate>(std::move(cert));

  auto store = store::Store::open(c.database_file());
  if (!store.ok()) {
    spdlog::error("cannot open {}: {}", c.database_file().string(), store.error().to_string());
    return Error(Errc::store, "open");
  }
  parts->store = std::move(*store);
  parts->signaling = std::make_unique<SignalingService>(*parts->store, clock, c);

  net::HttpsServerOptions options;
  options.address = c.listen_host;
  options.port = c.listen_port;
  options.websocket_path = "/api/v1/signal";
  // The transport cap sits above the protocol limit, so that a message
  // between the two gets a `too_large` error reply instead of a disconnect.
  options.max_websocket_message_bytes = c.max_message_bytes * 4;
  options.max_send_queue_messages = c.max_send_queue;
  options.max_connections = c.max_connections;
  Parts* p = parts.get();
  auto https = net::HttpsServer::create(
      options, *parts->certificate,
      [p](const net::HttpRequest& r) {
        std::string_view path = r.path();
        if (p->pages && !path.starts_with("/api/") && path != "/metrics") {
          return p->pages->handle(r);
        }
        return p->rest->handle(r);
      },
      *parts->signaling);
  if (!https.ok()) {
    spdlog::error("cannot listen on {}:{}: {}", c.listen_host, c.listen_port,
                  https.error().to_string());
    return Error(Errc::listen, "listen");
  }
  parts->https = std::move(*https);
  // The signaling timers (reconnect grace periods) run on the loop.
  parts->https->every(kTickPeriod, [p] { p->signaling->on_tick(p->clock->now()); });
  parts->url = "https://" + host_for_url(c.listen_host) + ":" + std::to_string(parts->https->port());
  parts->public_url = c.public_url.empty() ? parts->url : c.public_url;
  parts->rest = std::make_unique<RestApi>(*parts->store, *parts->signaling, clock, c,
                                          parts->public_url);
  if (!c.web_root.empty()) {
    parts->pages = std::make_unique<StaticFiles>(c.web_root);
    std::error_code ec;
    if (!fs::exists(c.web_root / "index.html", ec)) {
      spdlog::warn("web: {} has no index.html (build web/ with `npm run build`)",
                   c.web_root.string());
    }
    spdlog::info("web: serving the browser client from {}", c.web_root.string());
  }
  if (c.media_enabled) CV_TRY_STATUS(start_media(*parts));
  return std::unique_ptr<Server>(new Server(std::move(parts)));
}

Status Server::start_media(Parts& parts) {
  const Config& c = parts.config;
  std::string host = media_host(c);
  uint16_t port = c.media_port < 0 ? parts.https->port() : static_cast<uint16_t>(c.media_port);
  Parts* p = &parts;
  auto media = MediaServer::start(host, port, *parts.certificate, *parts.clock,
                                  [p](sfu::SfuEvent event) {
                                    p->https->post([p, event = std::move(event)] {
                                      p->signaling->on_media_event(event);
                                    });
                                  });
  if (!media.ok()) {
    spdlog::error("cannot open the media port {}:{}/udp: {}", host, port,
                  media.error().to_string());
    return Error(Errc::media_port, "bind");
  }
  parts.media = std::move(*media);
  if (!c.test_media_capture.empty()) {
    spdlog::warn("media: TEST capture of every packet the SFU sees to {}", c.test_media_capture);
    parts.media->set_capture(c.test_media_capture);
  }
  if (c.test_media_loss > 0) {
    spdlog::warn("media: TEST loss of {:.1f}% of RTP/RTCP datagrams", c.test_media_loss * 100);
    parts.media->set_loss(c.test_media_loss);
  }
  // The announced candidate: an unspecified bind address is not one.
  std::string candidate = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  parts.media_service = std::make_unique<MediaService>(
      *parts.media, parts.certificate->fingerprint(), candidate);
  parts.signaling->set_media(parts.media_service.get());
  parts.rest->set_metrics_source([p] { return p->media->stats().prometheus_text(); });
  spdlog::info("media: SFU on {}:{}/udp", host, parts.media->port());
  return {};
}

uint16_t Server::media_port() const { return parts_->media ? parts_->media->port() : 0; }

uint16_t Server::port() const { return parts_->https->port(); }
std::string Server::url() const { return parts_->url; }
const std::string& Server::public_url() const { return parts_->public_url; }
const net::Fingerprint& Server::fingerprint() const { return parts_->certificate->fingerprint(); }
bool Server::created_certificate() const { return parts_->created_certificate; }
void Server::run() { parts_->https->run(); }
void Server::stop() {
  parts_->https->stop();
  if (parts_->media) parts_->media->stop();
}

}  // namespace conclave::server
