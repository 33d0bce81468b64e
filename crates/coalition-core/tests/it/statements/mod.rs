//! Statements, signed approvals, adoption and the communiqué, as pure rules: races, replays,
//! keys of others, withdrawals, quorum and silence boundaries, key rotation, and what may reach
//! the public.

mod support;

use coalition_core::classification::{Level, Marking, may_read};
use coalition_core::command::{Command, NewCommitment};
use coalition_core::commitment::{
    Category, ClockStart, Commitment, Discretion, Response, ResponseKind, Trigger, TriggerKind,
    Validity,
};
use coalition_core::communique::{Aggregate, communique, compute};
use coalition_core::dates::{Day, Span};
use coalition_core::event::Event;
use coalition_core::id::CommitmentId;
use coalition_core::rejection::Rejection;
use coalition_core::signature::{KeyError, PublicKey};
use coalition_core::statement::{AdoptionRule, PartyStanding, StatementStatus};
use proptest::prelude::*;
use support::{World, adopts, at, key, paragraphs, party, public, sign, statement_id};

const UNANIMITY: AdoptionRule = AdoptionRule::Unanimity;

fn standing(world: &World, statement: &str, code: &str) -> PartyStanding {
    world
        .statement(statement)
        .standings()
        .into_iter()
        .find(|(p, _)| *p == party(code))
        .map(|(_, s)| s)
        .unwrap()
}

// --- versions -------------------------------------------------------------------------------

#[test]
fn an_approval_of_version_n_does_not_count_for_version_n_plus_1() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    assert!(!adopts(&world.approve("macron", "s", 1).unwrap()));
    assert_eq!(world.revise("s"), 2);

    let record = world.statement("s");
    assert_eq!(record.current_approvals(), 0);
    assert_eq!(
        standing(&world, "s", "FRA"),
        PartyStanding::ApprovedOlderVersion { version: 1 }
    );
    assert_eq!(standing(&world, "s", "GBR"), PartyStanding::Pending);

    // GBR alone on version 2 is not unanimity: FRA's approval of version 1 does not count.
    let events = world.approve("starmer", "s", 2).unwrap();
    assert!(!adopts(&events));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);
    assert!(matches!(
        standing(&world, "s", "GBR"),
        PartyStanding::Approved { .. }
    ));

    // FRA approves again, the current version this time: adopted, version 2.
    let events = world.approve("macron", "s", 2).unwrap();
    assert!(adopts(&events));
    assert!(matches!(
        world.statement("s").status,
        StatementStatus::Adopted { version: 2, .. }
    ));
}

#[test]
fn an_approval_racing_a_new_version_is_stale_and_records_nothing() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    // Signed while version 1 was current …
    let signed_on_v1 = world.approval("macron", "s", 1);
    // … and submitted after version 2 was tabled.
    world.revise("s");
    let before = world.history.len();
    assert_eq!(
        world.run("macron", signed_on_v1),
        Err(Rejection::StaleVersion {
            statement: statement_id("s"),
            approved: 1,
            current: 2,
        })
    );
    assert_eq!(world.history.len(), before, "a refusal records nothing");
    assert!(world.statement("s").approvals.is_empty());
}

#[test]
fn approving_a_version_that_does_not_exist_is_refused() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    for version in [0, 2, 7, u32::MAX] {
        assert_eq!(
            world.run("macron", world.approval("macron", "s", version)),
            Err(Rejection::UnknownVersion {
                statement: statement_id("s"),
                version,
                latest: 1,
            }),
            "version {version}"
        );
    }
    assert_eq!(
        world.run("macron", world.approval("macron", "s", 1)).err(),
        None
    );
    assert_eq!(
        world
            .decide("macron", &{
                let mut c = world.approval("macron", "s", 1);
                if let Command::ApproveVersion { statement, .. } = &mut c {
                    *statement = statement_id("nope");
                }
                c
            })
            .unwrap_err(),
        Rejection::UnknownStatement(statement_id("nope"))
    );
}

