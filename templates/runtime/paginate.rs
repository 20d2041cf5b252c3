//! Paged operations as streams: [`Paginator`] (the pages) and [`Items`]
//! (every item of every page).
//!
//! One generic state machine serves every paged operation; generated code
//! only builds the first request, describes the paging in a static
//! [`PageSpec`] and reads the paging values ([`Found`]) from a decoded page.
//! The paginator works on the runtime's [`Response`] (status, headers, raw
//! body) so it can follow `Link` headers and notice a page sent twice, then
//! decodes the page with the operation's usual typed decoder.
//!
//! Lazy by construction: nothing is sent until the stream is polled, the next
//! page only when the caller asks for more than it has, and there is no
//! background task, so dropping the stream stops fetching.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::link::next_link;
use super::{Client, Error, Request, RequestOptions, Response};

/// How an operation's pages follow each other, fixed at generation time.
#[derive(Debug)]
pub(crate) struct PageSpec {
    pub(crate) style: PageStyle,
    /// The value of [`Found::more`] that means another page follows (`true`
    /// for `has_more`, `false` for `done`).
    pub(crate) more_when: bool,
}

/// The paging values of one page, read from the decoded page by a generated
/// function (the same typed fields the items come from: no second pass over
/// the bytes).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Found {
    /// How many items the page holds (0 when its items field is absent).
    pub(crate) items: usize,
    /// The next cursor (from a field or the last item) or next-page URL.
    pub(crate) next: Option<Scalar>,
    /// The total item count, or the number of pages.
    pub(crate) total: Option<Scalar>,
    /// A `has_more` / `done` flag.
    pub(crate) more: Option<bool>,
}

/// A cursor, a link or a count as the page holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    /// A number, as its text.
    Number(String),
    /// Null, or a value that is neither text nor a number.
    Other,
}

impl Scalar {
    pub(crate) fn number(value: impl fmt::Display) -> Self {
        Scalar::Number(value.to_string())
    }

    /// The value as a cursor: text or a number; `None` for empty text and
    /// anything else (the documented "no next page").
    pub(crate) fn cursor(&self) -> Option<String> {
        match self {
            Scalar::Text(text) if !text.is_empty() => Some(text.clone()),
            Scalar::Number(number) => Some(number.clone()),
            _ => None,
        }
    }

    /// The value as a non-negative integer (totals, page counts).
    pub(crate) fn count(&self) -> Option<u64> {
        match self {
            Scalar::Number(number) => number
                .parse::<u64>()
                .ok()
                .or_else(|| number.parse::<f64>().ok().map(|f| f.max(0.0) as u64)),
            Scalar::Text(text) => text.trim().parse().ok(),
            Scalar::Other => None,
        }
    }
}

impl From<&str> for Scalar {
    fn from(text: &str) -> Self {
        Scalar::Text(text.to_owned())
    }
}

impl From<&serde_json::Value> for Scalar {
    fn from(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::String(text) => Scalar::Text(text.clone()),
            serde_json::Value::Number(number) => Scalar::Number(number.to_string()),
            _ => Scalar::Other,
        }
    }
}

