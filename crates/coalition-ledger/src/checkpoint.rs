//! Signed checkpoints: a log's size and Merkle root, signed by the log's key, in the two C2SP
//! text formats other transparency tooling reads.
//!
//! The body is a C2SP `tlog-checkpoint`:
//!
//! ```text
//! <origin>\n
//! <tree size, decimal, no leading zeros>\n
//! <base64 of the 32-byte root>\n
//! [<extension line>\n ...]
//! ```
//!
//! and it is carried in a C2SP `signed-note`: the text, one empty line, then one line per
//! signature, `"— " <key name> " " base64(key ID || signature) "\n"` (U+2014 EM DASH, space).
//! Signatures here are Ed25519 (note signature type `0x01`): the 4-byte key ID is the first four
//! bytes, big-endian, of SHA-256(key name || 0x0A || 0x01 || 32-byte public key), and the 64-byte
//! signature covers the note text including its final newline. A verifier key is written
//! `<name>+<key ID as 8 lowercase hex digits>+<base64(0x01 || public key)>`.
//!
//! Parsing is strict: one byte string per checkpoint, so that a note that differs anywhere from
//! what the log signed is refused, and signatures are checked with `verify_strict`.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::hash::Hash;

/// The signed-note signature type byte of plain Ed25519.
const ED25519: u8 = 0x01;
/// The start of every signature line: EM DASH and a space.
pub(crate) const SIGNATURE_PREFIX: &str = "\u{2014} ";
/// Signature lines beyond this make the note malformed. The signed-note spec asks verifiers to
/// accept at least 16; a checkpoint carries the log's signature plus a few witnesses.
pub(crate) const MAX_SIGNATURES: usize = 100;

/// Why a checkpoint, a signed note or a verifier key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The note contains an ASCII control character other than newline.
    #[error("control character {byte:#04x} at byte {offset} of the note")]
    ControlCharacter {
        /// The offending byte.
        byte: u8,
        /// Its position in the note.
        offset: usize,
    },
    /// A note or a checkpoint body must end with a newline.
    #[error("the {0} does not end with a newline")]
    MissingFinalNewline(&'static str),
    /// The note text is empty.
    #[error("the note text is empty")]
    EmptyText,
    /// There is no empty line separating the text from signatures, or no signature after it.
    #[error("the note has no signature lines after an empty line")]
    NoSignatures,
    /// A signature line is not `— <name> <base64>`.
    #[error("signature line {line} is malformed: {reason}")]
    MalformedSignatureLine {
        /// The line's number among the signature lines, from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// More signature lines than this verifier accepts.
    #[error("the note has more than {max} signature lines")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// A key name that is empty or contains a space or a plus sign.
    #[error("invalid key name {0:?}: it must be non-empty, without spaces or '+'")]
    InvalidKeyName(String),
    /// No signature line is by the expected key (same name and key ID).
    #[error("the note carries no signature by {name}+{key_id:08x}")]
    NotSignedByKey {
        /// The name of the expected key.
        name: String,
        /// Its key ID.
        key_id: u32,
    },
    /// A signature by the expected key does not verify.
    #[error("the signature by {name}+{key_id:08x} does not verify")]
    BadSignature {
        /// The name of the key.
        name: String,
        /// Its key ID.
        key_id: u32,
    },
    /// The expected key signed the note twice.
    #[error("the note carries two signatures by {name}+{key_id:08x}")]
    DuplicateSignature {
        /// The name of the key.
        name: String,
        /// Its key ID.
        key_id: u32,
    },
    /// A checkpoint body has fewer than the three mandatory lines.
    #[error("a checkpoint needs origin, size and root lines; found {found} line(s)")]
    TooFewLines {
        /// How many lines there were.
        found: usize,
    },
    /// A checkpoint body has an empty line.
    #[error("line {line} of the checkpoint is empty")]
    EmptyLine {
        /// The line's number, from 1.
        line: usize,
    },
    /// The size line is not a canonical decimal `u64`.
    #[error("tree size {0:?} is not a decimal number without sign or leading zeros")]
    InvalidSize(String),
    /// The root line is not canonical base64 of 32 bytes.
    #[error("root {0:?} is not the base64 of a 32-byte hash")]
    InvalidRoot(String),
    /// The checkpoint's fields cannot be written as a body that reads back as the same
    /// checkpoint (an empty origin, or a newline inside a field).
    #[error("the checkpoint cannot be written as a note: {0}")]
    Unwritable(String),
    /// The checkpoint is for another log.
    #[error("the checkpoint is for origin {found:?}, expected {expected:?}")]
    WrongOrigin {
        /// The origin that was expected.
        expected: String,
        /// The origin in the checkpoint.
        found: String,
    },
    /// A verifier key that is not `<name>+<8 hex digits>+<base64>`.
    #[error("malformed verifier key: {0}")]
    MalformedVerifierKey(&'static str),
    /// A verifier key of a signature type other than Ed25519.
    #[error("verifier key type {0:#04x} is not supported; only Ed25519 (0x01) is")]
    UnsupportedKeyType(u8),
    /// The public key bytes are not a point on the curve.
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPublicKey,
    /// A public key of small order, which anyone could forge signatures for.
    #[error("the public key is weak (of small order) and is refused")]
    WeakPublicKey,
    /// The key ID in a verifier key is not the one its name and public key give.
    #[error(
        "the verifier key states key ID {stated:08x}, but its name and key give {computed:08x}"
    )]
    KeyIdMismatch {
        /// The ID written in the key.
        stated: u32,
        /// The ID computed from name and key.
        computed: u32,
    },
}

