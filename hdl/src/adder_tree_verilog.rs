//! Verilog body of [`crate::AdderTree`] (DESIGN.md section 4), written from its [`Plan`]: one
//! named node per tree node, `s<level>_<index>`, each exactly as wide as its values, with the
//! registers the plan places and a valid shift register of the same length as the latency.

use std::fmt::Write;

use crate::adder_tree::Plan;

/// The module body (ports are declared by rust-hdl: `clock`, `in_valid`, `in_data`, `out_valid`,
/// `out_sum`).
pub(crate) fn body(plan: &Plan) -> String {
    let mut v = String::new();
    let mut init = Vec::new();
    let mut seq = Vec::new();
    for (d, &count) in plan.counts.iter().enumerate() {
        let msb = plan.width + d - 1;
        for j in 0..count {
            let name = format!("s{d}_{j}");
            let expr = node_expr(plan, d, j);
            if plan.registered[d] {
                let _ = writeln!(v, "reg signed [{msb}:0] {name};");
                init.push(format!("{name} = {}'d0;", msb + 1));
                seq.push(format!("{name} <= {expr};"));
            } else {
                let _ = writeln!(v, "wire signed [{msb}:0] {name} = {expr};");
            }
        }
    }
    let latency = plan.latency();
    for i in 1..=latency {
        let _ = writeln!(v, "reg valid_{i};");
        init.push(format!("valid_{i} = 1'b0;"));
        seq.push(format!(
            "valid_{i} <= {};",
            if i == 1 {
                "in_valid".to_string()
            } else {
                format!("valid_{}", i - 1)
            }
        ));
    }
    let last = plan.counts.len() - 1;
    let _ = writeln!(v, "initial begin\n    {}\nend", init.join("\n    "));
    let _ = writeln!(
        v,
        "always @(posedge clock) begin\n    {}\nend",
        seq.join("\n    ")
    );
    let _ = writeln!(
        v,
        "always @(*) begin\n    out_sum = s{last}_0;\n    out_valid = valid_{latency};\nend"
    );
    v
}

/// The value of node `j` of level `d`: a lane of `in_data`, or the sign-extended sum of two
/// children (one child passes through alone at the end of an odd level).
fn node_expr(plan: &Plan, d: usize, j: usize) -> String {
    let w = plan.width;
    if d == 0 {
        return if w == 1 {
            format!("in_data[{j}]")
        } else {
            format!("in_data[{}:{}]", j * w + w - 1, j * w)
        };
    }
    let child_msb = w + d - 2;
    let extend = |c: usize| format!("$signed({{s{p}_{c}[{child_msb}], s{p}_{c}}})", p = d - 1);
    if 2 * j + 1 < plan.counts[d - 1] {
        format!("{} + {}", extend(2 * j), extend(2 * j + 1))
    } else {
        extend(2 * j)
    }
}
