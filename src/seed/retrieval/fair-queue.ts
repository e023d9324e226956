// Who goes next when more people ask than the account can run: round-robin over users, first come first served
// within a user, so one member asking for twenty seeds does not starve the rest. A seed job that already runs
// upstream (resumed after a restart) goes first: it holds an account slot whether we follow it or not.

export interface Ticket {
  readonly user: string;
  /** True once it is this ticket's turn. */
  readonly started: boolean;
  /** Tickets ahead of this one (0 = next, or started). */
  position(): number;
  /** Resolves when it is this ticket's turn. */
  readonly turn: Promise<void>;
  /** Give the turn back (when done) or leave the queue (when cancelled). */
  done(): void;
}

export interface FairQueue {
  /** `priority`: served before every ordinary ticket (a job already running upstream). */
  enter(user: string, options?: { priority?: boolean }): Ticket;
  readonly waiting: number;
  readonly running: number;
  /** Called whenever a ticket starts or leaves, so waiting tickets can tell their new position. */
  onChange(listener: () => void): () => void;
}

interface Entry {
  user: string;
  start: () => void;
  started: boolean;
  finished: boolean;
}

export function createFairQueue(initialLimit: number): FairQueue {
  const limit = Math.max(1, initialLimit);
  let running = 0;
  const priority: Entry[] = [];
  const perUser = new Map<string, Entry[]>();
  // Users in the order they will be served; a user goes to the back after each turn.
  const rotation: string[] = [];
  const listeners = new Set<() => void>();

  const changed = () => {
    for (const listener of listeners) listener();
  };

  const order = (): Entry[] => {
    // The service order as it stands: priority tickets, then one from each user in rotation, then the second of
    // each, and so on.
    const lists = rotation.map((u) => perUser.get(u) ?? []);
    const total = lists.reduce((n, l) => n + l.length, 0);
    const out: Entry[] = [...priority];
    for (let depth = 0; out.length < total + priority.length; depth++) {
      for (const l of lists) {
        const e = l[depth];
        if (e) out.push(e);
      }
    }
    return out;
  };

  const begin = (entry: Entry) => {
    running++;
    entry.started = true;
    entry.start();
  };

  const pump = (): boolean => {
    let moved = false;
    while (running < limit) {
      const first = priority.shift();
      if (first) {
        begin(first);
        moved = true;
        continue;
      }
      const user = rotation.shift();
      if (user === undefined) break;
      const list = perUser.get(user);
      const next = list?.shift();
      if (!next) {
        perUser.delete(user);
        continue;
      }
      if (list?.length) rotation.push(user);
      else perUser.delete(user);
      begin(next);
      moved = true;
    }
    return moved;
  };

  const remove = (entry: Entry) => {
    const p = priority.indexOf(entry);
    if (p >= 0) {
      priority.splice(p, 1);
      return;
    }
    const l = perUser.get(entry.user);
    const i = l?.indexOf(entry) ?? -1;
    if (l && i >= 0) l.splice(i, 1);
    if (l && l.length === 0) {
      perUser.delete(entry.user);
      const r = rotation.indexOf(entry.user);
      if (r >= 0) rotation.splice(r, 1);
    }
  };

  return {
    enter(user, options = {}) {
      let start: () => void = () => {};
      const turn = new Promise<void>((resolve) => {
        start = resolve;
      });
      const entry: Entry = { user, start, started: false, finished: false };
      if (options.priority) priority.push(entry);
      else {
        const list = perUser.get(user);
        if (list) list.push(entry);
        else {
          perUser.set(user, [entry]);
          rotation.push(user);
        }
      }
      pump();
      changed();
      return {
        user,
        turn,
        get started() {
          return entry.started;
        },
        position: () => (entry.started ? 0 : order().indexOf(entry)),
        done() {
          if (entry.finished) return;
          entry.finished = true;
          if (entry.started) running--;
          else remove(entry);
          pump();
          changed();
        },
      };
    },
    get waiting() {
      let n = priority.length;
      for (const l of perUser.values()) n += l.length;
      return n;
    },
    get running() {
      return running;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
