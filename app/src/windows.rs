//! Windows only. The program is a GUI program, so no console window opens beside the app; its
//! command line (enrolment, `--sync`) still answers on the console it was started from: when
//! the standard handles lead nowhere, attach to the parent's console. Started from the Start
//! menu there is none and nothing happens; redirected to a file or a pipe the handles are kept.

use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE, STD_OUTPUT_HANDLE,
};

fn missing(which: STD_HANDLE) -> bool {
    // SAFETY: GetStdHandle only reads the process's standard handle table.
    let h: HANDLE = unsafe { GetStdHandle(which) };
    h.is_null() || h == INVALID_HANDLE_VALUE
}

/// Attach to the console of the process that started this one, if its output has nowhere to go.
pub fn attach_parent_console() {
    if missing(STD_OUTPUT_HANDLE) || missing(STD_ERROR_HANDLE) {
        // SAFETY: no arguments but a constant; a failure (no parent console) changes nothing.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}
