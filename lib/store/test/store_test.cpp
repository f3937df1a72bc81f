#include "conclave/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace conclave::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("conclave-store-test-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& p) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return {};
  std::string out(size, '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(out.data(), static_cast<std::streamsize>(size));
  return out;
}

Store::Options fast_options() {
  Store::Options o;
  o.scrypt = ScryptParams{10, 8, 1};
  return o;
}

std::string query_text(const fs::path& file, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(s, 0);
    if (t != nullptr) out = reinterpret_cast<const char*>(t);  // NOLINT
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST(Store, OpenAppliesMigrationsAndUsesWal) {
  TempDir dir;
  fs::path file = dir.path() / "conclave.db";
  {
    auto store = Store::open(file, fast_options());
    ASSERT_TRUE(store.ok()) << store.error().to_string();
    EXPECT_EQ((*store)->schema_version(), default_migrations().back().version);
    auto n = (*store)->count_meetings();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 0);
  }
  EXPECT_EQ(query_text(file, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_text(file, "SELECT COUNT(*) FROM schema_version"),
            std::to_string(default_migrations().size()));
  // Reopening applies nothing twice.
  auto again = Store::open(file, fast_options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(query_text(file, "SELECT COUNT(*) FROM schema_version"),
            std::to_string(default_migrations().size()));
}

TEST(Store, UpgradesAnOlderSchemaInOrder) {
  TempDir dir;
  fs::path file = dir.path() / "conclave.db";
  const Migration v1[] = {{1, "CREATE TABLE a (x INTEGER);"}};
  const Migration v2[] = {{1, "CREATE TABLE a (x INTEGER);"},
                          {2, "ALTER TABLE a ADD COLUMN y TEXT; INSERT INTO a VALUES (7, 'b');"}};
  Store::Options o = fast_options();
  o.migrations = v1;
  {
    auto s = Store::open(file, o);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ((*s)->schema_version(), 1);
  }
  o.migrations = v2;
  {
    auto s = Store::open(file, o);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ((*s)->schema_version(), 2);
  }
  EXPECT_EQ(query_text(file, "SELECT y FROM a"), "b");
  EXPECT_EQ(query_text(file, "SELECT MAX(version) FROM schema_version"), "2");
}

TEST(Store, FailedMigrationRollsBack) {
  TempDir dir;
  fs::path file = dir.path() / "conclave.db";
  const Migration bad[] = {{1, "CREATE TABLE a (x INTEGER);"},
                           {2, "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;"}};
  Store::Options o = fast_options();
  o.migrations = bad;
  auto s = Store::open(file, o);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::database_error));
  EXPECT_EQ(query_text(file, "SELECT MAX(version) FROM schema_version"), "1");
  EXPECT_EQ(query_text(file, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'"), "0");
}

TEST(Store, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  fs::path file = dir.path() / "conclave.db";
  const Migration future[] = {{1, "CREATE TABLE a (x INTEGER);"}, {2, "CREATE TABLE b (x INTEGER);"}};
  const Migration current[] = {{1, "CREATE TABLE a (x INTEGER);"}};
  Store::Options o = fast_options();
  o.migrations = future;
  ASSERT_TRUE(Store::open(file, o).ok());
  o.migrations = current;
  auto s = Store::open(file, o);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::schema_too_new));
}

TEST(Store, OpenFailsOnAnUnwritablePath) {
  TempDir dir;
  auto s = Store::open(dir.path() / "missing-dir" / "conclave.db", fast_options());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::database_error));
}

TEST(Store, CreateAndFindMeeting) {
  TempDir dir;
  fs::path file = dir.path() / "conclave.db";
  std::string id_text;
  std::string host_key;
  {
    auto store = Store::open(file, fast_options());
    ASSERT_TRUE(store.ok());
    auto created = (*store)->create_meeting({"open sesame", true}, 1700000000);
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    id_text = created->meeting.id.str();
    host_key = created->host_key.text();
    EXPECT_TRUE(created->meeting.passcode_required());
    EXPECT_TRUE(created->meeting.waiting_room);
    EXPECT_FALSE(created->meeting.locked);
  }
  auto store = Store::open(file, fast_options());
  ASSERT_TRUE(store.ok());
  auto id = MeetingId::parse(id_text);
  ASSERT_TRUE(id.ok());
  auto m = (*store)->find_meeting(*id);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->created_at, 1700000000);
  ASSERT_TRUE(m->passcode_hash.has_value());
  EXPECT_TRUE(PasscodeHash::verify(*m->passcode_hash, "open sesame"));
  EXPECT_FALSE(PasscodeHash::verify(*m->passcode_hash, "open sesamE"));
  EXPECT_TRUE(HostKey::matches(m->host_key_hash, host_key));
  EXPECT_FALSE(HostKey::matches(m->host_key_hash, HostKey::generate().text()));

  // Secrets are not in the database file in clear.
  std::string raw = read_file(file) + read_file(file.string() + "-wal");
  EXPECT_EQ(raw.find("open sesame"), std::string::npos);
  EXPECT_EQ(raw.find(host_key), std::string::npos);
}

TEST(Store, MeetingWithoutPasscodeOrWaitingRoom) {
  TempDir dir;
  auto store = Store::open(dir.path() / "c.db", fast_options());
  ASSERT_TRUE(store.ok());
  auto created = (*store)->create_meeting({std::nullopt, false}, 5);
  ASSERT_TRUE(created.ok());
  auto m = (*store)->find_meeting(created->meeting.id);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->passcode_required());
  EXPECT_FALSE(m->waiting_room);
  // An empty passcode means none.
  auto empty = (*store)->create_meeting({std::string(), true}, 5);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->meeting.passcode_required());
  auto too_long = (*store)->create_meeting({std::string(500, 'p'), true}, 5);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.error().is(Errc::invalid_argument));
  EXPECT_EQ(*(*store)->count_meetings(), 2);
}

TEST(Store, UnknownMeetingIsNotFound) {
  TempDir dir;
  auto store = Store::open(dir.path() / "c.db", fast_options());
  ASSERT_TRUE(store.ok());
  auto r = (*store)->find_meeting(MeetingId::generate());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::not_found));
  auto u = (*store)->update_settings(MeetingId::generate(), true, std::nullopt);
  ASSERT_FALSE(u.ok());
  EXPECT_TRUE(u.error().is(Errc::not_found));
}

TEST(Store, UpdateSettingsChangesOnlyWhatIsGiven) {
  TempDir dir;
  auto store = Store::open(dir.path() / "c.db", fast_options());
  ASSERT_TRUE(store.ok());
  auto created = (*store)->create_meeting({}, 1);
  ASSERT_TRUE(created.ok());
  const MeetingId& id = created->meeting.id;
  auto locked = (*store)->update_settings(id, true, std::nullopt);
  ASSERT_TRUE(locked.ok());
  EXPECT_TRUE(locked->locked);
  EXPECT_TRUE(locked->waiting_room);
  auto no_wr = (*store)->update_settings(id, std::nullopt, false);
  ASSERT_TRUE(no_wr.ok());
  EXPECT_TRUE(no_wr->locked);
  EXPECT_FALSE(no_wr->waiting_room);
  auto unlocked = (*store)->update_settings(id, false, std::nullopt);
  ASSERT_TRUE(unlocked.ok());
  EXPECT_FALSE(unlocked->locked);
  EXPECT_FALSE((*store)->find_meeting(id)->locked);
}

}  // namespace
}  // namespace conclave::store
