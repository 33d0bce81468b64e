//! The clap tree: every command, flag and example; nothing here reads the record (see `cmd/`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use coalition_core::classification::Level;
use coalition_core::commitment::{Category, ClockStart, Condition, Discretion, Stage, TriggerKind};
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::id::{
    CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use coalition_core::incident::IncidentKind;
use coalition_core::party::PrincipalRole;
use coalition_core::signature::PublicKey;
use coalition_core::statement::{MeetingId, StatementId};

use crate::cmd::negotiate::NegotiateCommand;

/// The system of record for multilateral security guarantees.
///
/// Every change is an event on a hash-chained log kept in an SQLite file in the data directory;
/// every read passes the classification gate (`--as P` reads as principal P, `--public` as the
/// public; without either, as the custodian of the file, who can read it anyway).
#[derive(Debug, Parser)]
#[command(name = "coalition", version, about, long_about)]
#[command(
    after_help = "Exit codes: 0 ok · 1 internal error · 2 bad input or refused by a rule · 3 verification failure\n\nStart with:  coalition demo"
)]
pub(crate) struct Cli {
    /// Where the record is kept (the SQLite file coalition.sqlite inside it).
    /// Default: the per-user data directory (e.g. ~/.local/share/coalition).
    #[arg(long, global = true, env = "COALITION_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Keep the record in this database instead of the data directory's SQLite file:
    /// `postgres://USER@HOST:PORT/DATABASE` (several nodes on one server, docs/postgres.md) or
    /// `sqlite://PATH`. Log keys stay in the data directory.
    #[arg(
        long,
        global = true,
        env = "COALITION_DATABASE_URL",
        value_name = "URL"
    )]
    pub(crate) database: Option<String>,
    /// Work through this server's API (`http://HOST:PORT`, as `coalition serve` prints it)
    /// instead of a data directory: the same commands, answers and exit codes, as the token's
    /// principal (no token: the public). Approvals are still signed here.
    #[arg(long, global = true, env = "COALITION_SERVER", value_name = "URL")]
    pub(crate) server: Option<String>,
    /// The bearer token presented to `--server` (`coalition token issue`); `--as` must name
    /// its principal.
    #[arg(
        long,
        global = true,
        env = "COALITION_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub(crate) token: Option<String>,
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create the `paris-2026` coalition from the bundled scenario and summarise it.
    #[command(
        after_help = "Example:\n  coalition demo\n  coalition demo --reset    # discard the demo coalition's log and start again"
    )]
    Demo(DemoArgs),
    /// Load a scenario file (docs/scenario-format.md) as a new coalition.
    #[command(after_help = "Example:\n  coalition import scenarios/paris-2026.toml")]
    Import(ImportArgs),
    /// List the coalitions in the data directory.
    #[command(after_help = "Example:\n  coalition coalitions --json")]
    Coalitions,
    /// List a coalition's parties and their seats.
    #[command(after_help = "Example:\n  coalition members paris-2026 --public")]
    Members(ReadArgs),
    /// List the principals acting for parties.
    #[command(after_help = "Example:\n  coalition principals paris-2026")]
    Principals(ReadArgs),
    /// List the instruments commitments stand on.
    #[command(after_help = "Example:\n  coalition instruments paris-2026")]
    Instruments(ReadArgs),
    /// Record signatures, ratifications, extensions and terminations of instruments.
    #[command(subcommand)]
    Instrument(InstrumentCommand),
    /// List commitments.
    #[command(
        after_help = "Example:\n  coalition commitments paris-2026 --guarantor GBR --in-force-at 2030-01-01"
    )]
    Commitments(CommitmentsArgs),
    /// Add, show or withdraw a commitment, or record support delivered under it.
    #[command(subcommand)]
    Commitment(CommitmentCommand),
    /// Support per donor and category: committed, allocated, delivered, outstanding (ended
    /// commitments apart); export it as IATI, xlsx or CSV, or import a table. See
    /// docs/formats.md.
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "Examples:\n  coalition support paris-2026 --guarantor GBR\n  coalition support paris-2026 --csv --public\n  coalition support export paris-2026 --format iati --out paris.iati.xml\n  coalition support import paris-2026 --format csv --from support.csv --as starmer"
    )]
    Support(SupportArgs),
    /// List incidents.
    #[command(after_help = "Example:\n  coalition incidents paris-2026")]
    Incidents(ReadArgs),
    /// Report, confirm, reject or provisionally trigger an incident.
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Requests for consultations by the protected state.
    #[command(subcommand)]
    Consultations(ConsultationsCommand),
    /// Record that a ceasefire entered into force (or ended).
    #[command(
        after_help = "Example:\n  coalition ceasefire paris-2026 --in-force-from 2026-03-01T00:00:00Z --as secretariat"
    )]
    Ceasefire(CeasefireArgs),
    /// List obligations, with their deadlines and status.
    #[command(
        after_help = "Examples:\n  coalition obligations paris-2026 --overdue --at 2026-12-01T00:00:00Z\n  coalition obligations paris-2026 --format ics --out deadlines.ics --as starmer"
    )]
    Obligations(ObligationsArgs),
    /// Report an obligation fulfilled, waive it, or dispute it.
    #[command(subcommand)]
    Obligation(ObligationCommand),
    /// What the protected state can count on, year by year, and where the gaps are.
    #[command(
        after_help = "Example:\n  coalition coverage paris-2026 --years 20\n  coalition coverage paris-2026 --assume-ceasefire 2026-06-01"
    )]
    Coverage(CoverageArgs),
    /// Show or verify the tamper-evident log.
    #[command(subcommand)]
    Log(LogCommand),
    /// Generate signing keys (kept on the signer's machine).
    #[command(subcommand)]
    Key(KeyCommand),
    /// Register principals and rotate their signing keys.
    #[command(subcommand)]
    Principal(PrincipalCommand),
    /// List statements with their status and latest version.
    #[command(after_help = "Example:\n  coalition statements paris-2026")]
    Statements(ReadArgs),
    /// Draft, revise, show, compare, approve (signed) and track statements (the draft format
    /// and the signing workflow: docs/statements.md).
    #[command(
        subcommand,
        after_help = "Draft files, keys, signing and adoption: docs/statements.md"
    )]
    Statement(StatementCommand),
    /// List meetings.
    #[command(after_help = "Example:\n  coalition meetings paris-2026")]
    Meetings(ReadArgs),
    /// Record meetings.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Compose what may be published: adopted statements' public text and public figures.
    #[command(
        after_help = "Example:\n  coalition communique paris-2026 --meeting paris-summit-2026-01-06"
    )]
    Communique(CommuniqueArgs),
    /// List the figures a communiqué could publish, with the marking their inputs give them.
    #[command(after_help = "Example:\n  coalition aggregates paris-2026 --as secretariat")]
    Aggregates(ReadArgs),
    /// Release an aggregate to the public (a recorded, trusted downgrade).
    #[command(subcommand)]
    Aggregate(AggregateCommand),
    /// Open data: everything the public may see, as JSON or CSV tables with a documented schema
    /// (docs/open-data.schema.json, docs/formats.md).
    #[command(
        after_help = "Example:\n  coalition export paris-2026 --public --format csv --out open-data/"
    )]
    Export(OpenDataArgs),
    /// Write everything the public may see as static files for any web server or CDN: the
    /// public page's data, the communiqué, open data, and the public log's signed checkpoint and
    /// hash tiles (C2SP tlog-tiles), each at the path of the API route that serves the same bytes.
    #[command(
        after_help = "Example:\n  coalition publish paris-2026 --out site/\n  # site/api/coalitions/paris-2026/communique, …/tlog/checkpoint, …/tlog/tile/0/000.p/157"
    )]
    Publish(PublishArgs),
    /// Analyse a negotiation: outcome space, frontier, bargaining solutions, forecasts.
    #[command(subcommand)]
    Negotiate(NegotiateCommand),
    /// What would happen if …: decided on a copy of the record, nothing written.
    Whatif(WhatIfArgs),
    /// Rehearse on an exercise coalition forked from a real one, at a simulated clock.
    #[command(subcommand)]
    Exercise(ExerciseCommand),
    /// Copy every log of a record to another store (SQLite to PostgreSQL, or back), verify
    /// each copy (chain, entries, Merkle root) and say what was copied. Safe to run again: an
    /// interrupted copy is continued; a target holding anything else is refused.
    #[command(
        after_help = "Example:\n  coalition migrate --from sqlite://$HOME/.local/share/coalition/coalition.sqlite --to postgres://coalition@db.internal/coalition"
    )]
    Migrate(MigrateArgs),
    /// Serve the HTTP JSON API over the data directory (docs/api.md). Logs go to stderr
    /// (RUST_LOG); SIGTERM or ctrl-c stops it after the requests under way.
    #[command(
        after_help = "Example:\n  coalition serve --demo\n  coalition serve --addr 0.0.0.0:8080 --data-dir /srv/coalition --read-only"
    )]
    Serve(ServeArgs),
    /// Issue, list and revoke the API's bearer tokens (only their SHA-256 is kept).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Witnesses: the policy of who must cosign checkpoints (`policy`), and a witness of one's
    /// own (`serve`, `status`) that cosigns only checkpoints consistent with what it saw.
    #[command(subcommand)]
    Witness(WitnessCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WitnessCommand {
    /// Show, approve or set the coalition's witness policy (part of the record).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Make a witness: a fresh cosigning key under NAME in the state directory; prints its
    /// verifier key, for the coalition's witness policy.
    #[command(
        after_help = "Example:\n  coalition witness init --state /srv/witness --name witness.diplomatie.gouv.fr/coalition"
    )]
    Init {
        /// The witness's state directory.
        #[arg(long, env = "COALITION_WITNESS_DIR")]
        state: PathBuf,
        /// Its key name (a schema-less URL that identifies it).
        #[arg(long)]
        name: String,
    },
    /// Run the witness (C2SP tlog-witness): `POST /add-checkpoint` cosigns a checkpoint of a
    /// log it witnesses only if the log signed it and it extends the one it holds; state is
    /// fsynced before it answers. SIGTERM or ctrl-c stops it.
    #[command(
        after_help = "Example:\n  coalition witness serve --log paris-2026 --log-key 'coalition/paris-2026+8a1f03c2+AQ…' --addr 0.0.0.0:7380 --state /srv/witness"
    )]
    Serve(WitnessServeArgs),
    /// What the witness holds: its key, per log the checkpoint it last cosigned, and the
    /// evidence of inconsistencies it was shown.
    #[command(after_help = "Example:\n  coalition witness status --state /srv/witness --json")]
    Status {
        /// The witness's state directory.
        #[arg(long, env = "COALITION_WITNESS_DIR")]
        state: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(crate) struct WitnessServeArgs {
    /// A log to witness: its id (`paris-2026`, or an audience log `paris-2026.AUDIENCE.public`);
    /// repeat with one `--log-key` each.
    #[arg(long = "log", value_name = "LOG", required = true)]
    pub(crate) logs: Vec<String>,
    /// The log's verifier key (`coalition/<log>+<key ID>+<base64>`, a bundle's `log_key`).
    #[arg(long = "log-key", value_name = "KEY", required = true)]
    pub(crate) log_keys: Vec<String>,
    /// Where to listen (port 0: any free port; the URL is printed).
    #[arg(long, default_value = "127.0.0.1:7380", value_name = "HOST:PORT")]
    pub(crate) addr: std::net::SocketAddr,
    /// The witness's state directory (made by `witness init`).
    #[arg(long, env = "COALITION_WITNESS_DIR")]
    pub(crate) state: PathBuf,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// The witness policy in force: the witnesses (name, party, key) and the quorum.
    #[command(after_help = "Example:\n  coalition witness policy show paris-2026 --json")]
    Show(ReadArgs),
    /// Sign, with a leader's own key, the approval of a new policy (nothing is written to the
    /// record); hand the file to the secretariat for `policy set --approval`.
    #[command(
        after_help = "Example:\n  coalition witness policy approve paris-2026 --file policy.toml --key macron.pem --as macron --out macron.approval"
    )]
    Approve {
        /// The coalition.
        coalition: CoalitionId,
        /// The proposed policy (TOML: `quorum`, `[[witnesses]]` with `party` and `key`).
        #[arg(long)]
        file: PathBuf,
        /// The leader's private key file.
        #[arg(long)]
        key: PathBuf,
        /// Write the approval here (default: print it).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Put a witness policy in force (the secretariat): the first as it is; a change with
    /// approvals by leaders of a quorum of the parties that witness under the current policy.
    #[command(
        after_help = "Example:\n  coalition witness policy set paris-2026 --file policy.toml --as secretariat\n  coalition witness policy set paris-2026 --file new.toml --approval macron.approval --approval tusk.approval --as secretariat\n\npolicy.toml:\n  quorum = 2\n  [[witnesses]]\n  party = \"FRA\"\n  key = \"witness.fr/coalition+1a2b3c4d+BASE64\"   # as `coalition witness status` prints it"
    )]
    Set {
        /// The coalition.
        coalition: CoalitionId,
        /// The policy (TOML: `quorum`, `[[witnesses]]` with `party` and `key`).
        #[arg(long)]
        file: PathBuf,
        /// An approval file from `policy approve` (repeat for each).
        #[arg(long = "approval", value_name = "FILE")]
        approvals: Vec<PathBuf>,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Where to listen (port 0: any free port; the URL is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub(crate) addr: std::net::SocketAddr,
    /// Refuse every write: a replica that must not write.
    #[arg(long)]
    pub(crate) read_only: bool,
    /// Serve the Paris demo from a fresh temporary data directory (removed on exit), and print
    /// one token per demo principal.
    #[arg(long, conflicts_with = "read_only")]
    pub(crate) demo: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Issue a token acting and reading as PRINCIPAL; it is printed once and kept nowhere.
    #[command(
        after_help = "Example:\n  coalition token issue paris-2026 macron --expires 30d --label \"Élysée scripts\""
    )]
    Issue {
        /// The coalition.
        coalition: CoalitionId,
        /// The principal the token acts and reads as.
        principal: PrincipalId,
        /// How long it is valid (`30d`, `12h`; default: until revoked).
        #[arg(long, value_name = "SPAN")]
        expires: Option<Span>,
        /// A note on what it is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// The coalition's tokens: ids, principals, labels, expiry and last use — never a token.
    #[command(after_help = "Example:\n  coalition token list paris-2026")]
    List {
        /// The coalition.
        coalition: CoalitionId,
    },
    /// Revoke a token: it is refused from its next use on.
    #[command(after_help = "Example:\n  coalition token revoke paris-2026 TOK-1a2b3c4d")]
    Revoke {
        /// The coalition.
        coalition: CoalitionId,
        /// The token's id (`token list`).
        id: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// The record to copy: `sqlite://PATH` or `postgres://…` (read only, never changed).
    #[arg(long, value_name = "URL")]
    pub(crate) from: String,
    /// Where to copy it: `postgres://…` or `sqlite://PATH` (created if missing).
    #[arg(long, value_name = "URL")]
    pub(crate) to: String,
}

#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The directory written (created if missing; files already there are replaced).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Discard the demo coalition's existing log (and the checkpoint this machine kept for it).
    #[arg(long)]
    pub(crate) reset: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The scenario file.
    pub(crate) file: PathBuf,
}