/// A log's tree head: which log, how many leaves, which root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, e.g. `example.org/coalition/C1`.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The RFC 9162 Merkle root of those leaves.
    pub root: Hash,
    /// Opaque extension lines after the root, kept as read; usually none.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Checkpoint {
        Checkpoint {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The C2SP checkpoint body: origin, size and base64 root, each followed by a newline, then
    /// any extension lines.
    pub fn body(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root.as_bytes())
        );
        for line in &self.extensions {
            body.push_str(line);
            body.push('\n');
        }
        body
    }

    /// Reads a checkpoint body strictly: newline-terminated, no empty line, a size in canonical
    /// decimal, a root in canonical base64 of exactly 32 bytes.
    pub fn parse_body(text: &str) -> Result<Checkpoint, CheckpointError> {
        let content = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MissingFinalNewline("checkpoint body"))?;
        let lines: Vec<&str> = content.split('\n').collect();
        if let Some(empty) = lines.iter().position(|l| l.is_empty()) {
            return Err(CheckpointError::EmptyLine { line: empty + 1 });
        }
        let [origin, size, root, extensions @ ..] = lines.as_slice() else {
            return Err(CheckpointError::TooFewLines { found: lines.len() });
        };
        Ok(Checkpoint {
            origin: (*origin).to_owned(),
            size: parse_size(size)?,
            root: parse_root(root)?,
            extensions: extensions.iter().map(|l| (*l).to_owned()).collect(),
        })
    }

    /// This checkpoint if it is for `origin`; a checkpoint from another log signed by the same
    /// key must not be taken for this log's.
    pub fn expect_origin(self, origin: &str) -> Result<Checkpoint, CheckpointError> {
        if self.origin == origin {
            Ok(self)
        } else {
            Err(CheckpointError::WrongOrigin {
                expected: origin.to_owned(),
                found: self.origin,
            })
        }
    }
}

/// Only ASCII digits, and no leading zero except for "0" itself: one spelling per number.
fn parse_size(text: &str) -> Result<u64, CheckpointError> {
    let invalid = || CheckpointError::InvalidSize(text.to_owned());
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(invalid());
    }
    text.parse().map_err(|_| invalid())
}

/// Standard base64 with padding, of exactly 32 bytes, written the one canonical way.
fn parse_root(text: &str) -> Result<Hash, CheckpointError> {
    let invalid = || CheckpointError::InvalidRoot(text.to_owned());
    let bytes: [u8; 32] = STANDARD
        .decode(text)
        .map_err(|_| invalid())?
        .try_into()
        .map_err(|_| invalid())?;
    // The decoder already refuses stray padding bits; the round trip makes canonical form the
    // rule here rather than a property of the base64 crate's settings.
    if STANDARD.encode(bytes) != text {
        return Err(invalid());
    }
    Ok(Hash(bytes))
}

