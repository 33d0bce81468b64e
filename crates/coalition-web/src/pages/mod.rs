//! The pages: one module per family, each handler visitor → one `Reader` → views → template.
//! [`Chrome`] is what every page wraps its content in (title, navigation, the language switch,
//! sign-out, the overall marking banner).

pub(crate) mod assets;
pub(crate) mod auth;
pub(crate) mod commitments;
pub(crate) mod dashboard;
pub(crate) mod forms;
pub(crate) mod incidents;
pub(crate) mod public;
pub(crate) mod record;
pub(crate) mod statements;
pub(crate) mod support;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coalition_core::classification::{Level, Marking};
use coalition_core::id::{CoalitionId, Id, IdKind};

use crate::error::{WebError, urlencode};
use crate::i18n::{Lang, Tr};
use crate::visitor::Visitor;

/// A marking as a page shows it, NATO-style: the banner text (`SECRET//REL TO FRA, GBR, UKR`),
/// the portion mark before a paragraph (`(S//REL TO FRA, GBR, UKR)`) and a class for colour.
#[derive(Clone, Debug)]
pub(crate) struct Mark {
    pub(crate) text: String,
    pub(crate) portion: String,
    pub(crate) class: &'static str,
}

impl Mark {
    pub(crate) fn of(marking: &Marking) -> Mark {
        let (short, class) = match marking.level {
            Level::Public => ("PU", "m-public"),
            Level::Unclassified => ("U", "m-unclassified"),
            Level::Restricted => ("R", "m-restricted"),
            Level::Confidential => ("C", "m-confidential"),
            Level::Secret => ("S", "m-secret"),
            Level::TopSecret => ("TS", "m-top-secret"),
        };
        let text = marking.to_string();
        let portion = match text.split_once("//") {
            Some((_, rel)) => format!("({short}//{rel})"),
            None => format!("({short})"),
        };
        Mark {
            text,
            portion,
            class,
        }
    }
}

/// The overall marking of a page: the least marking covering everything shown on it.
#[derive(Default)]
pub(crate) struct Banner(Option<Marking>);

impl Banner {
    pub(crate) fn add(&mut self, marking: &Marking) {
        self.0 = Some(match &self.0 {
            None => marking.clone(),
            Some(so_far) => so_far.join(marking),
        });
    }

    fn mark(self) -> Mark {
        Mark::of(&self.0.unwrap_or_else(Marking::public))
    }
}

/// A link of the navigation.
pub(crate) struct NavLink {
    pub(crate) href: String,
    pub(crate) label: String,
    pub(crate) current: bool,
}

/// What every page wraps its content in.
pub(crate) struct Chrome {
    pub(crate) t: Tr,
    pub(crate) title: String,
    pub(crate) nav: Vec<NavLink>,
    pub(crate) languages: Vec<NavLink>,
    /// Who is signed in, as the header shows it.
    pub(crate) user: Option<String>,
    pub(crate) csrf: String,
    pub(crate) banner: Mark,
    /// The live region reloads from this URL's events (dashboard, incident pages).
    pub(crate) live: Option<String>,
}

impl Chrome {
    /// A page outside any coalition (errors, sign-in, the list of coalitions).
    pub(crate) fn bare(t: Tr, title: &str) -> Chrome {
        Chrome {
            t,
            title: title.to_owned(),
            nav: Vec::new(),
            languages: languages(t, "/"),
            user: None,
            csrf: String::new(),
            banner: Mark::of(&Marking::public()),
            live: None,
        }
    }

    /// A page of `coalition` for this visitor, `section` being the navigation entry it is under.
    pub(crate) fn new(
        visitor: &Visitor,
        coalition: &CoalitionId,
        section: &str,
        title: String,
        banner: Banner,
    ) -> Chrome {
        let t = visitor.t;
        let base = format!("/c/{coalition}");
        let mut nav = Vec::new();
        if visitor.signed_in.is_some() {
            for (key, href) in [
                ("nav-dashboard", base.clone()),
                ("nav-commitments", format!("{base}/commitments")),
                ("nav-incidents", format!("{base}/incidents")),
                ("nav-statements", format!("{base}/statements")),
                ("nav-parties", format!("{base}/parties")),
                ("nav-support", format!("{base}/support")),
                ("nav-due", format!("{base}/due")),
                ("nav-record", format!("{base}/record")),
            ] {
                nav.push(NavLink {
                    current: key == section,
                    label: t.get(key),
                    href,
                });
            }
        }
        nav.push(NavLink {
            current: section == "nav-public",
            label: t.get("nav-public"),
            href: format!("{base}/public"),
        });
        Chrome {
            t,
            title,
            nav,
            languages: languages(t, &visitor.here),
            user: visitor
                .signed_in
                .as_ref()
                .map(|s| s.token.principal.to_string()),
            csrf: visitor.csrf(),
            banner: banner.mark(),
            live: None,
        }
    }

    /// The page updates its live region when the reader's log grows.
    pub(crate) fn live(mut self, coalition: &CoalitionId) -> Chrome {
        self.live = Some(format!("/c/{coalition}/live"));
        self
    }
}

fn languages(t: Tr, here: &str) -> Vec<NavLink> {
    Lang::ALL
        .into_iter()
        .map(|lang| NavLink {
            href: format!("/lang/{}?back={}", lang.tag(), urlencode(here)),
            label: lang.autonym().to_owned(),
            current: lang == t.lang,
        })
        .collect()
}

/// A template rendered as an HTML answer.
pub(crate) fn render<T: askama::Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            html,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, "a template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A page with a form, answered 400 when the form came back with faults.
pub(crate) fn render_form<T: askama::Template>(page: &T, failed: bool) -> Response {
    let mut response = render(page);
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// A coalition id from the path; one that does not parse is a page that does not exist.
pub(crate) fn coalition(text: &str) -> Result<CoalitionId, WebError> {
    id(text)
}

/// An id from the path; one that does not parse is a page that does not exist.
pub(crate) fn id<K: IdKind>(text: &str) -> Result<Id<K>, WebError> {
    Id::parse(text).map_err(|_| WebError::NotFound)
}

/// A redirect after a form was taken (303: the browser then GETs the page).
pub(crate) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The coalition of a page's path and the reader of this visitor (signed in for it), now or as
/// the world stood at `at`.
pub(crate) async fn open(
    web: &crate::Web,
    visitor: &Visitor,
    c: &str,
    at: Option<coalition_core::dates::Timestamp>,
) -> Result<(CoalitionId, coalition_app::Reader), WebError> {
    let c = coalition(c)?;
    let reader = visitor.reader(web, &c, at).await?;
    Ok((c, reader))
}