/// Who reads.
#[derive(Debug, Args, Clone)]
pub(crate) struct WhoArgs {
    /// Read as this principal (their clearance and releasability apply).
    #[arg(long = "as", value_name = "PRINCIPAL", conflicts_with = "public")]
    pub(crate) viewer: Option<PrincipalId>,
    /// Read as the public: PUBLIC items only.
    #[arg(long)]
    pub(crate) public: bool,
}

/// Who reads, and at which times.
#[derive(Debug, Args, Clone)]
pub(crate) struct ViewArgs {
    #[command(flatten)]
    pub(crate) who: WhoArgs,
    /// As the record stood at this time: only what had been recorded by then.
    #[arg(long, value_name = "TIME")]
    pub(crate) as_of: Option<Timestamp>,
    /// As the world stood at this time: only the facts that held by then (what had happened,
    /// whenever it was recorded); statuses and deadlines at then. With --as-of: what the record
    /// said at --as-of about the world at --at. See docs/time.md.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<Timestamp>,
}

#[derive(Debug, Args)]
pub(crate) struct ReadArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

/// The principal acting.
#[derive(Debug, Args, Clone)]
pub(crate) struct ActArgs {
    /// The principal acting (must be registered in the coalition).
    #[arg(long = "as", value_name = "PRINCIPAL")]
    pub(crate) actor: PrincipalId,
}

