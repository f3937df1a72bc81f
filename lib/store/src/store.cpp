#include "conclave/store/store.h"

#include <sqlite3.h>

#include <array>
#include <string>
#include <utility>

namespace conclave::store {
namespace {

constexpr std::array kMigrations = {
    Migration{1, R"sql(
      CREATE TABLE meetings (
        id            TEXT    PRIMARY KEY NOT NULL,
        created_at    INTEGER NOT NULL,
        passcode_hash TEXT,
        waiting_room  INTEGER NOT NULL DEFAULT 1,
        locked        INTEGER NOT NULL DEFAULT 0,
        host_key_hash BLOB    NOT NULL
      );
    )sql"},
};

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Result<Statement> prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Statement s(raw);
  if (rc != SQLITE_OK) return Error(Errc::database_error, "prepare");
  return s;
}

Status exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error(Errc::database_error, "exec");
  }
  return {};
}

Status bind_text(sqlite3_stmt* s, int index, std::string_view text) {
  if (sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    return Error(Errc::database_error, "bind");
  }
  return {};
}

std::string_view column_text(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  int n = sqlite3_column_bytes(s, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};  // NOLINT
}

Result<Meeting> read_meeting(sqlite3_stmt* s) {
  // SELECT id, created_at, passcode_hash, waiting_room, locked, host_key_hash
  CV_TRY(MeetingId id, MeetingId::parse(column_text(s, 0)));
  Meeting m{std::move(id), sqlite3_column_int64(s, 1), std::nullopt,
            sqlite3_column_int(s, 3) != 0, sqlite3_column_int(s, 4) != 0, {}};
  if (sqlite3_column_type(s, 2) != SQLITE_NULL) m.passcode_hash = std::string(column_text(s, 2));
  const void* blob = sqlite3_column_blob(s, 5);
  int n = sqlite3_column_bytes(s, 5);
  if (blob == nullptr || n <= 0) return Error(Errc::corrupt_record, "host_key_hash");
  const auto* bytes = static_cast<const uint8_t*>(blob);
  m.host_key_hash.assign(bytes, bytes + n);
  return m;
}

constexpr std::string_view kSelectMeeting =
    "SELECT id, created_at, passcode_hash, waiting_room, locked, host_key_hash "
    "FROM meetings WHERE id = ?1";

}  // namespace

std::span<const Migration> default_migrations() { return kMigrations; }

struct Store::Db {
  sqlite3* handle = nullptr;
  ~Db() {
    if (handle != nullptr) sqlite3_close_v2(handle);
  }
};

