//! Document wording the centre can edit: a small line-based text format (directives, `{fields}`, `**bold**`, `.если` blocks) checked before anything is drawn, so a mistake gives a Russian message naming the line instead of a broken PDF.
//!
//! The format is documented for staff in `assets/templates/README.md`.

use std::collections::BTreeMap;

use super::{Align, Block, Para, Span};
use crate::error::{CoreError, Result};

/// Field values of one document, by field name (`centre.short_name`).
pub type Fields = BTreeMap<&'static str, String>;

/// What a document kind offers its template: fields (name, meaning) and inserts (name, meaning).
pub struct Schema {
    pub kind: &'static str,
    pub fields: Vec<(&'static str, &'static str)>,
    pub inserts: &'static [(&'static str, &'static str)],
}

#[derive(Debug, Clone, PartialEq)]
enum Style {
    Heading,
    Centre,
    Right,
    Left,
    Para,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text {
        style: Style,
        text: String,
    },
    CityDate {
        left: String,
        right: String,
    },
    Space(f32),
    Insert(String),
    PageBreak,
    If {
        field: String,
        negate: bool,
        body: Vec<Node>,
    },
}

/// A checked template, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

fn err(kind: &str, line: usize, msg: impl AsRef<str>) -> CoreError {
    CoreError::field("template", format!("Шаблон «{kind}», строка {line}: {}", msg.as_ref()))
}

