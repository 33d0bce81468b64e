//! The RFC 6962 / RFC 9162 proof vectors of the Go Merkle library (transparency-dev/merkle),
//! read from `shared/testdata/merkle` beside the repository: every case must get the verdict
//! its file states. The files stay outside the repository; without them the test says SKIPPED.
//!
//! Each file is one case. Hashes are base64; a value that does not decode to exactly 32 bytes
//! (the vectors use `"WrongLeaf"`, empty "garbage" elements and `"don't care"` placeholders)
//! cannot be a [`Hash`], so such a case is refused where our own input path would refuse it:
//! at decoding. That yields the stated verdict for every case but one, listed in
//! [`STRICTER_THAN_THE_VECTORS`].

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use coalition_ledger::Hash;
use coalition_ledger::merkle::{ProofError, verify_consistency, verify_inclusion};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The one case whose stated verdict we do not give, and why. It expects the 1 -> 1 check with
/// the 12-byte "root" `"don't care 2"` on both sides to pass: the Go verifier compares roots as
/// opaque byte strings. A root here is a SHA-256 digest, and 12 bytes cannot be one, so we
/// refuse it at decoding. That is stricter, never laxer: we reject, we do not accept.
const STRICTER_THAN_THE_VECTORS: &[&str] =
    &["consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InclusionCase {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConsistencyCase {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

/// The transparency-dev vectors in `../shared`, or `None` when they are absent; with
/// `REQUIRE_SHARED=1` (as `.ci/run` sets it) their absence fails the test instead.
fn testdata() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/merkle");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("REQUIRE_SHARED").as_deref() != Ok("1"),
        "REQUIRE_SHARED=1 but {} is missing",
        dir.display()
    );
    None
}

/// The JSON files anywhere under `dir/kind`, sorted so that failures are reported in a stable
/// order.
fn case_files(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.join(kind)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn decode(text: &str) -> Option<Hash> {
    let bytes = STANDARD.decode(text).ok()?;
    Some(Hash(bytes.try_into().ok()?))
}

fn decode_all(texts: &Option<Vec<String>>) -> Option<Vec<Hash>> {
    texts.iter().flatten().map(|t| decode(t)).collect()
}

/// What happened to one case: accepted, refused at decoding, or refused by the verifier.
#[derive(Debug, PartialEq)]
enum Verdict {
    Accepted,
    Malformed,
    Rejected(String),
}

impl Verdict {
    fn of(decoded: Option<Result<(), ProofError>>) -> Verdict {
        match decoded {
            None => Verdict::Malformed,
            Some(Ok(())) => Verdict::Accepted,
            Some(Err(e)) => Verdict::Rejected(e.to_string()),
        }
    }

    fn is_err(&self) -> bool {
        *self != Verdict::Accepted
    }
}

/// One kind of vector file: what it expects and what our verifier says.
trait Case: DeserializeOwned {
    fn desc(&self) -> &str;
    fn want_err(&self) -> bool;
    /// `None` when a value cannot be decoded into a [`Hash`].
    fn verify(&self) -> Option<Result<(), ProofError>>;
}

impl Case for InclusionCase {
    fn desc(&self) -> &str {
        &self.desc
    }
    fn want_err(&self) -> bool {
        self.want_err
    }
    fn verify(&self) -> Option<Result<(), ProofError>> {
        let (root, leaf, proof) = (
            decode(&self.root)?,
            decode(&self.leaf_hash)?,
            decode_all(&self.proof)?,
        );
        Some(verify_inclusion(
            self.leaf_idx,
            self.tree_size,
            &leaf,
            &proof,
            &root,
        ))
    }
}

impl Case for ConsistencyCase {
    fn desc(&self) -> &str {
        &self.desc
    }
    fn want_err(&self) -> bool {
        self.want_err
    }
    fn verify(&self) -> Option<Result<(), ProofError>> {
        let (root1, root2, proof) = (
            decode(&self.root1)?,
            decode(&self.root2)?,
            decode_all(&self.proof)?,
        );
        Some(verify_consistency(
            self.size1, self.size2, &root1, &root2, &proof,
        ))
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    happy: usize,
    malformed: usize,
    rejected: usize,
    wrong: Vec<String>,
    stricter: Vec<String>,
}

/// Runs every case of one kind; `None` when the vectors are not there.
fn run<C: Case>(kind: &str) -> Option<Tally> {
    let Some(dir) = testdata() else {
        eprintln!("SKIPPED: shared/testdata/merkle is not beside the repository");
        return None;
    };
    let mut tally = Tally::default();
    for file in case_files(&dir, kind) {
        let case: C = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let verdict = Verdict::of(case.verify());
        let name = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        tally.cases += 1;
        match &verdict {
            Verdict::Accepted => tally.happy += 1,
            Verdict::Malformed => tally.malformed += 1,
            Verdict::Rejected(_) => tally.rejected += 1,
        }
        let want_err = case.want_err();
        if verdict.is_err() != want_err {
            if STRICTER_THAN_THE_VECTORS.contains(&name.as_str()) && verdict.is_err() {
                tally.stricter.push(name);
            } else {
                tally.wrong.push(format!(
                    "{name} ({}): want error = {want_err}, got {verdict:?}",
                    case.desc()
                ));
            }
        }
    }
    println!(
        "{kind} vectors: {} cases, {} verified, {} refused at decoding, {} rejected by the verifier, {} stricter than stated",
        tally.cases,
        tally.happy,
        tally.malformed,
        tally.rejected,
        tally.stricter.len()
    );
    // 98 files of each kind at the time of writing; fewer means the walk missed some.
    assert!(tally.cases >= 98, "only {} {kind} cases found", tally.cases);
    assert!(tally.happy > 0 && tally.malformed + tally.rejected > 0);
    assert!(
        tally.wrong.is_empty(),
        "wrong verdicts:\n{}",
        tally.wrong.join("\n")
    );
    Some(tally)
}

#[test]
fn every_inclusion_vector_gets_its_stated_verdict() {
    if let Some(tally) = run::<InclusionCase>("inclusion") {
        assert!(tally.stricter.is_empty(), "{:?}", tally.stricter);
    }
}

#[test]
fn every_consistency_vector_gets_its_stated_verdict() {
    if let Some(tally) = run::<ConsistencyCase>("consistency") {
        // The listed exception must still be there and still be refused: if the vectors
        // change, this list has to be looked at again.
        assert_eq!(tally.stricter, STRICTER_THAN_THE_VECTORS);
    }
}
