//! Issue 9 in the rules (docs/threat-model.md, "Writes see through the actor's gate"): a command
//! names only what its actor may read, and a marking it gives is neither contradictory nor one
//! the actor could not read back.

use coalition_core::Rejection;
use coalition_core::classification::{Level, Marking};
use coalition_core::commitment::ResponseKind::Consult;

use crate::support::*;

/// SECRET, released to France only.
fn french_secret() -> Marking {
    Marking {
        level: Level::Secret,
        originator: Some(party("FRA")),
        releasable_to: Some([party("FRA")].into_iter().collect()),
    }
}

#[test]
fn an_obligation_the_actor_may_not_read_is_refused_as_one_that_does_not_exist() {
    let scenario = Scenario::new()
        .given(pledge("fra", "FRA").marked(french_secret()))
        .given(attack("INC-1", "2026-05-31T03:00:00Z"))
        .given(verify("INC-1"))
        .now("2026-07-01T00:00:00Z");
    let hidden = scenario.obligation_id("INC-1", "fra", Consult);
    let refusal = |id: &str| {
        let message = std::cell::RefCell::new(None);
        scenario
            .clone()
            .when(fulfil(id, "starmer", "2026-06-01T13:00:00Z"))
            .then_rejected_with(|r| {
                *message.borrow_mut() = Some((r.code(), r.to_string().replace(id, "ID")));
                matches!(r, Rejection::UnknownObligation(_))
            });
        message.into_inner().expect("refused")
    };
    assert_eq!(refusal(&hidden), refusal("OB-NONE"));
    // The same obligation, named by a principal who may read it, is found.
    scenario
        .when(fulfil(&hidden, "macron", "2026-06-01T13:00:00Z"))
        .then_accepted();
}

#[test]
fn a_public_marking_with_a_releasability_list_is_refused() {
    let contradictory = Marking {
        releasable_to: Some([party("FRA")].into_iter().collect()),
        ..Marking::public()
    };
    Scenario::new()
        .when(pledge("fra", "FRA").marked(contradictory))
        .then_rejected_with(|r| {
            matches!(r, Rejection::Invalid { field: "classification", problem }
                if problem.contains("releasable to everyone"))
        });
}

#[test]
fn a_principal_records_only_at_markings_it_may_read() {
    // The French secretariat may not record what is released to Germany alone.
    let german = Marking {
        level: Level::Confidential,
        originator: Some(party("DEU")),
        releasable_to: Some([party("DEU")].into_iter().collect()),
    };
    Scenario::new()
        .when(pledge("deu", "DEU").marked(german))
        .then_rejected_with(|r| {
            matches!(r, Rejection::Invalid { field: "classification", problem }
                if problem.contains("may not read"))
        });
}

/// Channel 10: `Gate::statement` handed out the whole record, every paragraph in it. It now
/// hands out a view whose versions hold only what the viewer may read, and the view still
/// checks against the signed content hash.
#[test]
fn the_gate_hands_out_statements_without_what_the_viewer_may_not_read() {
    use coalition_core::classification::Viewer;
    use coalition_core::disclosure::Gate;
    use coalition_core::statement::{AdoptionRule, check_version};

    let mut world = World::new();
    world.draft_with(
        "s",
        &["FRA"],
        AdoptionRule::Unanimity,
        crate::fixture::paragraphs(&[
            ("Public text.", Level::Public),
            ("Secret text.", Level::Secret),
        ]),
    );
    let id = crate::fixture::statement_id("s");
    let whole = Gate::new(&world.state, &Viewer::Custodian)
        .statement(&id)
        .unwrap();
    assert_eq!(whole.versions[0].paragraphs.len(), 2);
    let public = Gate::new(&world.state, &Viewer::Public)
        .statement(&id)
        .unwrap();
    let version = &public.versions[0];
    assert_eq!(version.paragraphs.len(), 1);
    assert_eq!(version.openings.len(), 1);
    assert!(version.paragraphs.iter().all(|p| p.marking.is_public()));
    assert_eq!(version.content, whole.versions[0].content);
    assert_eq!(check_version(version), Ok(()));
    let listed: Vec<_> = Gate::new(&world.state, &Viewer::Public)
        .statements()
        .collect();
    assert!(listed.iter().all(|s| {
        s.versions
            .iter()
            .all(|v| v.paragraphs.iter().all(|p| p.marking.is_public()))
    }));
}