#[derive(Debug, Args)]
pub(crate) struct CommitmentsArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// Only this guarantor's commitments.
    #[arg(long)]
    pub(crate) guarantor: Option<PartyCode>,
    /// Only this category.
    #[arg(long)]
    pub(crate) category: Option<Category>,
    /// Only those in force at this time (the world as it stood then, as with --at).
    #[arg(long, value_name = "TIME", conflicts_with = "at")]
    pub(crate) in_force_at: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CommitmentCommand {
    /// Record a commitment; prints its id.
    #[command(
        after_help = "Example:\n  coalition commitment add paris-2026 --guarantor FRA --protected UKR --category military \\\n    --what \"air-defence batteries\" --quantity 4 --unit batteries --aggressor RUS --kind armed-attack \\\n    --consult-within 24h --deliver-within 30d --clock-from verification --discretion automatic \\\n    --from 2026-01-06 --until 2041-01-05 --classification SECRET --releasable-to FRA,GBR,UKR --as macron"
    )]
    Add(Box<CommitmentAddArgs>),
    /// Show one commitment.
    #[command(after_help = "Example:\n  coalition commitment show paris-2026 gbr-2024-consult")]
    Show {
        /// The coalition.
        coalition: CoalitionId,
        /// The commitment.
        id: CommitmentId,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Withdraw a commitment (the guarantor or the secretariat).
    #[command(
        after_help = "Example:\n  coalition commitment withdraw paris-2026 fra-2024-consult --reason \"superseded by the Paris guarantee\" --as macron"
    )]
    Withdraw {
        /// The coalition.
        coalition: CoalitionId,
        /// The commitment.
        id: CommitmentId,
        /// Why it is withdrawn (kept in the record and shown with the commitment).
        #[arg(long)]
        reason: String,
        /// When it was withdrawn (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Record the cumulative quantity that reached a stage (allocated, delivered).
    #[command(
        after_help = "Example:\n  coalition commitment support paris-2026 fra-2024-financial --stage delivered --quantity 1200 --as secretariat"
    )]
    Support {
        /// The coalition.
        coalition: CoalitionId,
        /// The commitment.
        id: CommitmentId,
        /// The stage reached.
        #[arg(long)]
        stage: Stage,
        /// How many units have reached it so far.
        #[arg(long)]
        quantity: u64,
        /// When (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct CommitmentAddArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The party that commits.
    #[arg(long)]
    pub(crate) guarantor: PartyCode,
    /// The party protected (default: the coalition's protected state).
    #[arg(long)]
    pub(crate) protected: Option<PartyCode>,
    /// The kind of support (military-capabilities, intelligence, logistical-support,
    /// diplomatic-initiatives, sanctions, financial, training …; short forms such as `military`).
    #[arg(long)]
    pub(crate) category: Category,
    /// What exactly, in words.
    #[arg(long)]
    pub(crate) what: String,
    /// How many units (a whole number).
    #[arg(long, requires = "unit")]
    pub(crate) quantity: Option<u64>,
    /// The unit of the quantity.
    #[arg(long, requires = "quantity")]
    pub(crate) unit: Option<String>,
    /// The stage the quantity has reached.
    #[arg(long, default_value = "committed")]
    pub(crate) stage: Stage,
    /// The state whose attack sets it off.
    #[arg(long)]
    pub(crate) aggressor: PartyCode,
    /// What sets it off.
    #[arg(long, default_value = "armed-attack")]
    pub(crate) kind: TriggerKind,
    /// A stated scope for the trigger, in words (shown, not evaluated).
    #[arg(long, default_value = "")]
    pub(crate) scope: String,
    /// A condition of the scope the rules evaluate (repeatable): nuclear-weapons-used.
    #[arg(long, value_name = "CONDITION")]
    pub(crate) requires: Vec<Condition>,
    /// Consult within this long (24h, 2d …).
    #[arg(long, value_name = "SPAN")]
    pub(crate) consult_within: Option<Span>,
    /// Deliver within this long.
    #[arg(long, value_name = "SPAN")]
    pub(crate) deliver_within: Option<Span>,
    /// Further responses as KIND or KIND=SPAN (a bare KIND has no deadline: "swiftly").
    /// Kinds: consult, deliver, deploy, sanction, share-intelligence, diplomatic.
    #[arg(long = "response", value_name = "KIND[=SPAN]")]
    pub(crate) responses: Vec<String>,
    /// Where the response clocks start.
    #[arg(long, default_value = "verification")]
    pub(crate) clock_from: ClockStart,
    /// How much choice the guarantor keeps.
    #[arg(long, default_value = "as-deemed-necessary")]
    pub(crate) discretion: Discretion,
    /// The instrument it stands on (its activation condition and ratification then apply).
    #[arg(long)]
    pub(crate) instrument: Option<InstrumentId>,
    /// First day in force.
    #[arg(long, value_name = "DAY")]
    pub(crate) from: Option<Day>,
    /// Last day in force (inclusive).
    #[arg(long, value_name = "DAY")]
    pub(crate) until: Option<Day>,
    /// Classification level (default UNCLASSIFIED, which is not public).
    #[arg(long, value_name = "LEVEL")]
    pub(crate) classification: Option<Level>,
    /// The originating party (default: the guarantor).
    #[arg(long)]
    pub(crate) originator: Option<PartyCode>,
    /// Releasable only to these parties (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PARTIES")]
    pub(crate) releasable_to: Option<Vec<PartyCode>>,
    /// When it was made (default: when its guarantor signed its instrument, if recorded;
    /// else a pledge's first day once it has come; else now).
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum IncidentCommand {
    /// Report an incident; prints its id.
    #[command(
        after_help = "Example:\n  coalition incident report paris-2026 --aggressor RUS --target UKR --kind armed-attack \\\n    --at 2026-11-20T03:40:00Z --location \"Kharkiv oblast\" --as zelenskyy"
    )]
    Report(Box<IncidentReportArgs>),
    /// Confirm an incident towards verification (monitor, secretariat, or a member).
    #[command(
        after_help = "Example:\n  coalition incident confirm paris-2026 INC-NFHLRKGQ --as monitor"
    )]
    Confirm {
        /// The coalition.
        coalition: CoalitionId,
        /// The incident.
        id: IncidentId,
        /// When the confirmation was given (default: now); a verification it completes takes effect then. See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Reject an incident (monitor or secretariat).
    #[command(
        after_help = "Example:\n  coalition incident reject paris-2026 INC-NFHLRKGQ --reason \"not attributable\" --as monitor"
    )]
    Reject {
        /// The coalition.
        coalition: CoalitionId,
        /// The incident.
        id: IncidentId,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
        /// When it was rejected (default: now). See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Start consultations before attribution is final (the secretariat).
    #[command(
        after_help = "Example:\n  coalition incident trigger paris-2026 INC-NFHLRKGQ --as secretariat"
    )]
    Trigger {
        /// The coalition.
        coalition: CoalitionId,
        /// The incident.
        id: IncidentId,
        /// When consultations were started (default: now). See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Record that a report duplicates another (the secretariat): its confirmations count
    /// towards the original's, its obligations are cancelled, the history says so.
    #[command(
        after_help = "Example:\n  coalition incident merge paris-2026 INC-D5WQ3ZKA --into INC-NFHLRKGQ --as secretariat"
    )]
    Merge {
        /// The coalition.
        coalition: CoalitionId,
        /// The duplicate report.
        duplicate: IncidentId,
        /// The original it duplicates.
        #[arg(long)]
        into: IncidentId,
        /// When it was found to be a duplicate (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Confirm a correction of a verified incident's attribution or time; it is made when the
    /// confirmations meet the rule that verified the incident, and the deadlines follow.
    #[command(
        after_help = "Example:\n  coalition incident correct paris-2026 INC-NFHLRKGQ --occurred-at 2026-11-20T02:10:00Z --as monitor"
    )]
    Correct {
        /// The coalition.
        coalition: CoalitionId,
        /// The incident.
        id: IncidentId,
        /// The aggressor it is attributed to instead.
        #[arg(long)]
        aggressor: Option<PartyCode>,
        /// When it occurred instead.
        #[arg(long, value_name = "TIME")]
        occurred_at: Option<Timestamp>,
        /// When the confirmation was given (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Show one incident with its confirmations and obligations.
    #[command(after_help = "Example:\n  coalition incident show paris-2026 INC-NFHLRKGQ")]
    Show {
        /// The coalition.
        coalition: CoalitionId,
        /// The incident.
        id: IncidentId,
        #[command(flatten)]
        view: ViewArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct IncidentReportArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The state alleged to have attacked.
    #[arg(long)]
    pub(crate) aggressor: PartyCode,
    /// The state attacked.
    #[arg(long)]
    pub(crate) target: PartyCode,
    /// What happened.
    #[arg(long, default_value = "armed-attack")]
    pub(crate) kind: IncidentKind,
    /// When it happened.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Timestamp,
    /// When it was reported to the coalition (default: now); not before it happened.
    #[arg(long, value_name = "TIME")]
    pub(crate) reported_at: Option<Timestamp>,
    /// Where.
    #[arg(long, default_value = "")]
    pub(crate) location: String,
    /// What happened, in words.
    #[arg(long, default_value = "")]
    pub(crate) description: String,
    /// References to evidence (repeatable).
    #[arg(long)]
    pub(crate) evidence: Vec<String>,
    /// Nuclear weapons were used (a condition some assurances state).
    #[arg(long)]
    pub(crate) nuclear_weapons_used: bool,
    /// Classification level (default UNCLASSIFIED).
    #[arg(long, value_name = "LEVEL")]
    pub(crate) classification: Option<Level>,
    /// Releasable only to these parties (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PARTIES")]
    pub(crate) releasable_to: Option<Vec<PartyCode>>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConsultationsCommand {
    /// Record the protected state's request for consultations (starts request clocks).
    #[command(
        after_help = "Example:\n  coalition consultations request paris-2026 --by UKR --with GBR,USA --at 2026-11-20T06:00:00Z --as zelenskyy"
    )]
    Request {
        /// The coalition.
        coalition: CoalitionId,
        /// The protected state asking.
        #[arg(long)]
        by: PartyCode,
        /// The guarantors asked (comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        with: Vec<PartyCode>,
        /// When the request was made.
        #[arg(long, value_name = "TIME")]
        at: Timestamp,
        /// Classification level (default UNCLASSIFIED).
        #[arg(long, value_name = "LEVEL")]
        classification: Option<Level>,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct CeasefireWhen {
    /// When the ceasefire entered into force.
    #[arg(long, value_name = "TIME")]
    pub(crate) in_force_from: Option<Timestamp>,
    /// When the ceasefire in force ended.
    #[arg(long, value_name = "TIME")]
    pub(crate) ended_at: Option<Timestamp>,
}

#[derive(Debug, Args)]
pub(crate) struct CeasefireArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    #[command(flatten)]
    pub(crate) when: CeasefireWhen,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum InstrumentCommand {
    /// Record a party's signature.
    #[command(
        after_help = "Example:\n  coalition instrument sign paris-2026 paris-declaration --party POL --at 2026-01-06 --as secretariat"
    )]
    Sign(InstrumentPartyArgs),
    /// Record a party's ratification (or, with --rejected, its parliament's rejection).
    #[command(
        after_help = "Example:\n  coalition instrument ratify paris-2026 paris-declaration --party FRA --at 2026-04-01 --as secretariat"
    )]
    Ratify {
        #[command(flatten)]
        target: InstrumentPartyArgs,
        /// The parliament rejected it.
        #[arg(long)]
        rejected: bool,
    },
    /// Extend an extendable term by some years.
    #[command(
        after_help = "Example:\n  coalition instrument extend paris-2026 usa-guarantee --years 5 --as secretariat"
    )]
    Extend {
        /// The coalition.
        coalition: CoalitionId,
        /// The instrument.
        id: InstrumentId,
        /// Years to add.
        #[arg(long)]
        years: u16,
        /// When the extension was agreed (default: now). See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Record that a termination condition was met (e.g. protected-state-joins-nato).
    #[command(
        after_help = "Example:\n  coalition instrument terminate paris-2026 gbr-ukr-2024 --condition protected-state-joins-nato --at 2030-07-01 --as secretariat"
    )]
    Terminate {
        /// The coalition.
        coalition: CoalitionId,
        /// The instrument.
        id: InstrumentId,
        /// The condition met.
        #[arg(long)]
        condition: String,
        /// When.
        #[arg(long, value_name = "TIME")]
        at: Timestamp,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct InstrumentPartyArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The instrument.
    pub(crate) id: InstrumentId,
    /// The party.
    #[arg(long)]
    pub(crate) party: PartyCode,
    /// When.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Timestamp,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SupportArgs {
    #[command(subcommand)]
    pub(crate) command: Option<SupportCommand>,
    /// The coalition.
    #[arg(required = true)]
    pub(crate) coalition: Option<CoalitionId>,
    #[command(flatten)]
    pub(crate) filter: SupportFilterArgs,
    /// The rows as CSV (the table `support export --format csv` writes) instead of totals.
    #[arg(long)]
    pub(crate) csv: bool,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

/// Which commitments' support is shown.
#[derive(Debug, Args, Clone)]
pub(crate) struct SupportFilterArgs {
    /// Only this donor's (guarantor's).
    #[arg(long)]
    pub(crate) guarantor: Option<PartyCode>,
    /// Only this category.
    #[arg(long)]
    pub(crate) category: Option<Category>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SupportCommand {
    /// Write the support the reader may read for other tools: an IATI 2.03 activity file (PUBLIC
    /// commitments only), or a Kiel-Tracker-style table (xlsx with a README sheet, or CSV).
    #[command(
        after_help = "Examples:\n  coalition support export paris-2026 --format iati --out paris.iati.xml\n  coalition support export paris-2026 --format xlsx --out support.xlsx --as starmer"
    )]
    Export {
        /// The coalition.
        coalition: CoalitionId,
        /// The format.
        #[arg(long, value_enum)]
        format: SupportFormat,
        /// The file written.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        filter: SupportFilterArgs,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Record the allocations and deliveries a support table (CSV) states, in one batch: a row
    /// whose allocated or delivered differs from the record's is recorded; any error writes
    /// nothing.
    #[command(
        after_help = "Example:\n  coalition support import paris-2026 --format csv --from support.csv --as starmer"
    )]
    Import {
        /// The coalition.
        coalition: CoalitionId,
        /// The format (the CSV table `support export --format csv` writes).
        #[arg(long, value_enum)]
        format: SupportImportFormat,
        /// The table.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[command(flatten)]
        act: ActArgs,
    },
}

