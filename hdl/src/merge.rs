//! Merging identical modules of emitted Verilog. rust-hdl writes one module per instance, named
//! after its path, so an array of 64 identical lanes becomes 64 modules with the same text under
//! 64 names. Merged into one module, the lane is a single unit that a synthesis run by blocks
//! ([`crate::SynthOptions::blocks`]) maps once and counts 64 times. Two modules merge when their
//! texts are equal after each one's own name is set aside and every child module is named by the
//! module it merged into, so merging works bottom-up through the hierarchy; the first module of
//! each class in file order is kept. The design does not change, only how many modules describe it.

use std::collections::{BTreeMap, HashMap};

use crate::emit::declared_module;

/// Verilog text with its identical modules merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The Verilog, every instantiation naming a kept module.
    pub verilog: String,
    /// Every module of the input and the module it merged into (itself when kept).
    pub kept_as: BTreeMap<String, String>,
}

/// A run of lines of the input: a whole module, or text between modules.
enum Piece<'a> {
    Module { name: &'a str, text: &'a str },
    Other(&'a str),
}

/// Merges the modules of `verilog` that differ only in their own and their children's names (see
/// the module docs). Every module must end with an `endmodule` line of its own, as the emitter
/// and the generated Verilog of this workspace write them.
pub fn merge_identical_modules(verilog: &str) -> Merged {
    let pieces = pieces(verilog);
    let texts: HashMap<&str, &str> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Module { name, text } => Some((*name, *text)),
            Piece::Other(_) => None,
        })
        .collect();
    let mut classes = Classes {
        texts: &texts,
        canonical: HashMap::new(),
        first_of_key: HashMap::new(),
    };
    for piece in &pieces {
        if let Piece::Module { name, .. } = piece {
            classes.canonical_of(name);
        }
    }
    let mut out = String::with_capacity(verilog.len());
    for piece in &pieces {
        match piece {
            Piece::Other(text) => out.push_str(text),
            Piece::Module { name, text } if classes.canonical[name] == *name => {
                out.push_str(&replace_identifiers(text, |id| {
                    classes.canonical.get(id).map(|c| c.to_string())
                }));
            }
            Piece::Module { .. } => {}
        }
    }
    let kept_as = classes
        .canonical
        .iter()
        .map(|(m, c)| (m.to_string(), c.to_string()))
        .collect();
    Merged {
        verilog: out,
        kept_as,
    }
}

/// The classes of identical modules found so far.
struct Classes<'a> {
    texts: &'a HashMap<&'a str, &'a str>,
    /// Each module visited and the module of its class that is kept.
    canonical: HashMap<&'a str, &'a str>,
    /// Each class's text key and its kept module.
    first_of_key: HashMap<String, &'a str>,
}

impl<'a> Classes<'a> {
    /// The kept module of `name`'s class, visiting its children first. Modules are visited in
    /// file order, so the first of a class is the one kept.
    fn canonical_of(&mut self, name: &'a str) -> &'a str {
        if let Some(c) = self.canonical.get(name) {
            return c;
        }
        let text = self.texts[name];
        let children: Vec<&'a str> = identifiers(text)
            .filter(|id| *id != name)
            .filter_map(|id| self.texts.get_key_value(id).map(|(k, _)| *k))
            .collect();
        for child in children {
            self.canonical_of(child);
        }
        let key = replace_identifiers(text, |id| {
            if id == name {
                Some("\u{0}self".to_string())
            } else {
                self.canonical.get(id).map(|c| c.to_string())
            }
        });
        let kept = *self.first_of_key.entry(key).or_insert(name);
        self.canonical.insert(name, kept);
        kept
    }
}

/// Splits `verilog` into modules (from a `module NAME(` line to its `endmodule` line, both
/// included) and the text between them.
fn pieces(verilog: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut open: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in verilog.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start();
        match open {
            None => {
                if let Some(name) = declared_module(body) {
                    if start > at {
                        pieces.push(Piece::Other(&verilog[at..start]));
                    }
                    open = Some((name, start));
                }
            }
            Some((name, begin)) if body.starts_with("endmodule") => {
                pieces.push(Piece::Module {
                    name,
                    text: &verilog[begin..offset],
                });
                at = offset;
                open = None;
            }
            Some(_) => {}
        }
    }
    let rest = open.map_or(at, |(_, begin)| begin);
    if rest < verilog.len() {
        pieces.push(Piece::Other(&verilog[rest..]));
    }
    pieces
}

