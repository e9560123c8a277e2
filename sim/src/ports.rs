//! Port list of a Verilog module (the harness's view of DESIGN.md section 3, rung 2): name,
//! direction, width and signedness of every port of the top module, read from the Verilog text in
//! header order. Both rust-hdl's non-ANSI headers (`module top(a,b); input wire [7:0] a; ...`) and
//! ANSI headers (`module top(input wire [7:0] a, ...)`) are understood; parameterised widths are not.

use crate::error::{Error, Result};

/// Which way a port points, seen from the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Driven by the harness.
    Input,
    /// Read by the harness.
    Output,
}

/// One port of the top module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortInfo {
    /// Verilog name.
    pub name: String,
    /// Input or output.
    pub direction: Direction,
    /// Bits, `|msb - lsb| + 1`.
    pub width: u32,
    /// Declared `signed`: values read back are sign-extended.
    pub signed: bool,
}

/// Reads the ports of module `top` from `verilog`, in header order.
pub fn parse_ports(verilog: &str, top: &str) -> Result<Vec<PortInfo>> {
    let bad = |why: String| Error::Parse {
        top: top.into(),
        why,
    };
    let text = strip_comments(verilog);
    let (header, body) =
        find_module(&text, top).ok_or_else(|| bad("no such module in the Verilog text".into()))?;
    let pieces: Vec<&str> = header
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let ansi = pieces.first().is_some_and(|p| starts_with_direction(p));
    let ports = if ansi {
        let mut ports = Vec::new();
        for piece in pieces {
            if starts_with_direction(piece) {
                ports.extend(parse_decl(piece).map_err(bad)?);
            } else if let Some(last) = ports.last().cloned() {
                ports.push(PortInfo {
                    name: piece.into(),
                    ..last
                });
            }
        }
        ports
    } else {
        let mut decls = Vec::new();
        for stmt in body
            .split(';')
            .map(str::trim)
            .filter(|s| starts_with_direction(s))
        {
            decls.extend(parse_decl(stmt).map_err(bad)?);
        }
        pieces
            .iter()
            .map(|name| {
                decls
                    .iter()
                    .find(|d| d.name == *name)
                    .cloned()
                    .ok_or_else(|| bad(format!("port '{name}' is never declared")))
            })
            .collect::<Result<Vec<_>>>()?
    };
    if ports.is_empty() {
        return Err(bad("has no ports".into()));
    }
    Ok(ports)
}

/// Removes `//` and `/* */` comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('/') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("//") {
            rest = tail.find('\n').map_or("", |j| &tail[j..]);
        } else if let Some(inner) = tail.strip_prefix("/*") {
            rest = inner.find("*/").map_or("", |j| &inner[j + 2..]);
        } else {
            out.push('/');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The port list and body of `module top`.
fn find_module<'a>(text: &'a str, top: &str) -> Option<(&'a str, &'a str)> {
    let mut search = 0;
    while let Some(i) = text[search..].find("module") {
        let at = search + i;
        search = at + "module".len();
        let before_ok = at == 0 || text[..at].ends_with(|c: char| c.is_whitespace() || c == ';');
        let rest = &text[search..];
        if !before_ok || !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let rest = rest.trim_start();
        let Some(after) = rest.strip_prefix(top) else {
            continue;
        };
        let after = after.trim_start();
        if !after.starts_with('(') {
            continue;
        }
        let close = after.find(')')?;
        let body_start = after[close..].find(';')? + close + 1;
        let body = &after[body_start..];
        let body = &body[..body.find("endmodule").unwrap_or(body.len())];
        return Some((&after[1..close], body));
    }
    None
}

fn starts_with_direction(s: &str) -> bool {
    ["input", "output", "inout"].iter().any(|d| {
        s.strip_prefix(d)
            .is_some_and(|r| r.starts_with(char::is_whitespace))
    })
}

/// Parses `input wire signed [7:0] a, b` into one port per name.
fn parse_decl(decl: &str) -> std::result::Result<Vec<PortInfo>, String> {
    let direction = if decl.starts_with("input") {
        Direction::Input
    } else if decl.starts_with("output") {
        Direction::Output
    } else {
        return Err(format!("inout ports are not supported: '{decl}'"));
    };
    let (width, rest) = match (decl.find('['), decl.find(']')) {
        (Some(open), Some(close)) if open < close => {
            let range = &decl[open + 1..close];
            let (msb, lsb) = range
                .split_once(':')
                .ok_or_else(|| format!("bad range '[{range}]'"))?;
            let num = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("width '[{range}]' is not a number"))
            };
            (
                (num(msb)? - num(lsb)?).unsigned_abs() as u32 + 1,
                &decl[close + 1..],
            )
        }
        _ => (1, decl),
    };
    let head = &decl[..decl.len() - rest.len()];
    let words: Vec<&str> = rest.split_whitespace().collect();
    let signed = head
        .split_whitespace()
        .chain(words.iter().copied())
        .any(|w| w == "signed");
    let keywords = ["input", "output", "wire", "reg", "logic", "signed"];
    let names = words
        .iter()
        .filter(|w| !keywords.contains(w))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| PortInfo {
            name: name.into(),
            direction,
            width,
            signed,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, direction: Direction, width: u32, signed: bool) -> PortInfo {
        PortInfo {
            name: name.into(),
            direction,
            width,
            signed,
        }
    }

    #[test]
    fn rust_hdl_non_ansi_header() {
        let v = "// x\nmodule other(a); input wire a; endmodule\n\nmodule tree(clock,in_data,out_sum);\n    \
                 // Module arguments\n    input wire  clock;\n    input wire  [575:0] in_data;\n    \
                 output reg  signed [14:0] out_sum;\n    wire x;\nendmodule // tree\n";
        let ports = parse_ports(v, "tree").unwrap();
        assert_eq!(
            ports,
            vec![
                p("clock", Direction::Input, 1, false),
                p("in_data", Direction::Input, 576, false),
                p("out_sum", Direction::Output, 15, true)
            ]
        );
    }

    #[test]
    fn ansi_header_with_shared_declarations() {
        let v = "module m (input wire clk, rst, /* c */ input [0:3] a, output reg signed [63:0] y);\nendmodule";
        let ports = parse_ports(v, "m").unwrap();
        assert_eq!(ports[1], p("rst", Direction::Input, 1, false));
        assert_eq!(ports[2], p("a", Direction::Input, 4, false));
        assert_eq!(ports[3], p("y", Direction::Output, 64, true));
    }

    #[test]
    fn errors_name_the_problem() {
        let e = parse_ports("module a(x); input wire x; endmodule", "b")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "module 'b': no such module in the Verilog text");
        let e = parse_ports("module a(x, y); input wire x; endmodule", "a")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "module 'a': port 'y' is never declared");
        let e = parse_ports("module a(x); input wire [W-1:0] x; endmodule", "a")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "module 'a': width '[W-1:0]' is not a number");
        // A module whose name is a prefix of another is not confused with it.
        assert!(parse_ports("module ab(x); input wire x; endmodule", "a").is_err());
    }
}