// --- replays --------------------------------------------------------------------------------

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
                paragraphs: same.clone(),
            },
        );
    }
    assert_eq!(world.content("s-a", 2), world.content("s-b", 2));

    let coalitions = [support::COALITION, "other-coalition"];
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
                                };
                                let genuine = coalition == support::COALITION
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
            id: support::principal_id("rutte"),
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
    };
    assert_eq!(
        world.decide("rutte", &command),
        Err(Rejection::NoKey(support::principal_id("rutte")))
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
            principal: support::principal_id("macron"),
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
            id: support::principal_id("double"),
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

// --- withdrawal and immutability ------------------------------------------------------------

#[test]
fn a_withdrawn_approval_stops_counting() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    world.approve("macron", "s", 1).unwrap();
    // Only the party's leader withdraws; a party that has not approved has nothing to withdraw.
    let withdraw = Command::WithdrawApproval {
        statement: statement_id("s"),
    };
    assert!(matches!(
        world.decide("barrot", &withdraw),
        Err(Rejection::NotAuthorised { .. })
    ));
    assert!(matches!(
        world.decide("starmer", &withdraw),
        Err(Rejection::WrongState { .. })
    ));
    let events = world.must("macron", withdraw.clone());
    assert!(matches!(
        events.as_slice(),
        [Event::ApprovalWithdrawn { version: 1, .. }]
    ));
    assert_eq!(standing(&world, "s", "FRA"), PartyStanding::Pending);

    // GBR's approval would have completed unanimity with FRA's; withdrawn, it does not.
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);
    assert_eq!(world.statement("s").current_approvals(), 1);

    // FRA approves again: adopted.
    assert!(adopts(&world.approve("macron", "s", 1).unwrap()));
}

#[test]
fn a_withdrawn_approval_stops_counting_towards_a_quorum() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR", "DEU"], AdoptionRule::Quorum { k: 2 });
    world.approve("macron", "s", 1).unwrap();
    world.must(
        "macron",
        Command::WithdrawApproval {
            statement: statement_id("s"),
        },
    );
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    assert!(adopts(&world.approve("merz", "s", 1).unwrap()));
}

