// A hand-driven clock for the tests of throttles (board-util, teams-hover): `now`,
// `setTimeout` and `clearTimeout` as a throttle takes them, and `advance(ms)` to run what is due.

/** A hand-driven clock for the throttle. */
export function fakeClock() {
  let time = 0;
  let timers = [];
  let next = 1;
  return {
    now: () => time,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ id, at: time + ms, fn });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = time + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        time = due.at;
        due.fn();
      }
      time = end;
    },
    get scheduled() {
      return timers.length;
    },
  };
}
