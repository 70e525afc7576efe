//! `Queue`, `JoinableQueue` and `Pipe`: order, blocking, back-pressure, accounting, disconnect.

use std::sync::Arc;
use std::time::Duration;

use racecheck::{
    Disconnected, Empty, Event, Full, JoinableQueue, Pipe, Queue, TaskDoneError, Thread,
};

const SHORT: Duration = Duration::from_millis(10);
const LONG: Duration = Duration::from_secs(60);

#[test]
fn queue_is_fifo_across_threads() {
    let queue = Queue::new();
    let producer = {
        let queue = queue.clone();
        Thread::spawn(move || (0..10_000).for_each(|i| queue.put(i)))
    };
    let received: Vec<u32> = (0..10_000).map(|_| queue.get()).collect();
    producer.join().unwrap();
    assert_eq!(received, (0..10_000).collect::<Vec<_>>());
    assert!(queue.is_empty());
}

#[test]
fn many_producers_and_consumers_lose_and_duplicate_nothing() {
    let queue = Queue::bounded(16);
    let producers: Vec<_> = (0..4u64)
        .map(|p| {
            let queue = queue.clone();
            Thread::spawn(move || (0..2_500).for_each(|i| queue.put(p * 10_000 + i)))
        })
        .collect();
    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let queue = queue.clone();
            Thread::spawn(move || (0..2_500).map(|_| queue.get()).collect::<Vec<u64>>())
        })
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    let mut all: Vec<u64> = consumers
        .into_iter()
        .flat_map(|consumer| consumer.join().unwrap())
        .collect();
    all.sort_unstable();
    let expected: Vec<u64> = (0..4u64)
        .flat_map(|p| (0..2_500).map(move |i| p * 10_000 + i))
        .collect();
    assert_eq!(all, expected);
}

#[test]
fn get_blocks_until_an_item_arrives() {
    let queue = Queue::new();
    let consumer = {
        let queue = queue.clone();
        Thread::spawn(move || queue.get())
    };
    queue.put("late");
    assert_eq!(consumer.join(), Ok("late"));
}

#[test]
fn try_get_and_get_timeout_report_empty() {
    let queue = Queue::<u8>::new();
    assert_eq!(queue.try_get(), Err(Empty));
    assert_eq!(queue.get_timeout(SHORT), Err(Empty));
    queue.put(1);
    assert_eq!(queue.get_timeout(SHORT), Ok(1));
}

#[test]
fn a_bounded_queue_pushes_back_on_its_producer() {
    let queue = Queue::bounded(2);
    queue.put(1);
    queue.put(2);
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.try_put(3), Err(Full(3)));
    assert_eq!(queue.put_timeout(3, SHORT), Err(Full(3)));

    let put_done = Arc::new(Event::new());
    let producer = {
        let queue = queue.clone();
        let put_done = put_done.clone();
        Thread::spawn(move || {
            queue.put(3); // blocks: the queue is full
            put_done.set();
        })
    };
    assert!(
        !put_done.wait_timeout(SHORT),
        "put went through a full queue"
    );
    assert_eq!(queue.get(), 1);
    producer.join().unwrap();
    assert!(put_done.is_set());
    assert_eq!((queue.get(), queue.get()), (2, 3));
}

#[test]
fn full_gives_back_a_value_that_is_not_clone() {
    struct Token(u8);
    let queue = Queue::bounded(1);
    queue.put(Token(1));
    let Full(Token(back)) = queue.try_put(Token(2)).unwrap_err();
    assert_eq!(back, 2);
}

#[test]
fn put_timeout_succeeds_once_room_is_made() {
    let queue = Queue::bounded(1);
    queue.put(1);
    let producer = {
        let queue = queue.clone();
        Thread::spawn(move || queue.put_timeout(2, LONG))
    };
    assert_eq!(queue.get(), 1);
    assert_eq!(producer.join(), Ok(Ok(())));
    assert_eq!(queue.get(), 2);
}