/// A key name per signed-note: non-empty, no Unicode space, no '+'.
pub(crate) fn check_key_name(name: &str) -> Result<(), CheckpointError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '+') {
        return Err(CheckpointError::InvalidKeyName(name.to_owned()));
    }
    Ok(())
}

/// Signed notes are UTF-8 (guaranteed by `&str`) with no control character but newline.
pub(crate) fn check_no_controls(text: &str) -> Result<(), CheckpointError> {
    match text.bytes().position(|b| b < 0x20 && b != b'\n') {
        Some(offset) => Err(CheckpointError::ControlCharacter {
            byte: text.as_bytes()[offset],
            offset,
        }),
        None => Ok(()),
    }
}

/// The signed-note key ID of an Ed25519 key: the first four bytes, big-endian, of
/// SHA-256(name || 0x0A || 0x01 || public key).
pub fn key_id(name: &str, key: &VerifyingKey) -> u32 {
    let digest = Hash::of(&[name.as_bytes(), b"\n", &[ED25519], key.as_bytes()]);
    let [a, b, c, d, ..] = digest.0;
    u32::from_be_bytes([a, b, c, d])
}

/// A trusted public key as signed notes name it: a key name, its key ID and an Ed25519 key that
/// has been checked not to be weak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl VerifierKey {
    /// The verifier key for `key` under `name`. Refuses invalid names and weak keys.
    pub fn new(name: &str, key: VerifyingKey) -> Result<VerifierKey, CheckpointError> {
        check_key_name(name)?;
        if key.is_weak() {
            return Err(CheckpointError::WeakPublicKey);
        }
        Ok(VerifierKey {
            name: name.to_owned(),
            key_id: key_id(name, &key),
            key,
        })
    }

    /// Reads `<name>+<8 lowercase hex digits>+<base64(0x01 || 32-byte key)>`, checking that the
    /// key is a valid, non-weak Ed25519 point and that the key ID matches name and key.
    pub fn parse(text: &str) -> Result<VerifierKey, CheckpointError> {
        let (name, stated, kind, key) = parse_vkey(text)?;
        if kind != ED25519 {
            return Err(CheckpointError::UnsupportedKeyType(kind));
        }
        let verifier = VerifierKey::new(name, key)?;
        if verifier.key_id != stated {
            return Err(CheckpointError::KeyIdMismatch {
                stated,
                computed: verifier.key_id,
            });
        }
        Ok(verifier)
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_vkey(f, &self.name, self.key_id, ED25519, &self.key)
    }
}

/// Reads a signed-note verifier key, `<name>+<8 lowercase hex digits>+base64(type || 32-byte
/// Ed25519 key)`: the name, the stated key ID, the type byte and the key (a valid point). The
/// caller checks the type and recomputes the key ID.
pub(crate) fn parse_vkey(text: &str) -> Result<(&str, u32, u8, VerifyingKey), CheckpointError> {
    // The name has no '+', the ID neither, so the first two '+' are the separators; the
    // base64 part may contain '+' of its own.
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(CheckpointError::MalformedVerifierKey(
            "expected <name>+<key ID>+<key>",
        ));
    };
    check_key_name(name)?;
    if id_hex.len() != 8
        || !id_hex
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(CheckpointError::MalformedVerifierKey(
            "the key ID must be 8 lowercase hex digits",
        ));
    }
    let stated = u32::from_str_radix(id_hex, 16)
        .map_err(|_| CheckpointError::MalformedVerifierKey("the key ID is not hex"))?;
    let data = STANDARD
        .decode(key_b64)
        .map_err(|_| CheckpointError::MalformedVerifierKey("the key is not base64"))?;
    if STANDARD.encode(&data) != key_b64 {
        return Err(CheckpointError::MalformedVerifierKey(
            "the key is not canonical base64",
        ));
    }
    let (&kind, public) = data
        .split_first()
        .ok_or(CheckpointError::MalformedVerifierKey("the key is empty"))?;
    let public: [u8; 32] = public
        .try_into()
        .map_err(|_| CheckpointError::MalformedVerifierKey("an Ed25519 public key is 32 bytes"))?;
    let key = VerifyingKey::from_bytes(&public).map_err(|_| CheckpointError::InvalidPublicKey)?;
    Ok((name, stated, kind, key))
}

