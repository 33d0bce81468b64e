//! Signatures: an approval is accepted only from a required signatory's leader, signed with their own registered key over this coalition's exact statement and version.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::Command;
use coalition_core::rejection::Rejection;

use super::UNANIMITY;
use crate::fixture::{self, World, key, paragraphs, party, public, sign, statement_id};

/// Every signature over (coalition, statement, version, content, signer) presented as every
/// (statement, presenter): accepted exactly when it is the presenter's own signature over this
/// coalition's current version of that statement, whatever the content looks like.
#[test]
fn a_signature_is_accepted_only_for_the_exact_statement_version_coalition_and_signer() {
    // Two statements whose current versions have identical text (so identical content hashes):
    // only the statement id in the signed message tells them apart.
    let same = paragraphs(&[("Identical text.", Level::Public)]);
    let mut world = World::new();
    for s in ["s-a", "s-b"] {
        world.draft_with(
            s,
            &["FRA", "GBR", "DEU"],
            UNANIMITY,
            paragraphs(&[(&format!("{s} first draft."), Level::Public)]),
        );
        world.must(
            "secretariat",
            Command::ReviseStatement {
                statement: statement_id(s),
                seed: coalition_core::statement::Seed([7; 32]),
                paragraphs: same.clone(),
                at: None,
            },
        );
    }
    assert_eq!(world.content("s-a", 2), world.content("s-b", 2));

    let coalitions = [fixture::COALITION, "other-coalition"];
    let signers = ["macron", "starmer"];
    let presenters = ["macron", "starmer", "merz", "sanchez", "barrot"];
    let (mut cases, mut accepted, mut expected_accepted) = (0, 0, 0);
    for coalition in coalitions {
        for signed_statement in ["s-a", "s-b"] {
            for signed_version in [1, 2] {
                // The real content of that version, and (for version 1) also the current
                // content under the old number: neither moves the signature elsewhere.
                let contents = [
                    world.content(signed_statement, signed_version),
                    world.content(signed_statement, 2),
                ];
                for content in contents {
                    for signer in signers {
                        let signature = sign(
                            world.key(signer),
                            coalition,
                            signed_statement,
                            signed_version,
                            &content,
                        );
                        for target in ["s-a", "s-b"] {
                            for presenter in presenters {
                                let command = Command::ApproveVersion {
                                    statement: statement_id(target),
                                    version: 2,
                                    signature,
                                    meeting: None,
                                    at: None,
                                };
                                let genuine = coalition == fixture::COALITION
                                    && signed_statement == target
                                    && signed_version == 2
                                    && content == world.content(target, 2)
                                    && signer == presenter;
                                let answer = world.decide(presenter, &command);
                                cases += 1;
                                if genuine {
                                    expected_accepted += 1;
                                    assert!(answer.is_ok(), "genuine approval refused: {answer:?}");
                                    accepted += 1;
                                    continue;
                                }
                                let rejection = answer.expect_err("replayed signature accepted");
                                match presenter {
                                    "sanchez" => assert!(
                                        matches!(rejection, Rejection::NotASignatory { .. }),
                                        "{rejection}"
                                    ),
                                    "barrot" => assert!(
                                        matches!(rejection, Rejection::NotAuthorised { .. }),
                                        "{rejection}"
                                    ),
                                    _ => assert!(
                                        matches!(rejection, Rejection::BadSignature { .. }),
                                        "{coalition} {signed_statement} v{signed_version} by {signer} as {presenter} for {target}: {rejection}"
                                    ),
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // 2 coalitions × 2 statements × 2 versions × 2 contents × 2 signers × 2 targets × 5 presenters.
    assert_eq!(cases, 320);
    // The diagonal: each signer's own signature over each statement's current version, as
    // signed (version 2 twice in `contents`).
    assert_eq!(expected_accepted, 2 * 2 * 2);
    assert_eq!(accepted, expected_accepted);
    assert!(world.statement("s-a").approvals.is_empty());
}

#[test]
fn an_approval_is_refused_to_anyone_but_a_leader_of_a_required_signatory() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    let content = world.content("s", 1);
    let own = |world: &World, who: &str| sign(world.key(who), &world.coalition, "s", 1, &content);
    let approve = |signature| Command::ApproveVersion {
        statement: statement_id("s"),
        version: 1,
        signature,
        meeting: None,
        at: None,
    };

    // A leader of a party that is not a required signatory, with a valid signature of their own.
    assert_eq!(
        world.decide("sanchez", &approve(own(&world, "sanchez"))),
        Err(Rejection::NotASignatory {
            statement: statement_id("s"),
            party: party("ESP"),
        })
    );
    // A minister of a required signatory, with a key of their own registered.
    assert!(matches!(
        world.decide("barrot", &approve(own(&world, "barrot"))),
        Err(Rejection::NotAuthorised { .. })
    ));
    // The secretariat.
    assert!(matches!(
        world.decide("secretariat", &approve(own(&world, "macron"))),
        Err(Rejection::NotAuthorised { .. })
    ));
    // A leader signing with a key registered to someone else (another party's leader).
    assert!(matches!(
        world.decide("macron", &approve(own(&world, "starmer"))),
        Err(Rejection::BadSignature { .. })
    ));
    // A leader signing with a key nobody registered.
    let stranger = sign(&key(200), &world.coalition, "s", 1, &content);
    assert!(matches!(
        world.decide("macron", &approve(stranger)),
        Err(Rejection::BadSignature { .. })
    ));
    // An unknown principal.
    assert!(matches!(
        world.decide("nobody", &approve(own(&world, "macron"))),
        Err(Rejection::UnknownPrincipal(_))
    ));
    assert!(world.statement("s").approvals.is_empty());
}

#[test]
fn a_leader_without_a_registered_key_cannot_approve() {
    let mut world = World::new();
    world.must(
        "secretariat",
        Command::RegisterPrincipal(coalition_core::party::Principal {
            id: fixture::principal_id("rutte"),
            name: "rutte".into(),
            party: party("POL"),
            role: coalition_core::party::PrincipalRole::Leader,
            clearance: Level::Secret,
            marking: Marking::public(),
            public_key: None,
        }),
    );
    world.draft("s", &["POL"], UNANIMITY);
    let content = world.content("s", 1);
    let command = Command::ApproveVersion {
        statement: statement_id("s"),
        version: 1,
        signature: sign(&key(99), &world.coalition, "s", 1, &content),
        meeting: None,
        at: None,
    };
    assert_eq!(
        world.decide("rutte", &command),
        Err(Rejection::NoKey(fixture::principal_id("rutte")))
    );
}

#[test]
fn one_public_key_cannot_be_registered_for_two_principals() {
    // Were macron's registered key also starmer's, whoever holds it could approve for FRA and
    // GBR alike: one leader signing with a key of another party.
    let world = World::new();
    let starmer = public(world.key("starmer"));
    let answer = world.decide(
        "secretariat",
        &Command::RegisterKey {
            principal: fixture::principal_id("macron"),
            key: starmer,
        },
    );
    assert!(
        answer.is_err(),
        "a key already registered to starmer was registered for macron"
    );
    let answer = world.decide(
        "secretariat",
        &Command::RegisterPrincipal(coalition_core::party::Principal {
            id: fixture::principal_id("double"),
            name: "double".into(),
            party: party("ITA"),
            role: coalition_core::party::PrincipalRole::Leader,
            clearance: Level::Secret,
            marking: Marking::public(),
            public_key: Some(starmer),
        }),
    );
    assert!(
        answer.is_err(),
        "a new principal was registered with starmer's key"
    );
}
