// EmbeddedCluster against a real throwaway cluster. One cluster (one initdb) serves the whole
// file: Shared() starts it on demand, so each test also passes when run alone.
#include "pg/embedded_cluster.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pg/child_process.h"

namespace dataplane::pg {
namespace {

namespace fs = std::filesystem;

// Runs one statement on `url`; returns the first column of the first row ("" if none), or
// nullopt on any error.
std::optional<std::string> Query(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
      PQconnectdb((url + "?connect_timeout=5").c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) return std::nullopt;
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  ExecStatusType st = PQresultStatus(res.get());
  if (st == PGRES_COMMAND_OK) return std::string();
  if (st != PGRES_TUPLES_OK) return std::nullopt;
  return PQntuples(res.get()) > 0 ? std::string(PQgetvalue(res.get(), 0, 0)) : std::string();
}

class EmbeddedClusterTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/dataplane-pg-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = new std::string(tmpl);
  }
  static void TearDownTestSuite() {
    cluster_.reset();  // the destructor stops the server
    std::error_code ec;
    fs::remove_all(*root_, ec);
    delete root_;
  }

  static std::string Dir() { return *root_ + "/cluster"; }

  static EmbeddedCluster& Shared() {
    if (!cluster_) {
      cluster_ = std::make_unique<EmbeddedCluster>(
          ClusterOptions{.dir = Dir(), .database = "dataplane_test", .throwaway = true});
    }
    if (!cluster_->IsRunning()) {
      core::Status s = cluster_->Start();
      EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    }
    return *cluster_;
  }

  static inline std::string* root_ = nullptr;
  static inline std::unique_ptr<EmbeddedCluster> cluster_;
};

TEST_F(EmbeddedClusterTest, StartsAThrowawayClusterThatAnswersQueries) {
  EmbeddedCluster& c = Shared();
  ASSERT_TRUE(c.IsRunning());
  EXPECT_GT(c.port(), 0);
  EXPECT_EQ(c.Url(),
            "postgresql://dataplane@127.0.0.1:" + std::to_string(c.port()) + "/dataplane_test");
  EXPECT_EQ(Query(c.Url(), "SELECT current_database()"), "dataplane_test");
  EXPECT_EQ(Query(c.Url(), "SELECT 40 + 2"), "42");
  EXPECT_EQ(Query(c.Url(), "SHOW fsync"), "off");
  EXPECT_EQ(Query(c.Url(), "SHOW full_page_writes"), "off");
  EXPECT_EQ(Query(c.Url(), "SHOW synchronous_commit"), "on");
  EXPECT_EQ(Query(c.Url(), "SHOW timezone"), "UTC");
  EXPECT_EQ(Query(c.Url(), "SHOW max_connections"), "200");
  EXPECT_EQ(Query(c.Url(), "SHOW server_encoding"), "UTF8");
  EXPECT_TRUE(fs::exists(Dir() + "/postgres.log"));
  EXPECT_TRUE(fs::exists(Dir() + "/run/.s.PGSQL." + std::to_string(c.port())));
}

TEST_F(EmbeddedClusterTest, RestartKeepsPortAndData) {
  EmbeddedCluster& c = Shared();
  const int port = c.port();
  ASSERT_TRUE(Query(c.Url(), "CREATE TABLE IF NOT EXISTS kept (v int)"));
  ASSERT_TRUE(Query(c.Url(), "INSERT INTO kept VALUES (7)"));
  core::Status s = c.Restart();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(c.IsRunning());
  EXPECT_EQ(c.port(), port);
  EXPECT_EQ(Query(c.Url(), "SELECT count(*) FROM kept WHERE v = 7"), "1");
}

TEST_F(EmbeddedClusterTest, StopThenStartReusesTheDataDirAndRecordedPort) {
  EmbeddedCluster& c = Shared();
  const int port = c.port();
  ASSERT_TRUE(Query(c.Url(), "CREATE TABLE IF NOT EXISTS survives (v int)"));
  ASSERT_TRUE(c.Stop().ok());
  EXPECT_FALSE(c.IsRunning());
  EXPECT_FALSE(Query(c.Url(), "SELECT 1"));
  EXPECT_TRUE(c.Stop().ok()) << "stopping a stopped cluster is ok";

  // A fresh object with port 0 finds the port recorded in <dir>/port.
  EmbeddedCluster again(
      ClusterOptions{.dir = Dir(), .database = "dataplane_test", .throwaway = true});
  core::Status s = again.Start();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(again.port(), port);
  EXPECT_EQ(Query(again.Url(), "SELECT count(*) FROM survives"), "0");
  ASSERT_TRUE(again.Stop().ok());
}