/// The formats support is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SupportFormat {
    /// An IATI 2.03 activity file (PUBLIC commitments only).
    Iati,
    /// An xlsx workbook: the table and a README sheet.
    Xlsx,
    /// The table as CSV.
    Csv,
}

/// The formats a support table is imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SupportImportFormat {
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ObligationsArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// Only those an incident opened.
    #[arg(long)]
    pub(crate) incident: Option<IncidentId>,
    /// Only overdue obligations.
    #[arg(long)]
    pub(crate) overdue: bool,
    /// Write a format for other tools instead of the table: `ics`, an iCalendar feed of the
    /// open obligations' deadlines (see docs/formats.md).
    #[arg(long, value_enum)]
    pub(crate) format: Option<ObligationFormat>,
    /// With --format: the file written (default: standard output).
    #[arg(long, value_name = "FILE", requires = "format")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

#[derive(Debug, Args)]
pub(crate) struct OpenDataArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// JSON (an array of objects per table) or CSV (a file per table).
    #[arg(long, value_enum)]
    pub(crate) format: OpenDataFormat,
    /// The directory the files are written to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

/// The open-data layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OpenDataFormat {
    /// `<table>.json`.
    Json,
    /// `<table>.csv`.
    Csv,
}

/// The formats obligations are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ObligationFormat {
    /// iCalendar (RFC 5545): one event per open deadline, with an alarm.
    Ics,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ObligationCommand {
    /// Report an obligation fulfilled (the guarantor or the secretariat).
    #[command(
        after_help = "Example:\n  coalition obligation fulfil paris-2026 OB-EWIXU6OK --report \"consultations held in London\" --as starmer"
    )]
    Fulfil(ObligationActArgs),
    /// Waive an obligation (the protected state).
    #[command(
        after_help = "Example:\n  coalition obligation waive paris-2026 OB-SBMX2DJY --report \"not needed\" --as zelenskyy"
    )]
    Waive(ObligationActArgs),
    /// Dispute an obligation (protected state, guarantor or secretariat).
    #[command(
        after_help = "Example:\n  coalition obligation dispute paris-2026 OB-XSXWBBCS --report \"delivery incomplete\" --as zelenskyy"
    )]
    Dispute(ObligationActArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ObligationActArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The obligation.
    pub(crate) id: ObligationId,
    /// The report, note or reason.
    #[arg(long, default_value = "")]
    pub(crate) report: String,
    /// When (default: now).
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CoverageArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The protected state (default: the coalition's).
    #[arg(long)]
    pub(crate) protected: Option<PartyCode>,
    /// How many years the timeline runs.
    #[arg(long, default_value_t = 20)]
    pub(crate) years: u16,
    /// What if a ceasefire entered into force then (only when none has).
    #[arg(long, value_name = "TIME")]
    pub(crate) assume_ceasefire: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) view: ViewArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LogCommand {
    /// Print the log, event by event: the custodian's master log, or the log the reader may
    /// read (`--as P`, `--public`), which holds nothing of what it may not.
    #[command(after_help = "Example:\n  coalition log show paris-2026 --public")]
    Show(ReadArgs),
    /// Verify a coalition's log in the data directory, or a bundle offline; exit 3 naming the
    /// first failure. Checks the chain, every approval signature, and consistency with the last
    /// checkpoint this machine verified (kept in COALITION_TRUST_DIR).
    #[command(
        after_help = "Examples:\n  coalition log verify paris-2026\n  coalition log verify --bundle paris.bundle --since-checkpoint old.checkpoint"
    )]
    Verify(VerifyArgs),
    /// Sign and print a checkpoint of the whole log (C2SP checkpoint format); with a witness
    /// policy, ask its witnesses for cosignatures (all at once, each within --witness-timeout)
    /// and add those brought by hand (--cosign-from); says on stderr who cosigned.
    #[command(
        after_help = "Examples:\n  coalition log checkpoint paris-2026 --out paris.checkpoint\n  coalition log checkpoint paris-2026 --cosign-from warsaw-airgap.cosig"
    )]
    Checkpoint {
        /// The coalition.
        coalition: CoalitionId,
        /// Also write it to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Cosignature lines brought by hand (a witness's answer, or a cosigned note); repeat.
        #[arg(long = "cosign-from", value_name = "FILE")]
        cosign_from: Vec<PathBuf>,
        /// How long to wait for each witness, in seconds.
        #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
        witness_timeout: f64,
        /// Whose log: `--public` (publishable by anyone), `--as P` (the log P may read),
        /// or, without either, the master log (the custodian's).
        #[command(flatten)]
        who: WhoArgs,
    },
    /// An inclusion proof that event SEQ is in the log (RFC 9162).
    #[command(after_help = "Example:\n  coalition log prove paris-2026 42 --json")]
    Prove {
        /// The coalition.
        coalition: CoalitionId,
        /// The event's sequence number.
        seq: u64,
        /// Whose log: `--public` (publishable by anyone), `--as P` (the log P may read),
        /// or, without either, the master log (the custodian's).
        #[command(flatten)]
        who: WhoArgs,
    },
    /// A consistency proof from an earlier log size to the current one (RFC 9162).
    #[command(after_help = "Example:\n  coalition log consistency paris-2026 --old-size 100")]
    Consistency {
        /// The coalition.
        coalition: CoalitionId,
        /// The earlier size.
        #[arg(long)]
        old_size: u64,
        /// Whose log: `--public` (publishable by anyone), `--as P` (the log P may read),
        /// or, without either, the master log (the custodian's).
        #[command(flatten)]
        who: WhoArgs,
    },
    /// Write a log, its public keys and a signed checkpoint to a bundle file: `--public` for
    /// the public's log, which anyone may have and verify; `--as P` for the log P may read.
    #[command(
        after_help = "Examples:\n  coalition log export paris-2026 --public --out paris-public.bundle\n  coalition log export paris-2026 --out paris.bundle     # the master log: handle as its highest marking"
    )]
    Export {
        /// The coalition.
        coalition: CoalitionId,
        /// The bundle file to write.
        #[arg(long)]
        out: PathBuf,
        /// Whose log: `--public` (publishable by anyone), `--as P` (the log P may read),
        /// or, without either, the master log (the custodian's).
        #[command(flatten)]
        who: WhoArgs,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "source")]