/// How the next page is asked for (parameter names as on the wire).
#[derive(Debug)]
pub(crate) enum PageStyle {
    /// `offset` advances by the items received; `wanted.total` ends it.
    Offset {
        offset: &'static str,
        limit: Option<&'static str>,
    },
    /// `page` counts up from the caller's page (or 1); `wanted.total` holds
    /// the number of pages.
    Page {
        page: &'static str,
        limit: Option<&'static str>,
    },
    /// `start` (inclusive) and `end` (exclusive) move on by the items
    /// received, keeping the window's size; `wanted.total` is the item count.
    Range {
        start: &'static str,
        end: &'static str,
    },
    /// The cursor from `wanted.next` (or from `wanted.in_last_item` of the
    /// last item) goes into `param`.
    Cursor { param: &'static str },
    /// `wanted.next` holds the next page's URL.
    NextUrl,
    /// The `Link: <..>; rel="next"` response header holds it.
    Link,
}

type Sending = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send>>;

enum State {
    /// The next request, not sent yet.
    Ready(Request),
    /// In flight; the request stays as the template of the next page's.
    Sending(Sending, Request),
    /// The error that ends the stream, its next item (a request that could
    /// not be built is sent, and fails, like any other).
    Failed(Error),
    Done,
}

/// The pages of a paged operation, fetched one at a time as the stream is
/// polled: a `Stream<Item = Result<Page, Error>>`.
///
/// Each page is the operation's response model, so totals and other page
/// fields stay visible; [`items`](Self::items) flattens the pages into their
/// items. The stream ends after the documented last page, and after the first
/// error (an [`Error::Api`] on some page, a page that does not decode, or an
/// [`Error::Pagination`] when the server repeats a cursor, a link or a page).
///
/// It owns a clone of the [`Client`] (an `Arc`), so it is `'static` and
/// `Send`; dropping it stops fetching.
pub struct Paginator<P, I> {
    client: Client,
    spec: &'static PageSpec,
    options: RequestOptions,
    state: State,
    items_of: fn(P) -> Vec<I>,
    found_in: fn(&P) -> Found,
    /// Cursors and URLs already requested.
    seen: HashSet<String>,
    /// The previous page's body (shared with it, not copied).
    previous: Option<bytes::Bytes>,
    _page: PhantomData<fn() -> (P, I)>,
}

impl<P, I> Paginator<P, I> {
    pub(crate) fn new(
        client: &Client,
        first: Request,
        spec: &'static PageSpec,
        items_of: fn(P) -> Vec<I>,
        found_in: fn(&P) -> Found,
    ) -> Self {
        Self {
            client: client.clone(),
            spec,
            options: RequestOptions::default(),
            state: State::Ready(first),
            items_of,
            found_in,
            seen: HashSet::new(),
            previous: None,
            _page: PhantomData,
        }
    }

    /// Uses `options` (timeout, retries, headers, credentials, the body's
    /// media type) for the request of every page.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        // The first request was built with the defaults; its body is encoded
        // again when the options ask for another media type (`.form()`).
        if let (Some(media), State::Ready(first)) = (options.media, &mut self.state) {
            first.encode_body_as(media);
        }
        self.options = options;
        self
    }

