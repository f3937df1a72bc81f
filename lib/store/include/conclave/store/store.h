// The server's store: a SQLite database (WAL mode) holding meetings.
//
//   Store::open(path)      opens or creates the file and applies every
//                          pending schema migration in its own transaction;
//                          a database from a newer Conclave is refused.
//   create_meeting()       random MeetingId, host key (returned once, stored
//                          as a hash), optional passcode (stored as scrypt).
//   find_meeting()         by ID; check a passcode with
//                          PasscodeHash::verify(meeting.passcode_hash, ...)
//                          and a host key with HostKey::matches(...).
//   update_settings()      lock / waiting room.
//
// Migrations are numbered from 1 and never edited once released: a schema
// change is a new entry at the end of default_migrations(). The
// `schema_version` table records which ones were applied.
//
// A Store is used from one thread at a time (the server's event loop).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/store/errc.h"
#include "conclave/store/meeting.h"
#include "conclave/store/passcode_hash.h"

namespace conclave::store {

struct Migration {
  int version;
  std::string_view sql;
};

// Every migration this build knows, in order.
std::span<const Migration> default_migrations();

class Store {
 public:
  struct Options {
    ScryptParams scrypt{};
    std::span<const Migration> migrations = default_migrations();
  };

  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file,
                                             const Options& options);
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The highest migration applied.
  int schema_version() const { return schema_version_; }

  Result<CreatedMeeting> create_meeting(const NewMeeting& request, int64_t now_unix);
  Result<Meeting> find_meeting(const MeetingId& id);
  Result<Meeting> update_settings(const MeetingId& id, std::optional<bool> locked,
                                  std::optional<bool> waiting_room);
  Result<int64_t> count_meetings();

 private:
  struct Db;
  Store(std::unique_ptr<Db> db, ScryptParams scrypt, int version);

  std::unique_ptr<Db> db_;
  ScryptParams scrypt_;
  int schema_version_;
};

}  // namespace conclave::store
