use racecheck::JoinableQueue;

pub fn finished<T: Send>(q: &JoinableQueue<T>) {
    q.task_done().expect("matched with a get");
}