#[test]
fn an_adopted_statement_is_immutable() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], AdoptionRule::Quorum { k: 1 });
    assert!(adopts(&world.approve("macron", "s", 1).unwrap()));
    let adopted = world.statement("s").clone();
    let s = statement_id("s");
    let adopted_rejection = Err(Rejection::Adopted(s.clone()));

    // Approvals withdrawn after adoption, new approvals, new versions, objections: all refused.
    assert_eq!(
        world.decide(
            "macron",
            &Command::WithdrawApproval {
                statement: s.clone()
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide("starmer", &world.approval("starmer", "s", 1)),
        adopted_rejection
    );
    assert_eq!(
        world.decide(
            "secretariat",
            &Command::ReviseStatement {
                statement: s.clone(),
                paragraphs: paragraphs(&[("Changed after adoption.", Level::Public)]),
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide(
            "starmer",
            &Command::ObjectToStatement {
                statement: s.clone()
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide("secretariat", &Command::ConcludeSilence { statement: s }),
        adopted_rejection
    );
    assert_eq!(*world.statement("s"), adopted);
}

// --- quorum boundaries ----------------------------------------------------------------------

#[test]
fn with_a_quorum_of_k_of_n_k_minus_1_approvals_do_not_adopt_and_the_kth_does() {
    let leaders = ["macron", "starmer", "merz", "meloni", "tusk"];
    let parties = ["FRA", "GBR", "DEU", "ITA", "POL"];
    let mut checked = 0;
    for n in 1..=parties.len() {
        for k in 1..=n {
            let mut world = World::new();
            let rule = AdoptionRule::Quorum {
                k: u16::try_from(k).unwrap(),
            };
            world.draft("s", &parties[..n], rule);
            for leader in &leaders[..k - 1] {
                assert!(
                    !adopts(&world.approve(leader, "s", 1).unwrap()),
                    "{k} of {n}: adopted early"
                );
            }
            assert_eq!(world.statement("s").status, StatementStatus::Draft);
            let events = world.approve(leaders[k - 1], "s", 1).unwrap();
            assert!(
                adopts(&events),
                "{k} of {n}: the k-th approval did not adopt"
            );
            assert!(matches!(
                world.statement("s").status,
                StatementStatus::Adopted { version: 1, .. }
            ));
            // The rest are too late.
            if k < n {
                assert_eq!(
                    world.approve(leaders[k], "s", 1),
                    Err(Rejection::Adopted(statement_id("s")))
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 15);
}

#[test]
fn unanimity_needs_the_last_signatory() {
    let mut world = World::new();
    let parties = ["FRA", "GBR", "DEU", "ITA"];
    world.draft("s", &parties, UNANIMITY);
    for leader in ["macron", "starmer", "merz"] {
        assert!(!adopts(&world.approve(leader, "s", 1).unwrap()));
    }
    // A party approves a version once.
    assert!(matches!(
        world.approve("merz", "s", 1),
        Err(Rejection::WrongState { .. })
    ));
    assert!(adopts(&world.approve("meloni", "s", 1).unwrap()));
}

#[test]
fn a_quorum_counts_approvals_of_the_current_version_only() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR", "DEU"], AdoptionRule::Quorum { k: 2 });
    world.approve("macron", "s", 1).unwrap();
    world.revise("s");
    assert!(!adopts(&world.approve("starmer", "s", 2).unwrap()));
    assert!(adopts(&world.approve("merz", "s", 2).unwrap()));
}

#[test]
fn a_quorum_of_zero_or_above_the_signatories_is_refused_at_drafting() {
    let world = World::new();
    for (k, signatories) in [
        (0, vec!["FRA"]),
        (0, vec!["FRA", "GBR", "DEU"]),
        (2, vec!["FRA"]),
        (4, vec!["FRA", "GBR", "DEU"]),
        (u16::MAX, vec!["FRA", "GBR", "DEU"]),
    ] {
        let answer = world.decide(
            "secretariat",
            &Command::DraftStatement {
                statement: statement_id("s"),
                title: "Quorum".into(),
                signatories: signatories.iter().map(|p| party(p)).collect(),
                rule: AdoptionRule::Quorum { k },
                paragraphs: paragraphs(&[("Text.", Level::Public)]),
            },
        );
        assert!(
            matches!(
                answer,
                Err(Rejection::Invalid {
                    field: "quorum",
                    ..
                })
            ),
            "quorum {k} of {}: {answer:?}",
            signatories.len()
        );
    }
}

#[test]
fn drafting_refuses_unknown_or_repeated_signatories_and_empty_text() {
    let world = World::new();
    let draft = |signatories: &[&str], texts: &[(&str, Level)]| Command::DraftStatement {
        statement: statement_id("s"),
        title: "T".into(),
        signatories: signatories.iter().map(|p| party(p)).collect(),
        rule: UNANIMITY,
        paragraphs: paragraphs(texts),
    };
    let text = [("Text.", Level::Public)];
    assert_eq!(
        world.decide("secretariat", &draft(&["FRA", "NZL"], &text)),
        Err(Rejection::NoSeat(party("NZL")))
    );
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA", "RUS"], &text)),
        Err(Rejection::WrongSeat { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA", "FRA"], &text)),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&[], &text)),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA"], &[])),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA"], &[("  ", Level::Public)])),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("macron", &draft(&["FRA"], &text)),
        Err(Rejection::NotAuthorised { .. })
    ));
}

// --- silence procedure ----------------------------------------------------------------------

fn second_before(t: coalition_core::dates::Timestamp) -> coalition_core::dates::Timestamp {
    coalition_core::dates::Timestamp::from_unix(t.unix() - 1)
}

#[test]
fn silence_is_broken_by_an_objection_before_the_deadline_and_holds_after_it() {
    let deadline = at("2026-01-10T12:00:00Z");
    let rule = AdoptionRule::Silence { deadline };
    let object = Command::ObjectToStatement {
        statement: statement_id("s"),
    };
    let conclude = Command::ConcludeSilence {
        statement: statement_id("s"),
    };

    // No objection: refused a second before the deadline, adopted at it.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    // Approvals do not adopt under silence, even from every signatory.
    assert!(!adopts(&world.approve("macron", "s", 1).unwrap()));
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    world.now = second_before(deadline);
    assert!(matches!(
        world.decide("secretariat", &conclude),
        Err(Rejection::WrongState { .. })
    ));
    world.now = deadline;
    let events = world.must("secretariat", conclude.clone());
    assert!(matches!(
        events.as_slice(),
        [Event::StatementAdopted { version: 1, .. }]
    ));

    // An objection a second before the deadline breaks it for good.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = second_before(deadline);
    assert!(matches!(
        world.decide("sanchez", &object),
        Err(Rejection::NotASignatory { .. })
    ));
    assert!(matches!(
        world.decide("barrot", &object),
        Err(Rejection::NotAuthorised { .. })
    ));
    world.must("starmer", object.clone());
    assert_eq!(standing(&world, "s", "GBR"), PartyStanding::Objected);
    world.now = deadline.plus(Span::days(30));
    assert!(matches!(
        world.decide("secretariat", &conclude),
        Err(Rejection::WrongState { .. })
    ));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);

    // An objection at the deadline is too late; the silence holds.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = deadline;
    assert!(matches!(
        world.decide("starmer", &object),
        Err(Rejection::WrongState { .. })
    ));
    assert!(adopts(&world.must("secretariat", conclude)));
}

#[test]
fn objection_and_conclusion_are_refused_outside_a_silence_procedure() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    for (who, command) in [
        (
            "starmer",
            Command::ObjectToStatement {
                statement: statement_id("s"),
            },
        ),
        (
            "secretariat",
            Command::ConcludeSilence {
                statement: statement_id("s"),
            },
        ),
    ] {
        assert!(matches!(
            world.decide(who, &command),
            Err(Rejection::Invalid { .. })
        ));
    }
}

// --- keys -----------------------------------------------------------------------------------

#[test]
fn after_a_rotation_the_old_key_no_longer_signs_and_earlier_approvals_stand() {
    let mut world = World::new();
    world.draft("before", &["FRA", "GBR"], UNANIMITY);
    world.draft("after", &["FRA", "GBR"], UNANIMITY);
    world.approve("macron", "before", 1).unwrap();
    let old = world.key("macron").clone();

    // Only the secretariat rotates, and only to a new key.
    let rotate = |k: &ed25519_dalek::SigningKey| Command::RegisterKey {
        principal: support::principal_id("macron"),
        key: public(k),
    };
    assert!(matches!(
        world.decide("macron", &rotate(&key(42))),
        Err(Rejection::NotAuthorised { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &rotate(&old)),
        Err(Rejection::WrongState { .. })
    ));
    world.register_key("macron", key(42));

    // The approval given before the rotation still stands.
    assert!(matches!(
        standing(&world, "before", "FRA"),
        PartyStanding::Approved { .. }
    ));
    // A signature with the old key after the rotation is refused …
    let content = world.content("after", 1);
    let with_old = Command::ApproveVersion {
        statement: statement_id("after"),
        version: 1,
        signature: sign(&old, &world.coalition, "after", 1, &content),
        meeting: None,
    };
    assert!(matches!(
        world.decide("macron", &with_old),
        Err(Rejection::BadSignature { .. })
    ));
    // … and the new key signs.
    world.approve("macron", "after", 1).unwrap();
    assert!(adopts(&world.approve("starmer", "before", 1).unwrap()));
}

/// The eight points of small order on edwards25519 (canonical encodings, with the sign bit of x
/// set where x is not zero too), as listed in "Taming the many EdDSAs" (Brendel et al., 2020)
/// and libsodium's blocklist.
const SMALL_ORDER: [&str; 10] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
];

#[test]
fn weak_keys_are_refused_at_registration() {
    use base64::Engine as _;
    for hex_key in SMALL_ORDER {
        let bytes: [u8; 32] = hex::decode(hex_key).unwrap().try_into().unwrap();
        let refused = PublicKey::from_bytes(bytes);
        assert!(
            matches!(refused, Err(KeyError::Weak | KeyError::Invalid)),
            "{hex_key}: {refused:?}"
        );
        let text = base64::engine::general_purpose::STANDARD.encode(bytes);
        assert!(PublicKey::parse(&text).is_err(), "{text}");
        // A key arrives at registration only as a parsed PublicKey: text and JSON both refuse.
        assert!(serde_json::from_value::<PublicKey>(serde_json::json!(text)).is_err());
    }
    // The canonical small-order points decode and are refused as weak, not as malformed.
    for hex_key in &SMALL_ORDER[..8] {
        let bytes: [u8; 32] = hex::decode(hex_key).unwrap().try_into().unwrap();
        assert_eq!(
            PublicKey::from_bytes(bytes),
            Err(KeyError::Weak),
            "{hex_key}"
        );
    }
    // A point off the curve.
    let mut off = [0u8; 32];
    off[0] = 2;
    assert!(PublicKey::from_bytes(off).is_err());
    // An honest key passes.
    assert!(PublicKey::from_bytes(key(1).verifying_key().to_bytes()).is_ok());
}

// --- meetings -------------------------------------------------------------------------------

#[test]
fn an_approval_names_a_recorded_meeting_only() {
    use coalition_core::statement::{Attendance, Meeting, MeetingId};
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    let meeting = MeetingId::parse("paris-summit").unwrap();
    let mut approval = world.approval("macron", "s", 1);
    if let Command::ApproveVersion { meeting: m, .. } = &mut approval {
        *m = Some(meeting.clone());
    }
    assert_eq!(
        world.decide("macron", &approval),
        Err(Rejection::UnknownMeeting(meeting.clone()))
    );
    world.must(
        "secretariat",
        Command::RecordMeeting(Meeting {
            id: meeting.clone(),
            title: "Summit".into(),
            host: party("FRA"),
            place: "Paris".into(),
            day: Day::parse("2026-01-06").unwrap(),
            attendees: vec![
                (support::principal_id("macron"), Attendance::InPerson),
                (support::principal_id("starmer"), Attendance::Remote),
            ],
            agenda: vec![statement_id("s")],
            marking: Marking::public(),
        }),
    );
    world.must("macron", approval);
    let PartyStanding::Approved { approval } = standing(&world, "s", "FRA") else {
        panic!("FRA has not approved");
    };
    assert_eq!(approval.meeting, Some(meeting));
}

// --- communiqué -----------------------------------------------------------------------------

fn commitment(n: usize, guarantor: &str, category: &str, marking: Marking) -> Command {
    let id = CommitmentId::parse(&format!("c{n}")).unwrap();
    Command::AddCommitment(NewCommitment {
        id: Some(id.clone()),
        commitment: Commitment {
            id,
            guarantor: party(guarantor),
            protected: party("UKR"),
            instrument: None,
            category: Category::parse(category).unwrap(),
            what: format!("CANARY-COMMITMENT-{n}"),
            amount: None,
            trigger: Trigger {
                kind: TriggerKind::ArmedAttack,
                aggressor: party("RUS"),
                scope: String::new(),
            },
            discretion: Discretion::Automatic,
            responses: vec![Response {
                kind: ResponseKind::Consult,
                within: Some(Span::hours(24)),
                clock: ClockStart::Verification,
            }],
            validity: Validity {
                from: Some(Day::from_ymd(2026, 1, 1).unwrap()),
                until: None,
            },
            marking,
            illustrative: true,
        },
    })
}

fn marking_strategy() -> impl Strategy<Value = Marking> {
    let releasable = prop_oneof![
        Just(None),
        Just(Some(vec!["FRA", "GBR"])),
        Just(Some(vec!["FRA"])),
        Just(Some(vec!["GBR", "DEU"])),
    ];
    (0..Level::ALL.len(), releasable).prop_map(|(level, releasable)| Marking {
        level: Level::ALL[level],
        originator: None,
        releasable_to: releasable.map(|parties| parties.iter().map(|p| party(p)).collect()),
    })
}

const GUARANTORS: [&str; 5] = ["FRA", "GBR", "DEU", "ITA", "POL"];
const CATEGORIES: [&str; 5] = [
    "military-capabilities",
    "intelligence",
    "logistical-support",
    "diplomatic-initiatives",
    "force-land",
];

/// One step of a random history.
#[derive(Clone, Debug)]
enum Step {
    Commit {
        guarantor: usize,
        category: usize,
        marking: Marking,
    },
    Release(usize),
    Withdraw(usize),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..GUARANTORS.len(), 0..CATEGORIES.len(), marking_strategy()).prop_map(
            |(guarantor, category, marking)| Step::Commit { guarantor, category, marking }
        ),
        1 => (0..8usize).prop_map(Step::Release),
        1 => (0..8usize).prop_map(Step::Withdraw),
    ]
}