Store::Store(std::unique_ptr<Db> db, ScryptParams scrypt, int version)
    : db_(std::move(db)), scrypt_(scrypt), schema_version_(version) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
  return open(file, Options{});
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file,
                                           const Options& options) {
  auto db = std::make_unique<Db>();
  int rc = sqlite3_open_v2(file.c_str(), &db->handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return Error(Errc::database_error, "open");
  sqlite3* h = db->handle;
  sqlite3_busy_timeout(h, 5000);
  sqlite3_extended_result_codes(h, 1);
  // journal_mode returns a row; exec ignores it.
  CV_TRY_STATUS(exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        " PRAGMA foreign_keys=ON;"));
  CV_TRY_STATUS(exec(h, "CREATE TABLE IF NOT EXISTS schema_version ("
                        " version INTEGER PRIMARY KEY NOT NULL,"
                        " applied_at INTEGER NOT NULL DEFAULT (strftime('%s','now')))"));

  int current = 0;
  {
    CV_TRY(Statement s, prepare(h, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    if (sqlite3_step(s.get()) != SQLITE_ROW) return Error(Errc::database_error, "version");
    current = sqlite3_column_int(s.get(), 0);
  }
  int known = options.migrations.empty() ? 0 : options.migrations.back().version;
  if (current > known) return Errc::schema_too_new;

  for (const Migration& m : options.migrations) {
    if (m.version <= current) continue;
    CV_TRY_STATUS(exec(h, "BEGIN IMMEDIATE"));
    std::string sql(m.sql);
    Status applied = exec(h, sql.c_str());
    if (applied.ok()) {
      auto s = prepare(h, "INSERT INTO schema_version(version) VALUES (?1)");
      if (!s.ok()) {
        applied = s.error();
      } else {
        sqlite3_bind_int(s->get(), 1, m.version);
        if (sqlite3_step(s->get()) != SQLITE_DONE) applied = Error(Errc::database_error, "version");
      }
    }
    if (!applied.ok()) {
      (void)exec(h, "ROLLBACK");
      return Error(Errc::database_error, "migration");
    }
    CV_TRY_STATUS(exec(h, "COMMIT"));
    current = m.version;
  }
  return std::unique_ptr<Store>(new Store(std::move(db), options.scrypt, current));
}

Result<CreatedMeeting> Store::create_meeting(const NewMeeting& request, int64_t now_unix) {
  std::optional<std::string> passcode_hash;
  if (request.passcode && !request.passcode->empty()) {
    CV_TRY(std::string h, PasscodeHash::hash(*request.passcode, scrypt_));
    passcode_hash = std::move(h);
  }
  HostKey host_key = HostKey::generate();
  Bytes host_key_hash = host_key.hash();
  // A collision of 120 random bits does not happen; the loop only guards
  // against a broken random source turning into a silent overwrite.
  for (int attempt = 0; attempt < 3; ++attempt) {
    MeetingId id = MeetingId::generate();
    CV_TRY(Statement s, prepare(db_->handle,
                                "INSERT INTO meetings(id, created_at, passcode_hash, "
                                "waiting_room, locked, host_key_hash) "
                                "VALUES (?1, ?2, ?3, ?4, 0, ?5)"));
    CV_TRY_STATUS(bind_text(s.get(), 1, id.str()));
    sqlite3_bind_int64(s.get(), 2, now_unix);
    if (passcode_hash) {
      CV_TRY_STATUS(bind_text(s.get(), 3, *passcode_hash));
    } else {
      sqlite3_bind_null(s.get(), 3);
    }
    sqlite3_bind_int(s.get(), 4, request.waiting_room ? 1 : 0);
    sqlite3_bind_blob(s.get(), 5, host_key_hash.data(), static_cast<int>(host_key_hash.size()),
                      SQLITE_TRANSIENT);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) continue;
    if (rc != SQLITE_DONE) return Error(Errc::database_error, "insert meeting");
    Meeting m{std::move(id), now_unix, std::move(passcode_hash), request.waiting_room, false,
              std::move(host_key_hash)};
    return CreatedMeeting{std::move(m), std::move(host_key)};
  }
  return Error(Errc::database_error, "meeting id collision");
}

Result<Meeting> Store::find_meeting(const MeetingId& id) {
  CV_TRY(Statement s, prepare(db_->handle, kSelectMeeting));
  CV_TRY_STATUS(bind_text(s.get(), 1, id.str()));
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) return Errc::not_found;
  if (rc != SQLITE_ROW) return Error(Errc::database_error, "select meeting");
  return read_meeting(s.get());
}

Result<Meeting> Store::update_settings(const MeetingId& id, std::optional<bool> locked,
                                       std::optional<bool> waiting_room) {
  CV_TRY(Statement s, prepare(db_->handle,
                              "UPDATE meetings SET locked = COALESCE(?2, locked), "
                              "waiting_room = COALESCE(?3, waiting_room) WHERE id = ?1"));
  CV_TRY_STATUS(bind_text(s.get(), 1, id.str()));
  if (locked) {
    sqlite3_bind_int(s.get(), 2, *locked ? 1 : 0);
  } else {
    sqlite3_bind_null(s.get(), 2);
  }
  if (waiting_room) {
    sqlite3_bind_int(s.get(), 3, *waiting_room ? 1 : 0);
  } else {
    sqlite3_bind_null(s.get(), 3);
  }
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error(Errc::database_error, "update");
  if (sqlite3_changes(db_->handle) == 0) return Errc::not_found;
  return find_meeting(id);
}

Result<int64_t> Store::count_meetings() {
  CV_TRY(Statement s, prepare(db_->handle, "SELECT COUNT(*) FROM meetings"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Error(Errc::database_error, "count");
  return sqlite3_column_int64(s.get(), 0);
}

}  // namespace conclave::store