TEST_F(EmbeddedClusterTest, StartsDespiteAPidFileNamingAnUnrelatedProcess) {
  EmbeddedCluster& c = Shared();
  ASSERT_TRUE(c.Stop().ok());
  {  // a killed run left its pid file, and the pid was reused by a live non-PostgreSQL process
    std::ofstream pid_file(Dir() + "/data/postmaster.pid");
    pid_file << getppid() << "\n";
  }
  EXPECT_FALSE(c.IsRunning());
  core::Status s = c.Start();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(Query(c.Url(), "SELECT 1"), "1");
}

TEST_F(EmbeddedClusterTest, AdoptsARunningServerWithoutStoppingIt) {
  EmbeddedCluster& c = Shared();
  {
    EmbeddedCluster other(ClusterOptions{.dir = Dir(), .database = "second_db", .throwaway = true});
    core::Status s = other.Start();
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(other.port(), c.port());
    EXPECT_EQ(Query(other.Url(), "SELECT current_database()"), "second_db");
  }
  EXPECT_TRUE(c.IsRunning()) << "only the object that started the server stops it";
}

TEST_F(EmbeddedClusterTest, StartFailureReportsTheLogTail) {
  ASSERT_TRUE(Shared().Stop().ok());
  // A port this process holds (bound and listening), so the server cannot bind it. Not the
  // cluster's own port: once free, that one may be taken by any client's outgoing connection.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << strerror(errno);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int held = ntohs(addr.sin_port);
  EmbeddedCluster on_held(
      ClusterOptions{.dir = Dir(), .port = held, .database = "dataplane_test", .throwaway = true});
  core::Status s = on_held.Start();
  close(fd);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_NE(s.error().message.find("postgres.log"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("could not bind"), std::string::npos) << s.error().message;
  EXPECT_FALSE(on_held.IsRunning());
  core::Status again = on_held.Start();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(on_held.port(), held);
}

TEST_F(EmbeddedClusterTest, RejectsBadOptions) {
  EmbeddedCluster no_dir(ClusterOptions{});
  core::Status s = no_dir.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, core::ErrorKind::kInvalidInput);
  EXPECT_EQ(s.error().field, "dir");
  EXPECT_FALSE(no_dir.IsRunning());
  EXPECT_TRUE(no_dir.Stop().ok());

  EmbeddedCluster long_dir(ClusterOptions{.dir = "/tmp/" + std::string(120, 'x')});
  s = long_dir.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "dir");
}

TEST_F(EmbeddedClusterTest, DestructorStopsTheServerItStarted) {
  Shared();
  cluster_.reset();
  EmbeddedCluster probe(ClusterOptions{.dir = Dir()});
  EXPECT_FALSE(probe.IsRunning());
}

// The first run on a new machine: the OS user does not exist yet and several clusters start at
// once (ctest -j runs test processes side by side). A user of its own, deleted at the end, lets
// the test begin without it every time.
TEST(EmbeddedClusterFirstRun, ConcurrentStartsCreateTheMissingOsUserOnce) {
  if (geteuid() != 0) GTEST_SKIP() << "only a root process creates the cluster's OS user";
  const std::string user = "dp-first-run-" + std::to_string(getpid());
  ASSERT_EQ(getpwnam(user.c_str()), nullptr);
  char tmpl[] = "/tmp/dataplane-first-run-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string root = tmpl;
  struct Cleanup {
    std::string user, root;
    ~Cleanup() {
      (void)RunCommand({FindProgram("userdel"), user}, "/");
      std::error_code ec;
      fs::remove_all(root, ec);
    }
  } cleanup{user, root};

  constexpr int kClusters = 4;
  std::vector<std::unique_ptr<EmbeddedCluster>> clusters;
  std::vector<std::string> errors(kClusters);
  for (int i = 0; i < kClusters; ++i) {
    clusters.push_back(std::make_unique<EmbeddedCluster>(ClusterOptions{
        .dir = root + "/c" + std::to_string(i), .os_user = user, .throwaway = true}));
  }
  std::vector<std::thread> starters;
  for (int i = 0; i < kClusters; ++i) {
    starters.emplace_back([&, i] {
      core::Status s = clusters[i]->Start();
      if (!s.ok()) errors[i] = s.error().message;
    });
  }
  for (auto& t : starters) t.join();
  for (int i = 0; i < kClusters; ++i) {
    EXPECT_EQ(errors[i], "") << "cluster " << i;
    EXPECT_EQ(Query(clusters[i]->Url(), "SELECT 1"), "1") << "cluster " << i;
  }
  std::ifstream passwd_file("/etc/passwd");
  int entries = 0;
  for (std::string line; std::getline(passwd_file, line);)
    entries += line.rfind(user + ":", 0) == 0;
  EXPECT_EQ(entries, 1) << "the user was created once";
  struct stat st {};
  ASSERT_EQ(stat((root + "/c0/data").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, getpwnam(user.c_str())->pw_uid);
  clusters.clear();  // stops the servers before the user goes
}

}  // namespace
}  // namespace dataplane::pg
