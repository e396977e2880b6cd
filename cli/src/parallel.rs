//! Plans on every core, results in input order: the one place where `phase7 batch` runs
//! work on several threads (both modes, [`crate::batch`] and [`crate::plans`]).
//!
//! The calling thread coordinates: it produces items in order (reads lines, names plan
//! folders), hands them to `threads` worker threads through a bounded channel, and
//! passes the results to `consume` strictly in the order the items were produced,
//! through a reorder buffer. Everything the caller sees — output lines, summary.csv
//! rows, progress, error messages, the exit code — happens in `consume`, on the calling
//! thread, in input order, so the output is the same bytes as with one thread.
//!
//! Memory stays flat: at most [`Window::items`] items are between `produce` and
//! `consume` at any time (queued, being worked on, or finished and waiting for an
//! earlier one), and an item is handed to the workers only if the items in flight and it
//! weigh at most [`Window::bytes`] together, or if none is in flight (so that one item
//! larger than the budget still goes through, alone). Until then it waits, produced, and
//! nothing more is produced: the weight in flight never exceeds the budget or the
//! heaviest item, whatever the number of threads. A slow item therefore stops the reading
//! after a window, never lets the reorder buffer grow.
//!
//! Errors keep their place: an error from `produce` (a read failure, a limit) is returned
//! after every item produced before it has been consumed; an error from `consume` (a
//! write failure) stops everything at once. Exactly as in a sequential loop.
//!
//! Why the standard library and no crate: `std::thread::scope` lets the workers borrow
//! the options and the output folder (no `Arc`, no `'static`), and
//! `std::sync::mpsc::sync_channel` is the bounded queue. rayon does not fit an ordered
//! stream: its indexed parallel iterators want the whole input as a collection (the
//! input would be read into memory), and `par_bridge` gives up the order (the same
//! reorder buffer and window would be needed anyway). crossbeam-channel's receiver can
//! be shared by the workers, which saves the `Mutex` around ours; that lock is held only
//! while a worker takes the next item — nanoseconds against a plan's microseconds.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// How far the coordinator may read ahead of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Most items in flight (at least 1).
    pub items: usize,
    /// Most weight in flight: an item that would take the items in flight past it waits
    /// until they have made room (an item heavier than this goes alone).
    pub bytes: usize,
}

impl Window {
    /// A window of `per_thread` items for each of `threads` threads and a weight budget.
    pub fn new(threads: usize, per_thread: usize, bytes: usize) -> Window {
        Window {
            items: threads.saturating_mul(per_thread).max(1),
            bytes,
        }
    }
}

/// The weight budget of both batch modes (lines' bytes with `--jsonl`, plan files' sizes
/// otherwise): the default `--max-input-bytes`. A plan's peak memory is a multiple of its
/// input's size (docs/formats.md, "Cost"), so the plans being worked on cost together
/// about what one plan at the limit does, on 2 threads as on 64: plans near the limit
/// run one at a time (the next one waiting, produced), plans of ordinary size (a few KB)
/// fill every thread.
pub const IN_FLIGHT_BYTES: usize = 16 << 20;

/// What `produce` gives: the next item and its weight (in bytes), or `None` at the end.
pub type Next<T> = Option<(T, usize)>;

/// Stack size of a worker: the main thread's default on Linux, so that whatever runs on
/// the main thread with `--jobs 1` also runs on a worker (the memory is reserved, not
/// used, until touched).
const WORKER_STACK: usize = 8 << 20;

/// Runs `work` on every item `produce` gives (`Ok(Some((item, weight)))`, `Ok(None)` at
/// the end) on `threads` worker threads, and hands each result to `consume` in the order
/// of the items. With `threads <= 1` (or when no thread can be started) it is a plain
/// loop on the calling thread: produce, work, consume, one item at a time.
///
/// # Errors
///
/// The first error of `produce`, after every item produced before it was consumed; or
/// the first error of `consume`, at once.
///
/// # Panics
///
/// A panic in `work` is carried to the calling thread and resumed there, when its result
/// would have been consumed (the workers are joined first).
pub fn map_in_order<T, R, E>(
    threads: usize,
    window: Window,
    mut produce: impl FnMut() -> Result<Next<T>, E>,
    work: impl Fn(T) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    if threads <= 1 {
        return sequential(produce, &work, consume);
    }
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, T)>(window.items);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, thread::Result<R>)>(window.items);
    // One receiver shared by the workers: whoever is free takes the next item, so a slow
    // plan holds up one worker, not a share of the input.
    let job_rx = Mutex::new(job_rx);
    let work = &work;
    thread::scope(|s| {
        let mut started = 0;
        for n in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            let spawned = thread::Builder::new()
                .name(format!("phase7-worker-{n}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, move || loop {
                    let job = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((index, item)) = job else {
                        break; // The coordinator is done.
                    };
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    if done_tx.send((index, result)).is_err() {
                        break; // The coordinator stopped early.
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                Err(_) => break, // Use the threads there are.
            }
        }
        drop(done_tx);
        if started == 0 {
            drop(job_tx);
            return sequential(produce, work, consume);
        }
        coordinate(window, job_tx, done_rx, &mut produce, &mut consume)
        // Leaving the scope drops `job_tx` (in `coordinate`) and joins the workers: each
        // finishes at most the item it holds.
    })
}

