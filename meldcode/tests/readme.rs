//! The README's step table is generated from the step table in code, and kept in sync.
//!
//! Regenerate: `UPDATE_README=1 cargo test -p meldcode --test readme`.

use meldcode::flow::step_table_markdown;

const BEGIN: &str = "<!-- steps:begin -->";
const END: &str = "<!-- steps:end -->";
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");

/// The README with `table` between the markers; a README without them gets a section appended.
fn with_table(readme: &str, table: &str) -> String {
    let section = format!("{BEGIN}\n{table}{END}");
    match (readme.find(BEGIN), readme.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{section}{}", &readme[..b], &readme[e + END.len()..])
        }
        _ => {
            let sep = if readme.is_empty() || readme.ends_with("\n\n") {
                ""
            } else if readme.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{readme}{sep}## De stappen (step table)\n\n{section}\n")
        }
    }
}

#[test]
fn readme_shows_the_generated_step_table() {
    let table = step_table_markdown();
    let readme = std::fs::read_to_string(README).unwrap_or_default();
    let wanted = with_table(&readme, &table);
    if readme == wanted {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some_and(|v| v == "1") {
        std::fs::write(README, &wanted).expect("README.md is writable");
        return;
    }
    panic!(
        "README.md does not show the current step table between {BEGIN} and {END}.\n\
         Regenerate it with `UPDATE_README=1 cargo test -p meldcode --test readme`. The table:\n\n{table}"
    );
}

#[test]
fn replacing_keeps_everything_outside_the_markers() {
    let readme = format!("# Title\n\nintro\n\n{BEGIN}\nold\n{END}\n\n## After\n");
    assert_eq!(
        with_table(&readme, "new\n"),
        format!("# Title\n\nintro\n\n{BEGIN}\nnew\n{END}\n\n## After\n")
    );
    assert_eq!(
        with_table("", "t\n"),
        format!("## De stappen (step table)\n\n{BEGIN}\nt\n{END}\n")
    );
}
