//! Signing keys: rotation and weak keys.

use coalition_core::command::Command;
use coalition_core::rejection::Rejection;
use coalition_core::signature::{KeyError, PublicKey};
use coalition_core::statement::PartyStanding;

use super::{UNANIMITY, standing};
use crate::fixture::{self, World, adopts, key, public, sign, statement_id};

#[test]
fn after_a_rotation_the_old_key_no_longer_signs_and_earlier_approvals_stand() {
    let mut world = World::new();
    world.draft("before", &["FRA", "GBR"], UNANIMITY);
    world.draft("after", &["FRA", "GBR"], UNANIMITY);
    world.approve("macron", "before", 1).unwrap();
    let old = world.key("macron").clone();

    // Only the secretariat rotates, and only to a new key.
    let rotate = |k: &ed25519_dalek::SigningKey| Command::RegisterKey {
        principal: fixture::principal_id("macron"),
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
        at: None,
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