/// Whether `c` continues a Verilog identifier.
fn identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The identifiers of `text` (maximal runs of identifier characters not starting with a digit or
/// `$`; a based literal's digits such as `hff` of `8'hff` come out too, and match no module).
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !identifier_char(c))
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// `text` with every identifier for which `f` gives a replacement replaced.
fn replace_identifiers(text: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(identifier_char).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !identifier_char(c))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        let replaced = token
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            .then(|| f(token))
            .flatten();
        out.push_str(replaced.as_deref().unwrap_or(token));
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two identical lanes, each with its own copy of an identical register, and a third lane
    /// that differs; a header before the modules.
    const LANES: &str = "\
// header
module unit(clock, a, q);
  unit__lanes__0 lanes__0(
    .clock(clock), .a(a), .q(q[0])
  );
  unit__lanes__1 lanes__1(
    .clock(clock), .a(a), .q(q[1])
  );
  unit__odd odd(
    .clock(clock), .a(a), .q(q[2])
  );
endmodule // unit
module unit__lanes__0(clock, a, q);
  unit__lanes__0__r r(.clock(clock), .d(a), .q(q));
endmodule // unit__lanes__0
module unit__lanes__0__r(clock, d, q);
  always @(posedge clock) q <= d + 8'h1;
endmodule // unit__lanes__0__r
module unit__lanes__1(clock, a, q);
  unit__lanes__1__r r(.clock(clock), .d(a), .q(q));
endmodule // unit__lanes__1
module unit__lanes__1__r(clock, d, q);
  always @(posedge clock) q <= d + 8'h1;
endmodule // unit__lanes__1__r
module unit__odd(clock, a, q);
  always @(posedge clock) q <= a - 8'h1;
endmodule // unit__odd
";

    #[test]
    fn identical_lanes_merge_bottom_up_and_the_first_is_kept() {
        let m = merge_identical_modules(LANES);
        let kept = |name: &str| m.kept_as[name].as_str();
        assert_eq!(kept("unit__lanes__1"), "unit__lanes__0");
        assert_eq!(kept("unit__lanes__1__r"), "unit__lanes__0__r");
        assert_eq!(kept("unit__lanes__0"), "unit__lanes__0");
        assert_eq!(kept("unit__odd"), "unit__odd");
        assert_eq!(m.kept_as.len(), 6);
        assert!(m.verilog.starts_with("// header\nmodule unit(clock"));
        assert!(!m.verilog.contains("unit__lanes__1"), "{}", m.verilog);
        assert_eq!(m.verilog.matches("unit__lanes__0 lanes__").count(), 2);
        assert_eq!(m.verilog.matches("\nmodule ").count(), 4);
        // Merging again changes nothing.
        assert_eq!(merge_identical_modules(&m.verilog).verilog, m.verilog);
    }

    #[test]
    fn modules_differing_in_a_child_do_not_merge() {
        let text = LANES.replace(
            "module unit__lanes__1__r(clock, d, q);\n  always @(posedge clock) q <= d + 8'h1;",
            "module unit__lanes__1__r(clock, d, q);\n  always @(posedge clock) q <= d + 8'h2;",
        );
        let m = merge_identical_modules(&text);
        assert_eq!(m.kept_as["unit__lanes__1"], "unit__lanes__1");
        assert_eq!(m.verilog.matches("\nmodule ").count(), 6);
        assert_eq!(m.verilog, text);
    }
}
