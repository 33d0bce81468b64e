//! A thin layer over quick-xml's writer for the documents this crate writes: elements with
//! attributes, text and children, indented, into memory (which cannot fail to be written).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

/// A document being written.
pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
}

/// The result of writing into memory: only an I/O error of the sink, which a `Vec` never has.
type Written = std::io::Result<()>;

impl Xml {
    /// A new UTF-8 document with its declaration.
    pub(crate) fn new() -> Xml {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Writing into a Vec cannot fail.
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Xml { writer }
    }

    /// `<name attrs…>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Written {
        self.writer
            .create_element(name)
            .with_attributes(attrs.iter().copied())
            .write_text_content(BytesText::new(&clean(text)))?;
        Ok(())
    }

    /// `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Written {
        self.writer
            .create_element(name)
            .with_attributes(attrs.iter().copied())
            .write_empty()?;
        Ok(())
    }

    /// `<name attrs…>children</name>`.
    pub(crate) fn node(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        children: impl FnOnce(&mut Xml) -> Written,
    ) -> Written {
        self.writer.write_event(Event::Start(
            quick_xml::events::BytesStart::new(name).with_attributes(attrs.iter().copied()),
        ))?;
        children(self)?;
        self.writer
            .write_event(Event::End(quick_xml::events::BytesEnd::new(name)))?;
        Ok(())
    }

    /// The document's text.
    pub(crate) fn finish(self) -> String {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        // quick-xml writes the UTF-8 it was given.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Text as XML 1.0 may carry it: characters it forbids (most C0 controls) become U+FFFD, so a
/// stray control character in a record cannot make a document no parser will read.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(forbidden) {
        text.replace(forbidden, "\u{FFFD}").into()
    } else {
        text.into()
    }
}