/// Writes a verifier key in the form [`parse_vkey`] reads.
pub(crate) fn write_vkey(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    key_id: u32,
    kind: u8,
    key: &VerifyingKey,
) -> fmt::Result {
    let mut data = Vec::with_capacity(33);
    data.push(kind);
    data.extend_from_slice(key.as_bytes());
    write!(f, "{name}+{key_id:08x}+{}", STANDARD.encode(data))
}

impl FromStr for VerifierKey {
    type Err = CheckpointError;

    fn from_str(text: &str) -> Result<VerifierKey, CheckpointError> {
        VerifierKey::parse(text)
    }
}

/// Signs `text` as a signed note with one Ed25519 signature by `key` under `name`, and returns
/// the whole note. The text must be non-empty, end with a newline and hold no control
/// character other than newline.
pub fn sign_note(text: &str, name: &str, key: &SigningKey) -> Result<String, CheckpointError> {
    check_key_name(name)?;
    check_no_controls(text)?;
    if text.is_empty() {
        return Err(CheckpointError::EmptyText);
    }
    if !text.ends_with('\n') {
        return Err(CheckpointError::MissingFinalNewline("note text"));
    }
    let verifying = key.verifying_key();
    let signature: Signature = key.sign(text.as_bytes());
    let mut blob = Vec::with_capacity(68);
    blob.extend_from_slice(&key_id(name, &verifying).to_be_bytes());
    blob.extend_from_slice(&signature.to_bytes());
    Ok(format!(
        "{text}\n{SIGNATURE_PREFIX}{name} {}\n",
        STANDARD.encode(blob)
    ))
}

/// One well-formed signature line of a signed note: the key name, the key ID and what follows
/// the key ID (a signature, or for a cosignature a timestamp and a signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine<'a> {
    /// The key name.
    pub name: &'a str,
    /// The 4-byte key ID.
    pub key_id: u32,
    /// The bytes after the key ID.
    pub signature: Vec<u8>,
}

/// Splits a signed note strictly into its text (with its final newline) and its signature
/// lines, each checked for form (em dash, key name, canonical base64 of at least a key ID).
pub fn split_note(note: &str) -> Result<(&str, Vec<SignatureLine<'_>>), CheckpointError> {
    check_no_controls(note)?;
    if !note.ends_with('\n') {
        return Err(CheckpointError::MissingFinalNewline("note"));
    }
    // The text ends at the last empty line: signature lines are never empty.
    let split = note.rfind("\n\n").ok_or(CheckpointError::NoSignatures)?;
    let text = &note[..=split];
    let signatures = &note[split + 2..];
    if signatures.is_empty() {
        return Err(CheckpointError::NoSignatures);
    }
    // A note that begins with the blank line has no text before it.
    if text == "\n" {
        return Err(CheckpointError::EmptyText);
    }
    // `signatures` ends with '\n' (the note does), so the last split piece is empty.
    let lines: Vec<&str> = signatures[..signatures.len() - 1].split('\n').collect();
    if lines.len() > MAX_SIGNATURES {
        return Err(CheckpointError::TooManySignatures {
            max: MAX_SIGNATURES,
        });
    }
    let parsed = lines
        .iter()
        .enumerate()
        .map(|(number, line)| parse_signature_line(line, number + 1))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((text, parsed))
}