pub(crate) struct VerifySource {
    /// The coalition (in the data directory).
    pub(crate) coalition: Option<CoalitionId>,
    /// A bundle file, verified with no database.
    #[arg(long)]
    pub(crate) bundle: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) source: VerifySource,
    /// An earlier signed checkpoint the log must extend.
    #[arg(long, value_name = "FILE")]
    pub(crate) since_checkpoint: Option<PathBuf>,
    /// The key that signed --since-checkpoint (default: the log's own key).
    #[arg(long, value_name = "VERIFIER-KEY", requires = "since_checkpoint")]
    pub(crate) log_key: Option<String>,
    /// Accept a checkpoint cosigned by at least N witnesses when the witness policy's quorum
    /// is not met (the report says what was accepted); 0 accepts an unwitnessed log.
    #[arg(long, value_name = "N")]
    pub(crate) min_witnesses: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Generate an ed25519 key; prints the public key. Encrypted with COALITION_KEY_PASSPHRASE.
    #[command(
        after_help = "Example:\n  COALITION_KEY_PASSPHRASE=… coalition key generate --out macron.pem"
    )]
    Generate {
        /// The private key file to create (mode 0600; never overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Store the key unencrypted (only for throwaway keys).
        #[arg(long)]
        no_passphrase: bool,
    },
    /// Print the public key of a key file.
    #[command(after_help = "Example:\n  coalition key public --key macron.pem")]
    Public {
        /// The private key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Sign the 32 bytes a statement page (or `…/to-sign`) shows, here on your machine; prints
    /// the signature (base64) to paste into the page. The key never leaves this machine.
    #[command(
        after_help = "Example:\n  coalition key sign --key macron.pem --message 5855948af56cba5bb3b7a2fafd90c6b3893d4b0e807f393cbaa5a8c0c9776b9c"
    )]
    Sign {
        /// The private key file (COALITION_KEY_PASSPHRASE decrypts it).
        #[arg(long)]
        key: PathBuf,
        /// The bytes to sign, as 64 hex digits.
        #[arg(long)]
        message: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PrincipalCommand {
    /// Register a principal acting for a party (the secretariat).
    #[command(
        after_help = "Example:\n  coalition principal add paris-2026 costa --name \"António Costa\" --party EU --role leader \\\n    --clearance SECRET --public-key BASE64 --as secretariat"
    )]
    Add(Box<PrincipalAddArgs>),
    /// Register a new signing key for a principal (rotation; the secretariat).
    #[command(
        after_help = "Example:\n  coalition principal rotate-key paris-2026 macron --public-key BASE64 --as secretariat"
    )]
    RotateKey {
        /// The coalition.
        coalition: CoalitionId,
        /// The principal.
        id: PrincipalId,
        /// The new public key (base64), as `key generate` prints it.
        #[arg(long)]
        public_key: PublicKey,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct PrincipalAddArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The new principal's id.
    pub(crate) id: PrincipalId,
    /// The person's or office's name.
    #[arg(long)]
    pub(crate) name: String,
    /// The party it acts for.
    #[arg(long)]
    pub(crate) party: PartyCode,
    /// Its role.
    #[arg(long)]
    pub(crate) role: PrincipalRole,
    /// Its clearance.
    #[arg(long)]
    pub(crate) clearance: Level,
    /// Its signing key (base64), as `key generate` prints it.
    #[arg(long)]
    pub(crate) public_key: Option<PublicKey>,
    /// How widely the principal's record may be shown (default UNCLASSIFIED).
    #[arg(long, value_name = "LEVEL")]
    pub(crate) classification: Option<Level>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum StatementCommand {
    /// Table a draft (version 1) from a Markdown or TOML file of marked paragraphs.
    #[command(
        after_help = "Example:\n  coalition statement draft paris-2026 --id greenland --title \"Joint statement on Greenland\" \\\n    --signatories FRA,DEU,ITA,POL,ESP,GBR,DNK --from greenland.md --as secretariat\n\nThe draft file: one paragraph per blank-line-separated block, each starting with its\nportion marking, e.g. \"(PUBLIC) We, the leaders …\" — see docs/statements.md."
    )]
    Draft(Box<StatementDraftArgs>),
    /// Table a new version.
    #[command(
        after_help = "Example:\n  coalition statement revise paris-2026 greenland --from greenland-v2.md --as secretariat\n  coalition statement revise paris-2026 greenland --from-akn greenland-v2.akn.xml --as secretariat"
    )]
    Revise {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        #[command(flatten)]
        source: DraftSource,
        /// When the version was tabled (default: now). See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Show a version (what the viewer may read; --public: PUBLIC paragraphs only).
    #[command(
        after_help = "Example:\n  coalition statement show paris-2026 paris-declaration --public"
    )]
    Show {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        /// The version (default: the latest).
        #[arg(long)]
        version: Option<u32>,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Export a version for other tools: Akoma Ntoso 3.0 (only the paragraphs the reader may
    /// read; a reader's export says others are withheld). See docs/formats.md.
    #[command(
        after_help = "Example:\n  coalition statement export paris-2026 paris-declaration --format akn --out paris.akn.xml --public"
    )]
    Export {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        /// The version (default: the latest).
        #[arg(long)]
        version: Option<u32>,
        /// The format.
        #[arg(long, value_enum)]
        format: StatementFormat,
        /// The file written.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Compare two versions paragraph by paragraph.
    #[command(after_help = "Example:\n  coalition statement diff paris-2026 paris-declaration 1 2")]
    Diff {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        /// The older version.
        from: u32,
        /// The newer version.
        to: u32,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Sign a version with your own key (locally) and submit the approval.
    #[command(
        after_help = "Example:\n  coalition statement approve paris-2026 greenland --version 1 --key frederiksen.pem --as frederiksen\n\nKeys, rotation, passphrases and approving at a meeting: docs/statements.md"
    )]
    Approve {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        /// The version approved.
        #[arg(long)]
        version: u32,
        /// Your private key file (COALITION_KEY_PASSPHRASE decrypts it).
        #[arg(long)]
        key: PathBuf,
        /// The meeting where the approval is given.
        #[arg(long)]
        meeting: Option<MeetingId>,
        /// When the approval was given (default: now). See docs/time.md.
        #[arg(long, value_name = "TIME")]
        at: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Withdraw your party's approval (before adoption).
    #[command(
        after_help = "Example:\n  coalition statement withdraw-approval paris-2026 greenland --as tusk"
    )]
    WithdrawApproval(StatementTimedArgs),
    /// Object under a silence procedure (before its deadline).
    #[command(
        after_help = "Example:\n  coalition statement object paris-2026 greenland --as meloni"
    )]
    Object(StatementTimedArgs),
    /// Conclude a silence procedure after its deadline.
    #[command(
        after_help = "Example:\n  coalition statement conclude paris-2026 greenland --as secretariat"
    )]
    Conclude(StatementActArgs),
    /// Per required party: approved / pending / approved an older version, and where.
    #[command(after_help = "Example:\n  coalition statement status paris-2026 paris-declaration")]
    Status {
        /// The coalition.
        coalition: CoalitionId,
        /// The statement.
        id: StatementId,
        #[command(flatten)]
        view: ViewArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct StatementDraftArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The statement's id.
    #[arg(long)]
    pub(crate) id: StatementId,
    /// Its title (default, with --from-akn: the document's docTitle).
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// The parties whose leaders must approve (comma-separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub(crate) signatories: Vec<PartyCode>,
    /// Adopt once this many of them approve (default: all of them).
    #[arg(long, conflicts_with = "silence_until")]
    pub(crate) quorum: Option<u16>,
    /// Silence procedure: adopted at this time unless a signatory objects before.
    #[arg(long, value_name = "TIME")]
    pub(crate) silence_until: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) source: DraftSource,
    /// When version 1 was tabled (default: now).
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<Timestamp>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