    /// Every item of every page, in order: a `Stream<Item = Result<I, Error>>`
    /// that asks for the next page only once this one's items are taken.
    pub fn items(self) -> Items<P, I> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<P: DeserializeOwned, I> Paginator<P, I> {
    /// The page in `response`, and what follows it: the next request, `None`
    /// after the last page, or the error that ends the stream after this
    /// page's items (a repeated cursor or link: the page itself is new).
    fn turn(
        &mut self,
        request: Request,
        response: Response,
    ) -> Result<(P, Option<Result<Request, Error>>), Error> {
        let op = request.op.id;
        let fail = |message: String| Error::Pagination {
            operation: op,
            message,
        };
        // The previous body itself, not a hash of it: `Bytes` clones share the
        // buffer, and comparing stops at the first differing byte (a page's
        // `start` or cursor, near its top), where SipHash would read every byte.
        let previous = self.previous.replace(response.body.clone());
        if previous.as_ref() == Some(&response.body) {
            return Err(fail(
                "the server sent the same page twice in a row".to_owned(),
            ));
        }
        let next_link = match self.spec.style {
            PageStyle::Link => next_link(&response.headers),
            _ => None,
        };
        let page = response.json::<P>()?;
        let found = (self.found_in)(&page);
        if self.is_last(&found) {
            return Ok((page, None));
        }
        let next = self.next_request(request, &found, next_link).transpose();
        Ok((page, next))
    }

    /// The request for the page after the one `found` describes, `None` when
    /// the page says it is the last.
    fn next_request(
        &mut self,
        mut request: Request,
        found: &Found,
        next_link: Option<String>,
    ) -> Result<Option<Request>, Error> {
        let op = request.op.id;
        let fail = |message: String| Error::Pagination {
            operation: op,
            message,
        };
        let spec = self.spec;
        let more = match spec.style {
            PageStyle::Offset { offset, limit } => {
                let received = found.items as u64;
                let current = number(&request, offset).unwrap_or(0);
                let next = current.saturating_add(received);
                let short = limit
                    .and_then(|l| number(&request, l))
                    .is_some_and(|limit| received < limit);
                let total = found.total.as_ref().and_then(Scalar::count);
                let past = total.is_some_and(|total| next >= total);
                (!short && !past).then(|| request.set_query(offset, next.to_string()))
            }
            PageStyle::Page { page: param, limit } => {
                let received = found.items as u64;
                let current = number(&request, param).unwrap_or(1);
                let short = limit
                    .and_then(|l| number(&request, l))
                    .is_some_and(|limit| received < limit);
                let pages = found.total.as_ref().and_then(Scalar::count);
                let past = pages.is_some_and(|pages| current >= pages);
                (!short && !past)
                    .then(|| request.set_query(param, current.saturating_add(1).to_string()))
            }
            PageStyle::Range { start, end } => {
                let received = found.items as u64;
                let from = number(&request, start).unwrap_or(0);
                let size = match number(&request, end) {
                    Some(to) if to > from => to - from,
                    _ => received,
                };
                let next = from.saturating_add(received);
                let total = found.total.as_ref().and_then(Scalar::count);
                let past = total.is_some_and(|total| next >= total);
                (!past).then(|| {
                    request.set_query(start, next.to_string());
                    request.set_query(end, next.saturating_add(size).to_string());
                })
            }
            PageStyle::Cursor { param } => match found.next.as_ref().and_then(Scalar::cursor) {
                None => None,
                Some(cursor) => {
                    if let Some(first) = request.query_value(param) {
                        self.seen.insert(first.to_owned());
                    }
                    if !self.seen.insert(cursor.clone()) {
                        return Err(fail(format!(
                            "the server sent the cursor `{}` again",
                            shorten(&cursor)
                        )));
                    }
                    request.set_query(param, cursor);
                    Some(())
                }
            },
            PageStyle::NextUrl | PageStyle::Link => {
                let link = match spec.style {
                    PageStyle::Link => next_link,
                    _ => found.next.as_ref().and_then(Scalar::cursor),
                };
                match link {
                    None => None,
                    Some(link) => {
                        let url = self.follow(&request, &link).map_err(fail)?;
                        request.next_url = Some(url);
                        Some(())
                    }
                }
            }
        };
        Ok(more.map(|()| request))
    }

    /// Whether the page says it is the last one, whatever the style: no
    /// items (an absent items field included), or a "more" flag saying so. An
    /// offset that advanced by nothing would ask for the same page again, so
    /// no items always ends the stream.
    fn is_last(&self, found: &Found) -> bool {
        found.items == 0 || found.more.is_some_and(|more| more != self.spec.more_when)
    }

    /// The next page's URL: `link` resolved against the current request's
    /// URL, refused when it leaves the client's origin (credentials would go
    /// with it) or was followed before.
    fn follow(&mut self, request: &Request, link: &str) -> Result<reqwest::Url, String> {
        let base_url = self.client.base_url();
        let current = request.url(base_url).map_err(|e| e.to_string())?;
        self.seen.insert(current.as_str().to_owned());
        let url = current
            .join(link)
            .map_err(|e| format!("the next-page link is no URL: {e}"))?;
        let origin = reqwest::Url::parse(base_url)
            .map(|base| base.origin())
            .map_err(|e| e.to_string())?;
        if url.origin() != origin {
            // Only the origin is shown: the rest may carry a signature.
            return Err(format!(
                "the next-page link points to another origin ({}); it was not followed",
                url.origin().ascii_serialization()
            ));
        }
        if !self.seen.insert(url.as_str().to_owned()) {
            let shown = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            };
            return Err(format!(
                "the server sent the next-page link `{}` again",
                shorten(&shown)
            ));
        }
        Ok(url)
    }
}

/// A query parameter of `request` as a number.
fn number(request: &Request, name: &str) -> Option<u64> {
    request.query_value(name)?.trim().parse().ok()
}

/// Cursors can be long opaque strings; errors show their start.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