#[test]
fn capacity_zero_is_unbounded_as_in_python() {
    let queue = Queue::bounded(0);
    for i in 0..1_000 {
        assert_eq!(queue.try_put(i), Ok(()));
    }
    assert_eq!(queue.capacity(), None);
    assert_eq!(Queue::<u8>::default().capacity(), None);
}

#[test]
fn joinable_queue_join_waits_for_every_task_done() {
    let queue = JoinableQueue::new();
    let finished = Arc::new(racecheck::Shared::new(0u32));
    let _consumer = {
        let queue = queue.clone();
        let finished = finished.clone();
        Thread::spawn(move || loop {
            let n: u32 = queue.get();
            finished.set(finished.get() + n);
            queue.task_done().unwrap();
        })
    };
    for n in 1..=100 {
        queue.put(n);
    }
    queue.join();
    assert_eq!(finished.get(), 5050);
}

#[test]
fn joinable_queue_join_blocks_while_a_task_is_unfinished() {
    let queue = JoinableQueue::new();
    queue.put(1);
    assert_eq!(queue.get(), 1);
    let joined = Arc::new(Event::new());
    let joiner = {
        let queue = queue.clone();
        let joined = joined.clone();
        Thread::spawn(move || {
            queue.join();
            joined.set();
        })
    };
    assert!(
        !joined.wait_timeout(SHORT),
        "join returned before task_done"
    );
    queue.task_done().unwrap();
    joiner.join().unwrap();
}

#[test]
fn joinable_queue_task_done_errs_beyond_the_items_put() {
    let queue = JoinableQueue::new();
    assert_eq!(queue.task_done(), Err(TaskDoneError));
    queue.put('a');
    queue.put('b');
    assert_eq!(queue.task_done(), Ok(()));
    assert_eq!(queue.task_done(), Ok(()));
    assert_eq!(queue.task_done(), Err(TaskDoneError));
    queue.join(); // the refused call did not push the count below zero
}

#[test]
fn joinable_queue_refused_puts_are_not_tasks() {
    let queue = JoinableQueue::bounded(1);
    queue.put(1);
    assert_eq!(queue.try_put(2), Err(Full(2)));
    assert_eq!(queue.put_timeout(3, SHORT), Err(Full(3)));
    assert_eq!(queue.get(), 1);
    queue.task_done().unwrap();
    queue.join();
    assert_eq!(queue.task_done(), Err(TaskDoneError));
}

#[test]
fn pipe_is_duplex_and_ordered() {
    let (parent, child) = Pipe::new();
    let echo = Thread::spawn(move || {
        while let Ok(n) = child.recv() {
            child.send(n * 2).unwrap();
        }
    });
    for n in 0..100 {
        parent.send(n).unwrap();
    }
    let doubled: Vec<i32> = (0..100).map(|_| parent.recv().unwrap()).collect();
    assert_eq!(doubled, (0..100).map(|n| n * 2).collect::<Vec<_>>());
    drop(parent);
    echo.join().unwrap();
}

#[test]
fn recv_delivers_what_was_sent_then_reports_disconnected() {
    let (a, b) = Pipe::new();
    a.send(1).unwrap();
    a.send(2).unwrap();
    drop(a);
    assert_eq!(b.recv(), Ok(1));
    assert_eq!(b.recv(), Ok(2));
    assert_eq!(b.recv(), Err(Disconnected));
    assert_eq!(b.send(3), Err(Disconnected));
}

#[test]
fn a_blocked_recv_wakes_when_the_other_end_is_dropped() {
    let (a, b) = Pipe::new::<u8>();
    let receiver = Thread::spawn(move || b.recv());
    drop(a);
    assert_eq!(receiver.join(), Ok(Err(Disconnected)));
}

#[test]
fn poll_reports_data_or_disconnection_within_the_timeout() {
    let (a, b) = Pipe::new();
    assert!(!b.poll(SHORT));
    a.send("x").unwrap();
    assert!(b.poll(Duration::ZERO));
    assert!(b.poll(Duration::ZERO), "poll does not consume");
    assert_eq!(b.recv(), Ok("x"));
    drop(a);
    assert!(
        b.poll(Duration::ZERO),
        "a gone peer makes recv return at once"
    );
}