/// Where a version's paragraphs come from: one of the two.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct DraftSource {
    /// The paragraphs (Markdown with portion markings, or TOML).
    #[arg(long)]
    pub(crate) from: Option<PathBuf>,
    /// The paragraphs from an Akoma Ntoso 3.0 document (another tool's, or an export).
    #[arg(long, value_name = "FILE")]
    pub(crate) from_akn: Option<PathBuf>,
}

/// The formats a statement version is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatementFormat {
    /// Akoma Ntoso 3.0 XML (OASIS LegalDocML).
    Akn,
}

#[derive(Debug, Args)]
pub(crate) struct StatementTimedArgs {
    #[command(flatten)]
    pub(crate) target: StatementActArgs,
    /// When it happened (default: now).
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<Timestamp>,
}

#[derive(Debug, Args)]
pub(crate) struct StatementActArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The statement.
    pub(crate) id: StatementId,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MeetingCommand {
    /// Record a meeting: host, place, day, attendees and agenda.
    #[command(
        after_help = "Example:\n  coalition meeting add paris-2026 --id london-2026-03 --title \"Leaders' call\" --host GBR \\\n    --place London --day 2026-03-02 --attendee starmer:in-person --attendee macron:remote --agenda greenland --as secretariat"
    )]
    Add(Box<MeetingAddArgs>),
}