impl<P: DeserializeOwned, I> Stream for Paginator<P, I> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => return Poll::Ready(Some(Err(error))),
                State::Ready(request) => {
                    let client = this.client.clone();
                    let options = this.options.clone();
                    let sent = request.clone();
                    let future: Sending =
                        Box::pin(async move { client.execute(sent, options).await });
                    this.state = State::Sending(future, request);
                }
                State::Sending(mut future, request) => {
                    let outcome = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::Sending(future, request);
                            return Poll::Pending;
                        }
                        Poll::Ready(outcome) => outcome,
                    };
                    let turned = outcome.and_then(|response| this.turn(request, response));
                    return Poll::Ready(Some(turned.map(|(page, next)| {
                        this.state = match next {
                            Some(Ok(next)) => State::Ready(next),
                            Some(Err(error)) => State::Failed(error),
                            None => State::Done,
                        };
                        page
                    })));
                }
            }
        }
    }
}

impl<P, I> fmt::Debug for Paginator<P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(_) => "ready",
            State::Sending(..) => "sending",
            State::Failed(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("spec", &self.spec)
            .field("options", &self.options)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// Every item of every page of a paged operation: a
/// `Stream<Item = Result<I, Error>>` made by [`Paginator::items`]. The next
/// page is fetched only when this page's items are all taken.
pub struct Items<P, I> {
    pages: Paginator<P, I>,
    buffer: std::vec::IntoIter<I>,
}

// Nothing in `Items` is pinned structurally (the in-flight request is boxed), so
// it moves freely whatever the item type: `StreamExt::next` needs no pinning.
impl<P, I> Unpin for Items<P, I> {}

impl<P: DeserializeOwned, I> Stream for Items<P, I> {
    type Item = Result<I, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(page)) => this.buffer = (this.pages.items_of)(page).into_iter(),
            }
        }
    }
}

impl<P, I> fmt::Debug for Items<P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{HttpMethod, OperationInfo};

    static OP: OperationInfo = OperationInfo {
        id: "list",
        group: "g",
        method: HttpMethod::Get,
        path_template: "/items",
        body_media: &[],
        security: &[],
        accept: "application/json",
    };

    static LINKED: PageSpec = PageSpec {
        style: PageStyle::Link,
        more_when: true,
    };

    fn paginator(base: &str) -> Paginator<serde_json::Value, serde_json::Value> {
        let client = Client::builder().base_url(base).build().unwrap();
        let request = Request::new(&OP, "/items".into());
        Paginator::new(
            &client,
            request,
            &LINKED,
            |page| vec![page],
            |_| Found::default(),
        )
    }

    #[test]
    fn scalars_as_cursors_and_counts() {
        assert_eq!(Scalar::from("c1").cursor().as_deref(), Some("c1"));
        assert_eq!(Scalar::from("").cursor(), None);
        assert_eq!(Scalar::number(12).cursor().as_deref(), Some("12"));
        assert_eq!(Scalar::from(&serde_json::Value::Null).cursor(), None);
        assert_eq!(Scalar::from(&serde_json::json!(7)).count(), Some(7));
        assert_eq!(Scalar::number(7.0).count(), Some(7));
        assert_eq!(Scalar::number(-3).count(), Some(0));
        assert_eq!(Scalar::from("x").count(), None);
    }

    #[test]
    fn links_resolve_against_the_request_and_keep_the_origin() {
        let mut p = paginator("http://127.0.0.1:9/api");
        let request = Request::new(&OP, "/items".into());
        let url = p.follow(&request, "?page=2").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/api/items?page=2");
        let url = p.follow(&request, "/api/items?page=3").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/api/items?page=3");
        let again = p.follow(&request, "/api/items?page=3").unwrap_err();
        assert!(again.contains("again"), "{again}");
        for foreign in [
            "http://127.0.0.2:9/api/items?page=4",
            "https://127.0.0.1:9/api/items",
            "http://127.0.0.1:10/api/items",
            "//evil.example/items?token=x",
        ] {
            let error = p.follow(&request, foreign).unwrap_err();
            assert!(error.contains("another origin"), "{foreign}: {error}");
            assert!(!error.contains("token=x"), "{error}");
        }
    }

    #[test]
    fn streams_are_send_static_and_unpin() {
        fn check<T: Send + Unpin + 'static>(_: &T) {}
        let p = paginator("http://127.0.0.1:9");
        check(&p);
        check(&p.items());
    }
}