/// Reads one signature line, `— <name> <base64(key ID || signature)>` without its newline;
/// `number` names it in the error.
pub fn parse_signature_line(
    line: &str,
    number: usize,
) -> Result<SignatureLine<'_>, CheckpointError> {
    let malformed = |reason| CheckpointError::MalformedSignatureLine {
        line: number,
        reason,
    };
    let rest = line
        .strip_prefix(SIGNATURE_PREFIX)
        .ok_or_else(|| malformed("it does not start with an em dash and a space"))?;
    let (name, blob_b64) = rest
        .split_once(' ')
        .ok_or_else(|| malformed("no space between key name and signature"))?;
    check_key_name(name).map_err(|_| malformed("invalid key name"))?;
    let blob = STANDARD
        .decode(blob_b64)
        .map_err(|_| malformed("the signature is not base64"))?;
    if STANDARD.encode(&blob) != blob_b64 {
        return Err(malformed("the signature is not canonical base64"));
    }
    let Some((id, signature)) = blob.split_first_chunk::<4>() else {
        return Err(malformed("the signature is shorter than a key ID"));
    };
    Ok(SignatureLine {
        name,
        key_id: u32::from_be_bytes(*id),
        signature: signature.to_vec(),
    })
}

/// Opens a signed note: checks its form strictly and returns its text (with the final newline)
/// if it carries a valid signature by `verifier`. Signatures by other keys are skipped, as the
/// signed-note spec requires, but must still be well-formed lines.
pub fn open_note<'a>(note: &'a str, verifier: &VerifierKey) -> Result<&'a str, CheckpointError> {
    let (text, lines) = split_note(note)?;
    let mut verified = false;
    for line in &lines {
        if line.name != verifier.name || line.key_id != verifier.key_id {
            continue; // Another key's signature: not ours to judge.
        }
        let signature = line.signature.as_slice();
        let bad = || CheckpointError::BadSignature {
            name: verifier.name.clone(),
            key_id: verifier.key_id,
        };
        if verified {
            return Err(CheckpointError::DuplicateSignature {
                name: verifier.name.clone(),
                key_id: verifier.key_id,
            });
        }
        let signature: [u8; 64] = signature.try_into().map_err(|_| bad())?;
        verifier
            .key
            .verify_strict(text.as_bytes(), &Signature::from_bytes(&signature))
            .map_err(|_| bad())?;
        verified = true;
    }
    if verified {
        Ok(text)
    } else {
        Err(CheckpointError::NotSignedByKey {
            name: verifier.name.clone(),
            key_id: verifier.key_id,
        })
    }
}

/// `note` with only the signature lines by `verifier` kept (after checking that one verifies):
/// what a witness stores and serves, without whatever else a client attached.
pub fn keep_signatures_by(note: &str, verifier: &VerifierKey) -> Result<String, CheckpointError> {
    let text = open_note(note, verifier)?;
    let (_, lines) = split_note(note)?;
    let mut out = format!("{text}\n");
    for line in lines
        .iter()
        .filter(|l| l.name == verifier.name && l.key_id == verifier.key_id)
    {
        let blob = [line.key_id.to_be_bytes().as_slice(), &line.signature].concat();
        out.push_str(&format!(
            "{SIGNATURE_PREFIX}{} {}\n",
            line.name,
            STANDARD.encode(blob)
        ));
    }
    Ok(out)
}

/// Signs `checkpoint` with `key` under the key name `name` (by convention the origin) and
/// returns the whole signed note. Refuses a checkpoint whose body would not read back as the
/// same checkpoint.
pub fn sign_checkpoint(
    checkpoint: &Checkpoint,
    name: &str,
    key: &SigningKey,
) -> Result<String, CheckpointError> {
    let body = checkpoint.body();
    match Checkpoint::parse_body(&body) {
        Ok(ref read_back) if read_back == checkpoint => {}
        Ok(_) => {
            return Err(CheckpointError::Unwritable(
                "a field contains a newline".to_owned(),
            ));
        }
        Err(e) => return Err(CheckpointError::Unwritable(e.to_string())),
    }
    sign_note(&body, name, key)
}

/// Opens a signed checkpoint: the note must carry a valid signature by `verifier`, and its text
/// must be a strictly well-formed checkpoint body. The caller still has to check the origin
/// (see [`Checkpoint::expect_origin`]) when one key signs for several logs.
pub fn open_checkpoint(note: &str, verifier: &VerifierKey) -> Result<Checkpoint, CheckpointError> {
    Checkpoint::parse_body(open_note(note, verifier)?)
}