fn aggregates() -> Vec<Aggregate> {
    let mut all = Aggregate::standard();
    all.push(Aggregate::GuarantorsCommitted {
        categories: vec![Category::parse("intelligence").unwrap()],
    });
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the markings of paragraphs and commitments, and whatever releases were made, the
    /// communiqué holds PUBLIC paragraphs of adopted statements only, and each figure is either
    /// computed from PUBLIC inputs or the value of a recorded release.
    #[test]
    fn nothing_above_public_reaches_the_communique_without_a_release(
        statements in prop::collection::vec(
            (prop::collection::vec(marking_strategy(), 1..6), any::<bool>()),
            1..4,
        ),
        steps in prop::collection::vec(step_strategy(), 0..14),
    ) {
        let mut world = World::new();
        let mut secret_texts = Vec::new();
        for (s, (markings, adopt)) in statements.iter().enumerate() {
            let id = format!("s{s}");
            let texts: Vec<String> = (0..markings.len())
                .map(|p| format!("CANARY-{s}-{p}-{}", markings[p].level))
                .collect();
            let paragraphs = texts
                .iter()
                .zip(markings)
                .map(|(text, marking)| coalition_core::statement::Paragraph {
                    text: text.clone(),
                    marking: marking.clone(),
                })
                .collect();
            for (text, marking) in texts.iter().zip(markings) {
                if !marking.is_public() {
                    secret_texts.push(text.clone());
                }
            }
            world.draft_with(&id, &["FRA"], UNANIMITY, paragraphs);
            if *adopt {
                prop_assert!(adopts(&world.approve("macron", &id, 1).unwrap()));
            }
        }
        let mut added = 0;
        for step in &steps {
            match step {
                Step::Commit { guarantor, category, marking } => {
                    world.must("secretariat", commitment(
                        added, GUARANTORS[*guarantor], CATEGORIES[*category], marking.clone(),
                    ));
                    added += 1;
                }
                Step::Release(n) => {
                    let all = aggregates();
                    let aggregate = all[n % all.len()].clone();
                    let computed = compute(&world.state, &aggregate);
                    let answer = world.run("secretariat", Command::ReleaseAggregate {
                        aggregate: aggregate.clone(),
                    });
                    // A release is refused exactly when there is nothing to release, or the
                    // secretariat (FRA, TOP SECRET) may not read the figure.
                    let secretariat = world.state.principal(&support::principal_id("secretariat")).unwrap();
                    let readable = may_read(&world.state.viewer_for(secretariat), &computed.marking);
                    prop_assert_eq!(
                        answer.is_ok(),
                        readable && !computed.marking.is_public(),
                        "{:?}", answer
                    );
                }
                Step::Withdraw(n) if added > 0 => {
                    let id = CommitmentId::parse(&format!("c{}", n % added)).unwrap();
                    let _ = world.run("secretariat", Command::WithdrawCommitment {
                        commitment: id, at: None,
                    });
                }
                Step::Withdraw(_) => {}
            }
        }

        let published = communique(&world.state, None);
        for statement in &published.statements {
            let record = world.statement(statement.id.as_str());
            prop_assert!(record.is_adopted());
            for paragraph in &statement.paragraphs {
                prop_assert!(paragraph.marking.is_public(), "{:?}", paragraph);
            }
            let adopted = record.version(statement.version).unwrap();
            let public = adopted.paragraphs.iter().filter(|p| p.marking.is_public()).count();
            prop_assert_eq!(statement.paragraphs.len(), public);
            prop_assert_eq!(statement.withheld_paragraphs, adopted.paragraphs.len() - public);
        }
        let adopted_count = statements.iter().filter(|(_, adopt)| *adopt).count();
        prop_assert_eq!(published.statements.len(), adopted_count);
        for figure in &published.figures {
            let computed = compute(&world.state, &figure.aggregate);
            if figure.released {
                let release = world.state.releases().iter().rev()
                    .find(|r| r.aggregate == figure.aggregate);
                prop_assert!(release.is_some(), "released figure without a release: {:?}", figure);
                let release = release.unwrap();
                prop_assert_eq!(release.value, figure.value);
                prop_assert_eq!(release.of_members, figure.of_members);
            } else {
                prop_assert!(computed.marking.is_public(), "{:?} from {}", figure, computed.marking);
                prop_assert_eq!(computed.value, figure.value);
            }
        }
        // Every standard aggregate is accounted for: published, withheld, or public and zero.
        for aggregate in Aggregate::standard() {
            let computed = compute(&world.state, &aggregate);
            let shown = published.figures.iter().any(|f| f.aggregate == aggregate);
            let released = world.state.releases().iter().any(|r| r.aggregate == aggregate);
            if !computed.marking.is_public() && !released {
                prop_assert!(!shown, "{} shown without a release", aggregate);
            }
        }
        let text = serde_json::to_string(&published).unwrap();
        for secret in &secret_texts {
            prop_assert!(!text.contains(secret.as_str()), "{} reached the communiqué", secret);
        }
        prop_assert!(!text.contains("CANARY-COMMITMENT"));
    }
}