#[derive(Debug, Args)]
pub(crate) struct MeetingAddArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// The meeting's id.
    #[arg(long)]
    pub(crate) id: MeetingId,
    /// Its title.
    #[arg(long)]
    pub(crate) title: String,
    /// The host party.
    #[arg(long)]
    pub(crate) host: PartyCode,
    /// Where.
    #[arg(long)]
    pub(crate) place: String,
    /// The day.
    #[arg(long)]
    pub(crate) day: Day,
    /// PRINCIPAL:in-person or PRINCIPAL:remote (repeatable).
    #[arg(long = "attendee", value_name = "PRINCIPAL:MODE")]
    pub(crate) attendees: Vec<String>,
    /// Statements on the agenda (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub(crate) agenda: Vec<StatementId>,
    #[command(flatten)]
    pub(crate) act: ActArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CommuniqueArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    /// Only the statements on this meeting's agenda.
    #[arg(long)]
    pub(crate) meeting: Option<MeetingId>,
    /// Compose it from the record as it stood at this time.
    #[arg(long, value_name = "TIME")]
    pub(crate) as_of: Option<Timestamp>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AggregateCommand {
    /// Release an aggregate's current value to the public (needs clearance for its inputs).
    #[command(
        after_help = "Example:\n  coalition aggregate release paris-2026 guarantors:force-land,force-sea,force-air --as secretariat"
    )]
    Release {
        /// The coalition.
        coalition: CoalitionId,
        /// `members` or `guarantors:CATEGORY[,CATEGORY…]`.
        aggregate: String,
        #[command(flatten)]
        act: ActArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct WhatIfArgs {
    /// The coalition.
    pub(crate) coalition: CoalitionId,
    #[command(subcommand)]
    pub(crate) what: WhatIfCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WhatIfCommand {
    /// Suppose an incident: the obligations it would open with their deadlines, those awaiting a
    /// request or with no deadline, and the commitments that would not answer and why. Times may
    /// lie in the future (an exercise of thought: nothing is written).
    #[command(
        after_help = "Example:\n  coalition whatif paris-2026 incident --aggressor RUS --target UKR --kind armed-attack \\\n    --at 2027-06-14T04:00:00Z --verified-at 2027-06-14T09:00:00Z --request GBR@2027-06-14T12:00:00Z \\\n    --assume-ceasefire 2027-01-01T00:00:00Z --assume-ratified DEU --as starmer\n\nSee docs/time.md."
    )]
    Incident(Box<WhatIfIncidentArgs>),
}