/// Checks `{field}` references and `**` pairs of one line of text.
fn check_text(schema: &Schema, line: usize, text: &str) -> Result<()> {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(err(schema.kind, line, "лишняя закрывающая скобка «}»"));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            err(
                schema.kind,
                line,
                "не закрыта фигурная скобка «{»: поле пишется как {centre.short_name}",
            )
        })?;
        let name = after[..close].trim();
        if !schema.fields.iter().any(|(f, _)| *f == name) {
            return Err(err(
                schema.kind,
                line,
                format!("неизвестное поле {{{name}}}; допустимые поля перечислены в README шаблонов"),
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

impl Template {
    /// Parses and checks a template against the fields and inserts of its document kind.
    pub fn parse(schema: &Schema, source: &str) -> Result<Template> {
        // Stack of open `.если` blocks: (line, field, negate, nodes before it).
        let mut stack: Vec<(usize, String, bool, Vec<Node>)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut open_text = false;
        for (i, raw) in source.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim();
            if line.starts_with('#') {
                continue;
            }
            if line.is_empty() {
                open_text = false;
                continue;
            }
            if !line.starts_with('.') {
                check_text(schema, n, line)?;
                match nodes.last_mut() {
                    Some(Node::Text { text, .. }) if open_text => {
                        text.push(' ');
                        text.push_str(line);
                        continue;
                    }
                    _ => {
                        return Err(err(
                            schema.kind,
                            n,
                            "текст вне абзаца: начните абзац строкой «.абзац ...»",
                        ))
                    }
                }
            }
            let (directive, arg) = line.split_once(' ').map_or((line, ""), |(d, a)| (d, a.trim()));
            open_text = false;
            let text = |style: Style| -> Result<Node> {
                check_text(schema, n, arg)?;
                Ok(Node::Text {
                    style,
                    text: arg.to_owned(),
                })
            };
            let node = match directive {
                ".заголовок" => text(Style::Heading)?,
                ".по-центру" => text(Style::Centre)?,
                ".справа" => text(Style::Right)?,
                ".слева" => text(Style::Left)?,
                ".абзац" => text(Style::Para)?,
                ".город-дата" => {
                    check_text(schema, n, arg)?;
                    let (l, r) = arg.split_once('|').ok_or_else(|| {
                        err(
                            schema.kind,
                            n,
                            "«.город-дата» ждёт две части через «|»: {centre.city} | {date}",
                        )
                    })?;
                    Node::CityDate {
                        left: l.trim().into(),
                        right: r.trim().into(),
                    }
                }
                ".отступ" => {
                    let pt: f32 = arg
                        .replace(',', ".")
                        .parse()
                        .ok()
                        .filter(|v: &f32| (0.0..=200.0).contains(v))
                        .ok_or_else(|| {
                            err(
                                schema.kind,
                                n,
                                format!("«.отступ» ждёт число пунктов от 0 до 200, а не «{arg}»"),
                            )
                        })?;
                    Node::Space(pt)
                }
                ".вставка" => {
                    if !schema.inserts.iter().any(|(k, _)| *k == arg) {
                        let known: Vec<&str> = schema.inserts.iter().map(|(k, _)| *k).collect();
                        return Err(err(
                            schema.kind,
                            n,
                            format!(
                                "неизвестная вставка «{arg}»; в этом документе есть: {}",
                                known.join(", ")
                            ),
                        ));
                    }
                    Node::Insert(arg.into())
                }
                ".новая-страница" => Node::PageBreak,
                ".если" => {
                    let (negate, field) = match arg.strip_prefix("не ") {
                        Some(f) => (true, f.trim()),
                        None => (false, arg),
                    };
                    if !schema.fields.iter().any(|(f, _)| *f == field) {
                        return Err(err(
                            schema.kind,
                            n,
                            format!("«.если» ссылается на неизвестное поле «{field}»"),
                        ));
                    }
                    stack.push((n, field.into(), negate, std::mem::take(&mut nodes)));
                    continue;
                }
                ".конец" => {
                    let (_, field, negate, outer) = stack
                        .pop()
                        .ok_or_else(|| err(schema.kind, n, "«.конец» без открывающего «.если»"))?;
                    let body = std::mem::replace(&mut nodes, outer);
                    nodes.push(Node::If { field, negate, body });
                    continue;
                }
                other => {
                    return Err(err(
                        schema.kind,
                        n,
                        format!("неизвестная команда «{other}»; команды перечислены в README шаблонов"),
                    ))
                }
            };
            open_text = matches!(node, Node::Text { .. });
            nodes.push(node);
        }
        if let Some((line, field, ..)) = stack.pop() {
            return Err(err(
                schema.kind,
                line,
                format!("«.если {field}» не закрыт строкой «.конец»"),
            ));
        }
        let t = Template { nodes };
        t.check_bold(schema)?;
        Ok(t)
    }

    fn check_bold(&self, schema: &Schema) -> Result<()> {
        fn walk(nodes: &[Node]) -> bool {
            nodes.iter().all(|n| match n {
                Node::Text { text, .. } => text.matches("**").count() % 2 == 0,
                Node::If { body, .. } => walk(body),
                _ => true,
            })
        }
        if walk(&self.nodes) {
            Ok(())
        } else {
            Err(CoreError::field(
                "template",
                format!(
                    "Шаблон «{}»: жирный текст не закрыт — «**» должны идти парами",
                    schema.kind
                ),
            ))
        }
    }

    /// The blocks of the document: fields filled in, inserts produced by `insert`.
    pub fn render(&self, fields: &Fields, insert: &mut dyn FnMut(&str) -> Vec<Block>) -> Vec<Block> {
        let mut out = Vec::new();
        render_nodes(&self.nodes, fields, insert, &mut out);
        out
    }
}

fn fill(text: &str, fields: &Fields) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        out.push_str(fields.get(after[..close].trim()).map_or("", String::as_str));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// `**bold**` markers into spans.
fn spans(text: &str) -> Vec<Span> {
    text.split("**")
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| Span {
            text: t.to_owned(),
            bold: i % 2 == 1,
        })
        .collect()
}

fn render_nodes(nodes: &[Node], fields: &Fields, insert: &mut dyn FnMut(&str) -> Vec<Block>, out: &mut Vec<Block>) {
    for node in nodes {
        match node {
            Node::Text { style, text } => {
                let s = spans(&fill(text, fields));
                out.push(Block::Para(match style {
                    Style::Heading => {
                        let bold = s.into_iter().map(|sp| Span::bold(sp.text)).collect();
                        Para::new(Align::Centre, bold).size(13.0).spacing(6.0, 2.0).heading()
                    }
                    Style::Centre => Para::new(Align::Centre, s),
                    Style::Right => Para::new(Align::Right, s),
                    Style::Left => Para::new(Align::Left, s),
                    Style::Para => Para::new(Align::Justify, s).indent(12.5),
                }));
            }
            Node::CityDate { left, right } => out.push(Block::LeftRight {
                left: fill(left, fields),
                right: fill(right, fields),
                size: 12.0,
            }),
            Node::Space(pt) => out.push(Block::Space(*pt)),
            Node::Insert(name) => out.extend(insert(name)),
            Node::PageBreak => out.push(Block::PageBreak),
            Node::If { field, negate, body } => {
                let set = fields.get(field.as_str()).is_some_and(|v| !v.trim().is_empty());
                if set != *negate {
                    render_nodes(body, fields, insert, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema {
            kind: "акт",
            fields: vec![("act.number", "номер"), ("service.complex", "комплексная")],
            inserts: &[("подписи", "подписи сторон")],
        }
    }

    #[test]
    fn renders_fields_bold_and_conditions() {
        let src = "# комментарий\n.заголовок АКТ № {act.number}\n.абзац Первая строка\nи **продолжение**.\n\n.если service.complex\n.абзац Отчётность.\n.конец\n.вставка подписи\n";
        let t = Template::parse(&schema(), src).unwrap();
        let mut f = Fields::new();
        f.insert("act.number", "7".into());
        let blocks = t.render(&f, &mut |_| vec![Block::Space(1.0)]);
        assert_eq!(blocks.len(), 3, "the condition is false: {blocks:?}");
        let Block::Para(p) = &blocks[1] else { panic!() };
        assert_eq!(p.spans[1], Span::bold("продолжение"));
        f.insert("service.complex", "да".into());
        assert_eq!(t.render(&f, &mut |_| vec![]).len(), 3);
    }

    #[test]
    fn mistakes_name_the_line_in_russian() {
        let cases = [
            (".абзац {act.nuber}", "строка 1: неизвестное поле {act.nuber}"),
            ("\n.абзац {act.number", "строка 2: не закрыта фигурная скобка"),
            (".таблица", "строка 1: неизвестная команда «.таблица»"),
            (".вставка итоги", "строка 1: неизвестная вставка «итоги»"),
            ("просто текст", "строка 1: текст вне абзаца"),
            (
                "\n\n.если service.complex\n.абзац а",
                "строка 3: «.если service.complex» не закрыт",
            ),
            (".конец", "строка 1: «.конец» без открывающего"),
            (".абзац **жирный", "«**» должны идти парами"),
            (".отступ много", "строка 1: «.отступ» ждёт число"),
        ];
        for (src, msg) in cases {
            let e = Template::parse(&schema(), src).unwrap_err();
            assert!(e.message.contains(msg), "{src:?}: {}", e.message);
            assert_eq!(e.field.as_deref(), Some("template"));
        }
    }
}
