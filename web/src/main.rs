//! Entry point of the trunk build: mounts the dashboard on the page body.
fn main() {
    phase7_web::embed::mount_page();
}