#[derive(Debug, Args)]
pub(crate) struct WhatIfIncidentArgs {
    /// The state supposed to attack.
    #[arg(long)]
    pub(crate) aggressor: PartyCode,
    /// The state attacked.
    #[arg(long)]
    pub(crate) target: PartyCode,
    /// What happens.
    #[arg(long, default_value = "armed-attack")]
    pub(crate) kind: IncidentKind,
    /// Suppose nuclear weapons are used.
    #[arg(long)]
    pub(crate) nuclear_weapons_used: bool,
    /// When it happens.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Timestamp,
    /// Where.
    #[arg(long, default_value = "")]
    pub(crate) location: String,
    /// When it is verified (default: when it happens).
    #[arg(long, value_name = "TIME")]
    pub(crate) verified_at: Option<Timestamp>,
    /// The protected state asks PARTY for consultations at TIME (repeatable).
    #[arg(long = "request", value_name = "PARTY@TIME")]
    pub(crate) requests: Vec<String>,
    /// Assume a ceasefire entered into force then.
    #[arg(long, value_name = "TIME")]
    pub(crate) assume_ceasefire: Option<Timestamp>,
    /// Assume these parties ratified what they signed (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PARTIES")]
    pub(crate) assume_ratified: Vec<PartyCode>,
    #[command(flatten)]
    pub(crate) who: WhoArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExerciseCommand {
    /// Fork an exercise from a real coalition (its secretariat directs it); prints its id, which
    /// every command on the exercise names. The real record is only read.
    #[command(
        after_help = "Example:\n  coalition exercise start paris-2026 --name steadfast-2027 --clock 2027-06-14T00:00:00Z --as secretariat\n  coalition incident report paris-2026.EXERCISE.steadfast-2027 --aggressor RUS --target UKR --at 2027-06-14T04:00:00Z --as zelenskyy"
    )]
    Start {
        /// The real coalition.
        coalition: CoalitionId,
        /// The exercise's name.
        #[arg(long)]
        name: String,
        /// Where the simulated clock starts (default: now).
        #[arg(long, value_name = "TIME")]
        clock: Option<Timestamp>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Advance the exercise's simulated clock (never back).
    #[command(
        after_help = "Example:\n  coalition exercise clock paris-2026.EXERCISE.steadfast-2027 --set 2027-06-15T09:00:00Z --as secretariat"
    )]
    Clock {
        /// The exercise (its id, as `exercise start` printed it).
        exercise: CoalitionId,
        /// The simulated time from now on.
        #[arg(long, value_name = "TIME")]
        set: Timestamp,
        #[command(flatten)]
        act: ActArgs,
    },
    /// End the exercise: its log is kept, and accepts nothing more.
    #[command(
        after_help = "Example:\n  coalition exercise end paris-2026.EXERCISE.steadfast-2027 --as secretariat"
    )]
    End {
        /// The exercise.
        exercise: CoalitionId,
        #[command(flatten)]
        act: ActArgs,
    },
}