fn sequential<T, R, E>(
    mut produce: impl FnMut() -> Result<Next<T>, E>,
    work: &impl Fn(T) -> R,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    while let Some((item, _)) = produce()? {
        consume(work(item))?;
    }
    Ok(())
}

/// The coordinator's loop: fill the window, take one result, consume every result that
/// is next in order; until nothing is in flight and nothing more is produced.
fn coordinate<T, R, E>(
    window: Window,
    job_tx: SyncSender<(usize, T)>,
    done_rx: Receiver<(usize, thread::Result<R>)>,
    produce: &mut impl FnMut() -> Result<Next<T>, E>,
    consume: &mut impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    // The items in flight, oldest first: each one's weight and, once done, its result.
    let mut slots: VecDeque<(usize, Option<thread::Result<R>>)> = VecDeque::new();
    let mut first = 0usize; // The index of `slots[0]`.
    let mut weight = 0usize;
    let mut stopped: Option<E> = None;
    let mut ended = false;
    // An item produced but not yet handed over: it would take the weight in flight past
    // the budget. It goes first, once the items before it have made room (or are done).
    let mut held: Option<(T, usize)> = None;
    loop {
        loop {
            if held.is_none() && !ended && stopped.is_none() && slots.len() < window.items {
                match produce() {
                    Ok(Some(next)) => held = Some(next),
                    Ok(None) => ended = true,
                    Err(e) => stopped = Some(e),
                }
            }
            let fits = |w: usize| slots.is_empty() || weight.saturating_add(w) <= window.bytes;
            match held.take() {
                Some((item, w)) if fits(w) => {
                    // Never blocks: the channel holds `window.items` and fewer are in
                    // flight. Never fails: the receiver outlives this function.
                    job_tx
                        .send((first + slots.len(), item))
                        .expect("the job queue outlives the coordinator");
                    slots.push_back((w, None));
                    weight = weight.saturating_add(w);
                }
                other => {
                    held = other;
                    break;
                }
            }
        }
        if slots.is_empty() {
            break;
        }
        // Every worker runs until `job_tx` is dropped, and at least one was started, so
        // an item in flight always comes back.
        let (index, result) = done_rx.recv().expect("the workers outlive the coordinator");
        if let Some(slot) = index.checked_sub(first).and_then(|i| slots.get_mut(i)) {
            slot.1 = Some(result);
        }
        while matches!(slots.front(), Some((_, Some(_)))) {
            let Some((w, Some(result))) = slots.pop_front() else {
                break;
            };
            first += 1;
            weight = weight.saturating_sub(w);
            match result {
                Ok(r) => consume(r)?,
                Err(payload) => panic::resume_unwind(payload),
            }
        }
    }
    stopped.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Squares 0..n on `threads` threads; items with `i % 7 == 0` take longer, so results
    /// come back out of order.
    fn squares(threads: usize, n: usize, window: Window) -> Vec<usize> {
        let mut next = 0;
        let mut out = Vec::new();
        map_in_order::<usize, usize, ()>(
            threads,
            window,
            || {
                next += 1;
                Ok((next <= n).then_some((next - 1, 1)))
            },
            |i| {
                if i % 7 == 0 {
                    thread::sleep(Duration::from_millis(2));
                }
                i * i
            },
            |r| {
                out.push(r);
                Ok(())
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn results_come_in_input_order_whatever_the_threads() {
        let expected: Vec<usize> = (0..200).map(|i| i * i).collect();
        for threads in [1, 2, 3, 8] {
            for items in [1, 2, 5, 64] {
                let w = Window {
                    items,
                    bytes: usize::MAX,
                };
                assert_eq!(squares(threads, 200, w), expected, "{threads} {items}");
            }
        }
        assert!(squares(4, 0, Window::new(4, 4, 1)).is_empty());
    }

    #[test]
    fn never_more_than_the_window_in_flight() {
        // Produced and not yet consumed: those handed over, and one that waits for room.
        for (items, bytes, weight, most) in [(3, usize::MAX, 1, 3), (100, 10, 4, 3), (5, 1, 9, 2)] {
            let in_flight = AtomicUsize::new(0);
            let peak = AtomicUsize::new(0);
            let mut n = 0;
            map_in_order::<(), (), ()>(
                4,
                Window { items, bytes },
                || {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    n += 1;
                    Ok((n <= 100).then_some(((), weight)))
                },
                |()| thread::sleep(Duration::from_micros(200)),
                |()| {
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                },
            )
            .unwrap();
            // The call that found the end counted one that never came.
            assert_eq!(
                peak.load(Ordering::SeqCst),
                most,
                "{items} {bytes} {weight}"
            );
        }
    }

    #[test]
    fn the_weight_being_worked_on_stays_within_the_budget() {
        // Items of mixed weights, some over the budget: the weight inside `work` at any
        // moment is at most the budget, or one item's alone.
        let weights: Vec<usize> = (0..300).map(|i| [1, 3, 7, 12, 2, 30][i % 6]).collect();
        for threads in [2, 4, 8] {
            let working = AtomicUsize::new(0);
            let alone = AtomicUsize::new(0);
            let mut next = 0;
            let mut out = Vec::new();
            map_in_order::<usize, usize, ()>(
                threads,
                Window::new(threads, 4, 10),
                || {
                    next += 1;
                    Ok(weights.get(next - 1).map(|&w| (w, w)))
                },
                |w| {
                    let now = working.fetch_add(w, Ordering::SeqCst) + w;
                    assert!(now <= 10 || now == w, "{now} in work with {w}");
                    if now == w && w > 10 {
                        alone.fetch_add(1, Ordering::SeqCst);
                    }
                    thread::sleep(Duration::from_micros(100));
                    working.fetch_sub(w, Ordering::SeqCst);
                    w
                },
                |w| {
                    out.push(w);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(out, weights, "{threads}");
            assert_eq!(alone.load(Ordering::SeqCst), 100, "{threads}");
        }
    }

    #[test]
    fn a_produce_error_comes_after_every_earlier_result() {
        for threads in [1, 4] {
            let mut next = 0;
            let mut out = Vec::new();
            let r = map_in_order(
                threads,
                Window::new(threads, 4, usize::MAX),
                || {
                    next += 1;
                    if next == 50 {
                        Err("read failed at 49")
                    } else {
                        Ok(Some((next - 1, 1)))
                    }
                },
                |i: usize| i + 1,
                |r| {
                    out.push(r);
                    Ok(())
                },
            );
            assert_eq!(r, Err("read failed at 49"));
            assert_eq!(out, (1..50).collect::<Vec<_>>(), "{threads}");
        }
    }

    #[test]
    fn a_consume_error_stops_at_once() {
        for threads in [1, 4] {
            let mut next = 0usize;
            let mut out = Vec::new();
            let r = map_in_order(
                threads,
                Window::new(threads, 4, usize::MAX),
                || {
                    next += 1;
                    Ok(Some((next - 1, 1)))
                },
                |i: usize| i,
                |r| {
                    if r == 10 {
                        return Err("write failed at 10");
                    }
                    out.push(r);
                    Ok(())
                },
            );
            assert_eq!(r, Err("write failed at 10"));
            assert_eq!(out, (0..10).collect::<Vec<_>>());
            assert!(next <= 11 + 16, "read at most a window ahead: {next}");
        }
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut next = 0;
            map_in_order::<usize, usize, ()>(
                2,
                Window::new(2, 2, usize::MAX),
                || {
                    next += 1;
                    Ok((next <= 10).then_some((next, 1)))
                },
                |i| {
                    assert!(i != 5, "item 5");
                    i
                },
                |_| Ok(()),
            )
        }));
        assert!(caught.is_err());
    }

    #[test]
    fn work_runs_on_several_threads_at_once() {
        // Each item waits (up to 5 s) until another is being worked on at the same time.
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let caller = thread::current().id();
        let mut next = 0;
        map_in_order::<(), (), ()>(
            2,
            Window::new(2, 2, usize::MAX),
            || {
                next += 1;
                Ok((next <= 4).then_some(((), 1)))
            },
            |()| {
                assert_ne!(thread::current().id(), caller);
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let start = std::time::Instant::now();
                while most.load(Ordering::SeqCst) < 2 && start.elapsed() < Duration::from_secs(5) {
                    thread::sleep(Duration::from_millis(1));
                }
                running.fetch_sub(1, Ordering::SeqCst);
            },
            |()| Ok(()),
        )
        .unwrap();
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
