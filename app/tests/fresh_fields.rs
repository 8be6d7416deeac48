//! A wrong PIN (unlock, delete, discard) leaves an empty field for the next attempt. The PIN
//! fields are uncontrolled (so fast typing loses nothing), so only a new element clears what was
//! typed. Dioxus honours a `key` only on a block's first node, so a key deeper in a template
//! re-creates nothing. These tests diff the real VirtualDom after a second wrong attempt, when
//! the error is already shown: the only change left to make is the new field.

use std::cell::Cell;

use dioxus::core::{Mutation, Mutations};
use dioxus::prelude::*;
use masker19::state::{Action, AppState};
use masker19::store::LocalState;
use meldcode::{Kind, Lang};

mod common;
use common::{Root, RootView, STATE, enrolled, entry, submitted_screen};

/// Render `state`, apply `actions` twice, and return the edits of the second time.
fn edits_of_a_second_attempt(state: AppState, actions: &[Action]) -> Vec<Mutation> {
    let mut dom = VirtualDom::new_with_props(RootView, Root { state });
    dom.rebuild_in_place();
    let mut edits = Mutations::default();
    for _ in 0..2 {
        let mut signal = STATE.with(Cell::get).expect("the root view ran");
        dom.in_runtime(|| {
            for action in actions {
                signal.write().update(action.clone());
            }
        });
        edits = Mutations::default();
        dom.render_immediate(&mut edits);
    }
    edits.edits
}

fn replaces_a_node(edits: &[Mutation]) -> bool {
    edits
        .iter()
        .any(|m| matches!(m, Mutation::ReplaceWith { .. } | Mutation::Remove { .. }))
}

#[test]
fn a_wrong_unlock_pin_leaves_a_new_empty_field() {
    let mut s = enrolled(Lang::Nl);
    s.update(Action::Hide);
    let edits = edits_of_a_second_attempt(
        s,
        &[Action::UnlockInput("0000".into()), Action::Unlock(chrono::Utc::now())],
    );
    assert!(replaces_a_node(&edits), "the field is made anew: {edits:?}");
}

#[test]
fn a_wrong_delete_pin_leaves_a_new_empty_field() {
    let e = entry(LocalState::Rejected, Kind::Melding, 0);
    let id = e.id;
    let mut s = submitted_screen(e);
    s.update(Action::AskDelete(id));
    let edits = edits_of_a_second_attempt(s, &[Action::DeletePinInput("0000".into()), Action::ConfirmDelete]);
    assert!(replaces_a_node(&edits), "the field is made anew: {edits:?}");
}

#[test]
fn a_wrong_discard_pin_leaves_a_new_empty_field() {
    let mut s = common::in_flow();
    s.update(Action::Go(masker19::state::Screen::Home));
    s.update(Action::AskDiscard);
    let edits = edits_of_a_second_attempt(s, &[Action::DiscardPinInput("0000".into()), Action::ConfirmDiscard]);
    assert!(replaces_a_node(&edits), "the field is made anew: {edits:?}");
}
