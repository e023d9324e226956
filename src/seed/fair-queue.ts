// Who goes next when more people ask than the account can run: round-robin over users, first come first served
// within a user, so one member asking for twenty seeds does not starve the rest.

export interface Ticket {
  readonly user: string;
  /** People ahead of this ticket (0 = next). */
  position(): number;
  /** Resolves when it is this ticket's turn. */
  readonly turn: Promise<void>;
  /** Give the turn back (when done) or leave the queue (when cancelled). */
  done(): void;
}

export interface FairQueue {
  enter(user: string): Ticket;
  readonly waiting: number;
  readonly running: number;
  setLimit(limit: number): void;
}

interface Entry {
  user: string;
  start: () => void;
  started: boolean;
  finished: boolean;
}

export function createFairQueue(initialLimit: number): FairQueue {
  let limit = initialLimit;
  let running = 0;
  const perUser = new Map<string, Entry[]>();
  // Users in the order they will be served; a user goes to the back after each turn.
  const rotation: string[] = [];

  const order = (): Entry[] => {
    // The service order as it stands: one from each user in rotation, then the second of each, and so on.
    const lists = rotation.map((u) => perUser.get(u) ?? []);
    const out: Entry[] = [];
    for (let depth = 0; out.length < lists.reduce((n, l) => n + l.length, 0); depth++) {
      for (const l of lists) {
        const e = l[depth];
        if (e) out.push(e);
      }
    }
    return out;
  };

  const pump = () => {
    while (running < limit && rotation.length > 0) {
      const user = rotation.shift() as string;
      const list = perUser.get(user);
      const next = list?.shift();
      if (!next) {
        perUser.delete(user);
        continue;
      }
      if (list?.length) rotation.push(user);
      else perUser.delete(user);
      running++;
      next.started = true;
      next.start();
    }
  };

  return {
    enter(user) {
      let start: () => void = () => {};
      const turn = new Promise<void>((resolve) => {
        start = resolve;
      });
      const entry: Entry = { user, start, started: false, finished: false };
      const list = perUser.get(user);
      if (list) list.push(entry);
      else {
        perUser.set(user, [entry]);
        rotation.push(user);
      }
      pump();
      return {
        user,
        turn,
        position: () => (entry.started ? 0 : order().indexOf(entry)),
        done() {
          if (entry.finished) return;
          entry.finished = true;
          if (entry.started) running--;
          else {
            const l = perUser.get(user);
            const i = l?.indexOf(entry) ?? -1;
            if (l && i >= 0) l.splice(i, 1);
          }
          pump();
        },
      };
    },
    get waiting() {
      let n = 0;
      for (const l of perUser.values()) n += l.length;
      return n;
    },
    get running() {
      return running;
    },
    setLimit(next) {
      limit = Math.max(1, next);
      pump();
    },
  };
}
