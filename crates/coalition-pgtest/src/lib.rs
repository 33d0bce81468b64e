//! A throwaway PostgreSQL server for tests and the durability harness.
//!
//! [`Cluster::start`] runs `initdb` and `postgres` from Debian's packages
//! (`/usr/lib/postgresql/<version>/bin`, or `COALITION_POSTGRES_BIN`) in a temporary directory,
//! listening on a free loopback port with trust authentication, as the `postgres` user (or
//! `nobody`) when the caller is root, since PostgreSQL refuses to run as root. The server is the
//! child process itself, so a harness can SIGKILL the postmaster and start it again on the same
//! data. Dropping the cluster stops the server and removes the directory.
//!
//! [`Cluster::for_test`] is what a test calls: `None` (after printing that the test is skipped)
//! where PostgreSQL is not installed, and a panic instead where `REQUIRE_POSTGRES=1`, as in CI.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The role the tests connect as (made by `initdb -U`).
pub const USER: &str = "coalition";

/// A PostgreSQL server of our own, in a temporary directory.
pub struct Cluster {
    bin: PathBuf,
    root: tempfile::TempDir,
    port: u16,
    /// The uid and gid the server runs as, when we are root.
    owner: Option<(u32, u32)>,
    server: Option<Child>,
}

/// The directory holding `initdb` and `postgres`, if PostgreSQL is installed.
pub fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COALITION_POSTGRES_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").is_file().then_some(dir);
    }
    let mut versions: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("postgres").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// Whether PostgreSQL must be there (CI sets `REQUIRE_POSTGRES=1`).
pub fn required() -> bool {
    std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

impl Cluster {
    /// A cluster for the test `test`, or `None` where PostgreSQL is not installed (said on
    /// stderr). Panics where it is required, or installed but does not start.
    pub fn for_test(test: &str) -> Option<Cluster> {
        if bin_dir().is_none() {
            assert!(
                !required(),
                "{test}: REQUIRE_POSTGRES=1 but PostgreSQL is not installed \
                 (apt-get install postgresql-15, or set COALITION_POSTGRES_BIN)"
            );
            skip(&format!(
                "{test}: PostgreSQL is not installed (apt-get install postgresql-15, or set \
                 COALITION_POSTGRES_BIN to its bin directory); the PostgreSQL tests did not run"
            ));
            return None;
        }
        match Cluster::start() {
            Ok(cluster) => Some(cluster),
            Err(err) => panic!("{test}: PostgreSQL is installed but does not start: {err}"),
        }
    }

    /// Initialises and starts a new cluster.
    pub fn start() -> Result<Cluster, String> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed")?;
        let root = tempfile::Builder::new()
            .prefix("coalition-pg-")
            .tempdir()
            .map_err(|e| format!("temporary directory: {e}"))?;
        let owner = if is_root() {
            Some(unprivileged()?)
        } else {
            None
        };
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(root.path(), Some(uid), Some(gid))
                .map_err(|e| format!("chown {}: {e}", root.path().display()))?;
        }
        let mut cluster = Cluster {
            bin,
            root,
            port: free_port()?,
            owner,
            server: None,
        };
        let init = cluster
            .command("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args(["-U", USER, "-A", "trust", "-E", "UTF8", "--no-instructions"])
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !init.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&init.stderr)
            ));
        }
        cluster.run()?;
        Ok(cluster)
    }

    /// The URL of database `database` on this server.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""))?;
        Ok(self.url(name))
    }

    /// Runs one SQL command through `psql` (for a test's setup, e.g. `ALTER SYSTEM`).
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .arg(self.url(database))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(format!(
                "psql {sql:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// The postmaster's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.server.as_ref().map(Child::id)
    }

    /// SIGKILLs the postmaster (its backends notice and exit), as a crash of the server would.
    pub fn kill(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// Starts the server again on the same data and port, after [`Cluster::kill`] or
    /// [`Cluster::stop`]: it recovers from its WAL first. Waits while the last server's
    /// backends still hold its shared memory.
    pub fn restart(&mut self) -> Result<(), String> {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.run() {
                Ok(()) => return Ok(()),
                Err(err) if Instant::now() > deadline => return Err(err),
                Err(_) => sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Stops the server cleanly (a fast shutdown: sessions are ended, the WAL is flushed).
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = Command::new("kill")
                .args(["-INT", &server.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = server.try_wait() {
                    return;
                }
                sleep(Duration::from_millis(50));
            }
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        fs::read_to_string(self.root.path().join("server.log")).unwrap_or_default()
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// `name` from the bin directory, as the unprivileged owner when we are root.
    fn command(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        if let Some((uid, gid)) = self.owner {
            command.uid(uid).gid(gid);
        }
        command.current_dir(self.root.path());
        command
    }

    /// Spawns the postmaster and waits until it accepts connections.
    fn run(&mut self) -> Result<(), String> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.root.path().join("server.log"))
            .map_err(|e| format!("server.log: {e}"))?;
        if let Some((uid, gid)) = self.owner {
            let _ =
                std::os::unix::fs::chown(self.root.path().join("server.log"), Some(uid), Some(gid));
        }
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let mut server = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!(
                "unix_socket_directories={}",
                self.root.path().display()
            ))
            // Durability settings are left to the configuration (their defaults are safe), so
            // that a test can change them with ALTER SYSTEM and see the store refuse.
            .args(["-c", "max_connections=200"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("postgres: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.try_wait() {
                return Err(format!("postgres exited with {status}: {}", self.tail()));
            }
            let ready = self
                .command("pg_isready")
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                self.server = Some(server);
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = server.kill();
                let _ = server.wait();
                return Err(format!(
                    "postgres did not accept connections: {}",
                    self.tail()
                ));
            }
            sleep(Duration::from_millis(100));
        }
    }

    fn tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Says on stderr that a test was skipped, past the test harness's capture (which hides what
/// a passing test printed), so that `cargo test` shows it.
pub fn skip(why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIP: {why}");
}

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The `postgres` user's uid and gid (Debian's package makes it), else `nobody`'s.
fn unprivileged() -> Result<(u32, u32), String> {
    let passwd = fs::read_to_string("/etc/passwd").map_err(|e| format!("/etc/passwd: {e}"))?;
    for name in ["postgres", "nobody"] {
        for line in passwd.lines() {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.len() > 3
                && fields[0] == name
                && let (Ok(uid), Ok(gid)) = (fields[2].parse(), fields[3].parse())
            {
                return Ok((uid, gid));
            }
        }
    }
    Err("running as root and there is no postgres or nobody user to run PostgreSQL as".into())
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("free port: {e}"))
}
