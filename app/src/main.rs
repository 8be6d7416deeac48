//! The pharmacy app. A skeleton until its own issue builds the Dioxus client.

fn main() {
    println!(
        "masker19: de apotheek-app volgt; gebruik nu de server-API ({} regio's bekend).",
        meldcode::regions::latest().regions().count()
    );
}
