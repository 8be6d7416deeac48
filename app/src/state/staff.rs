//! The pharmacy team: adding and removing members (the "Team" screen) and "Wie bent u?" on the
//! reporter step, which fills the reporter's name, role, direct number and "bereikbaar tot" in
//! one tap.

use meldcode::dates::Reachable;
use meldcode::flow::Step;
use meldcode::staff::{StaffMember, StaffProblem};
use meldcode::{Disclosure, ReporterRole};

use super::{AppState, Effect};

/// The form for a new team member.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffForm {
    pub name: String,
    pub role: Option<ReporterRole>,
    pub phone: String,
    pub reachable: Reachable,
    pub problems: Vec<StaffProblem>,
    /// Members added so far: each one gets fresh, empty fields.
    pub added: u32,
}

impl AppState {
    pub(super) fn add_staff(&mut self) -> Vec<Effect> {
        let f = &mut self.staff_form;
        match meldcode::staff::member(&f.name, f.role, &f.phone, f.reachable, &self.staff) {
            Ok(m) => {
                self.staff.push(m);
                let added = f.added + 1;
                *f = StaffForm {
                    added,
                    ..StaffForm::default()
                };
                vec![Effect::SaveStaff(self.staff.clone())]
            }
            Err(p) => {
                f.problems = p;
                vec![]
            }
        }
    }

    pub(super) fn remove_staff(&mut self, i: usize) -> Vec<Effect> {
        if i >= self.staff.len() {
            return vec![];
        }
        self.staff.remove(i);
        vec![Effect::SaveStaff(self.staff.clone())]
    }

    /// "Wie bent u?": member `i` is the reporter; the step moves on when it is complete.
    pub(super) fn pick_staff(&mut self, i: usize) -> Vec<Effect> {
        let Some(m) = self.staff.get(i).cloned() else {
            return vec![];
        };
        let (now, closing) = (self.now, self.closing);
        let Some(flow) = self.flow.as_mut() else { return vec![] };
        if flow.current() != Step::Reporter {
            return vec![];
        }
        fill_reporter(flow, &m, now, closing);
        self.fields_drawn += 1;
        if flow.next(now).is_ok() {
            self.problems.clear();
        }
        self.save()
    }
}

fn fill_reporter(
    flow: &mut meldcode::Flow,
    m: &StaffMember,
    now: chrono::DateTime<chrono::Utc>,
    closing: chrono::NaiveTime,
) {
    let d = &mut flow.draft;
    d.reporter_name = m.name.clone();
    d.reporter_role = Some(m.role);
    d.reporter_phone = m.phone.clone();
    d.reachable_until = m.reachable_until(now, closing);
    d.disclosure = Some(Disclosure::Open);
}
