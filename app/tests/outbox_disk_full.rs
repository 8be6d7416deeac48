//! A full disk on a real file: the disk under the app's SQLCipher outbox is full when the
//! pharmacist sends, so the write of the finished report really fails. The case must stay on
//! screen with its draft (in the state and in the file), the screen must say "Niet opgeslagen —
//! bel Veilig Thuis: 0800-2000", and once there is room again the same report is stored.
//!
//! The full disk is a small tmpfs mounted for the test (root); where mounting is refused, the
//! kernel's file-size limit (`RLIMIT_FSIZE`) refuses the write instead. Either way SQLite gets a
//! real error from a real `write(2)`. One test in this binary: the limit is per process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Utc;
use masker19::state::{Action, Effect, Screen};
use masker19::store::Store;

mod common;
mod walk;

type R = Result<(), Box<dyn std::error::Error>>;

/// A directory on a file system that can be made full.
enum Disk {
    Tmpfs(PathBuf),
    FileSizeLimit(PathBuf),
}

impl Disk {
    fn new(dir: &Path) -> Disk {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            Disk::Tmpfs(dir.to_path_buf())
        } else {
            eprintln!("mount refused: the file-size limit makes the disk full instead");
            Disk::FileSizeLimit(dir.to_path_buf())
        }
    }

    fn filler(&self) -> PathBuf {
        match self {
            Disk::Tmpfs(d) | Disk::FileSizeLimit(d) => d.join("filler"),
        }
    }

    /// No byte more can be written.
    fn fill(&self) -> std::io::Result<()> {
        match self {
            Disk::Tmpfs(_) => {
                let mut f = std::fs::File::create(self.filler())?;
                let block = vec![0u8; 64 * 1024];
                loop {
                    match f.write(&block) {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                        Err(e) => return Err(e),
                    }
                }
                // The last partial blocks too.
                while f.write(&[0u8]).is_ok_and(|n| n == 1) {}
                let _ = f.sync_all();
                Ok(())
            }
            Disk::FileSizeLimit(_) => set_file_size_limit(0),
        }
    }

    fn free(&self) -> std::io::Result<()> {
        match self {
            Disk::Tmpfs(_) => std::fs::remove_file(self.filler()),
            Disk::FileSizeLimit(_) => set_file_size_limit(libc::RLIM_INFINITY),
        }
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        match self {
            Disk::Tmpfs(d) => {
                let _ = Command::new("umount").arg(&*d).status();
            }
            Disk::FileSizeLimit(_) => {
                let _ = set_file_size_limit(libc::RLIM_INFINITY);
            }
        }
    }
}

/// Files may not grow past `bytes` (a write beyond gives `EFBIG`, the signal is ignored).
fn set_file_size_limit(bytes: libc::rlim_t) -> std::io::Result<()> {
    // SAFETY: plain libc calls with valid arguments; SIGXFSZ ignored so that the write fails
    // with EFBIG instead of ending the process.
    let rc = unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let lim = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: libc::RLIM_INFINITY,
        };
        libc::setrlimit(libc::RLIMIT_FSIZE, &lim)
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[test]
fn a_full_disk_keeps_the_case_and_says_it_is_not_stored() -> R {
    let tmp = tempfile::tempdir()?;
    let disk = Disk::new(tmp.path());
    let store = Store::open_dir(&tmp.path().join("app"), false)?;

    let mut state = walk::at_review(true);
    let flow = state.flow.clone().ok_or("a case at its review")?;
    let id = flow.draft.id;
    store.save_draft(&flow, Utc::now())?; // as the runtime does on every change
    let effects = state.update(Action::Submit(Utc::now()));
    let [Effect::Enqueue(report)] = &effects[..] else {
        return Err(format!("Versturen writes the outbox: {effects:?}").into());
    };

    // The WAL is emptied, so the next write needs new blocks; then the disk is made full.
    store.checkpoint()?;
    disk.fill()?;
    let action = masker19::app::enqueue(&store, report, Utc::now());
    assert_eq!(action, Action::EnqueueFailed(id), "the write really failed");
    state.update(action);

    assert_eq!(state.screen, Screen::Procedure, "the case stays on screen");
    assert_eq!(state.flow.as_ref().map(|f| f.draft.id), Some(id), "the flow is kept");
    let html = common::render(state.clone());
    assert!(
        html.contains("Niet opgeslagen — bel Veilig Thuis: 0800-2000"),
        "the screen says so: {html}"
    );
    assert!(html.contains("id=\"btn-submit\""), "and Versturen can be tapped again");
    assert!(store.outbox()?.is_empty(), "nothing half-written in the outbox");
    assert_eq!(
        store.load_draft()?.map(|f| f.draft.id),
        Some(id),
        "the draft is still in the file"
    );

    // Room again: the same report is stored, the draft goes, the case is done.
    disk.free()?;
    let action = masker19::app::enqueue(&store, report, Utc::now());
    assert_eq!(action, Action::Enqueued(id));
    state.update(action);
    assert_eq!(state.screen, Screen::Submitted(id));
    assert!(state.flow.is_none() && !state.not_stored);
    assert_eq!(store.outbox()?.len(), 1);
    assert_eq!(store.load_draft()?, None);
    drop(store);
    Ok(())
}