#[test]
fn a_release_needs_a_secretariat_principal_cleared_to_the_aggregates_level() {
    let mut world = World::new();
    let marking = Marking::at(Level::Secret);
    world.must(
        "secretariat",
        commitment(0, "GBR", "force-land", marking.clone()),
    );
    let presence = Aggregate::GuarantorsCommitted {
        categories: ["force-land", "force-sea", "force-air"]
            .iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
    };
    let release = Command::ReleaseAggregate {
        aggregate: presence.clone(),
    };
    // Not published before a release.
    assert!(
        !communique(&world.state, None)
            .figures
            .iter()
            .any(|f| f.aggregate == presence)
    );
    // A leader cleared TOP SECRET is not the secretariat.
    assert!(matches!(
        world.decide("macron", &release),
        Err(Rejection::NotAuthorised { .. })
    ));
    // A secretariat clerk cleared to CONFIDENTIAL may not release a SECRET figure.
    assert_eq!(
        world.decide("clerk", &release),
        Err(Rejection::Clearance {
            principal: support::principal_id("clerk"),
            clearance: Level::Confidential,
            needed: Level::Secret,
        })
    );
    // The secretariat, cleared TOP SECRET, may.
    let events = world.must("secretariat", release);
    let [Event::AggregateReleased { release, .. }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(release.value, 1);
    assert_eq!(release.from_marking, marking);
    let published = communique(&world.state, None);
    let figure = published
        .figures
        .iter()
        .find(|f| f.aggregate == presence)
        .unwrap();
    assert!(figure.released);
    assert_eq!(figure.value, 1);

    // A PUBLIC aggregate needs no release.
    let public_aggregate = Aggregate::GuarantorsCommitted {
        categories: vec![Category::parse("sanctions").unwrap()],
    };
    assert!(matches!(
        world.decide(
            "secretariat",
            &Command::ReleaseAggregate {
                aggregate: public_aggregate
            }
        ),
        Err(Rejection::Invalid { .. })
    ));
}

#[test]
fn a_release_needs_a_secretariat_that_may_read_the_aggregate() {
    // A German secretariat office cleared TOP SECRET may not read a figure releasable to FRA and
    // GBR only; it may not publish it either.
    let mut world = World::new();
    let marking: Marking = "SECRET//REL TO FRA, GBR".parse().unwrap();
    world.must("secretariat", commitment(0, "GBR", "force-land", marking));
    let release = Command::ReleaseAggregate {
        aggregate: Aggregate::GuarantorsCommitted {
            categories: vec![Category::parse("force-land").unwrap()],
        },
    };
    assert!(
        world.decide("bonn-office", &release).is_err(),
        "released by a principal who may not read it"
    );
    assert!(world.decide("secretariat", &release).is_ok());
}
