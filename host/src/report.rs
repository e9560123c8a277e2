//! The one-line form of an error chain. Many errors already quote their source in their own
//! message (`"{path}: {source}"`), so printing every link would say the same thing twice; a link
//! whose text the line already holds is left out.

/// The chain of `e` joined by `": "`, each part once.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for part in e.chain().map(|c| c.to_string()) {
        if part.is_empty() || line.contains(&part) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&part);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[derive(Debug, thiserror::Error)]
    #[error("not a file path")]
    struct Inner;

    #[derive(Debug, thiserror::Error)]
    #[error("adir: {0}")]
    struct Quoting(#[source] Inner);

    #[test]
    fn a_source_quoted_by_its_wrapper_is_printed_once() {
        let e = anyhow::Error::new(Quoting(Inner));
        assert_eq!(format!("{e:#}"), "adir: not a file path: not a file path");
        assert_eq!(one_line(&e), "adir: not a file path");
    }

    #[test]
    fn distinct_context_parts_are_all_kept() {
        let e = anyhow::Error::new(Inner).context("reading m.mmf");
        assert_eq!(one_line(&e), "reading m.mmf: not a file path");
    }
}
