// `npm run bench -- --profile <dir>`: what the bot processes spent their CPU on, from the V8 CPU profiles that
// `node --cpu-prof` wrote there. Two views: the functions with the most self time, and a text flame graph (total time
// down the call tree, the branches above a share of it).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../dev/bot-process.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const frameName = (n: ProfileNode): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url
    ? relative(ROOT, url.replace(/^file:\/\//, ''))
        .replace(/^node_modules\//, '')
        .replace(/^node:/, '')
    : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
};

/** Self and total milliseconds per node of one profile. */
function times(p: CpuProfile) {
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = new Map<number, number>();
  const sum = (id: number): number => {
    const node = byId.get(id);
    const t = (self.get(id) ?? 0) + (node?.children ?? []).reduce((s, c) => s + sum(c), 0);
    total.set(id, t);
    return t;
  };
  const root = p.nodes[0];
  if (root) sum(root.id);
  return { self, total, byId, root };
}

/** The summary of every profile in `dir`, as text for the console and a closing note. */
export function profileSummary(dir: string, top = 25, minShare = 0.02): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const out: string[] = [];
  for (const file of files) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const { self, total, byId, root } = times(p);
    if (!root) continue;
    const all = total.get(root.id) ?? 0;
    const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)');
    const busy = all - idle.reduce((s, [, ms]) => s + ms, 0);
    out.push(`${file}: ${Math.round(all)} ms profiled, ${Math.round(busy)} ms busy`);
    const bySelf = new Map<string, number>();
    for (const [id, ms] of self) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      const name = frameName(node);
      bySelf.set(name, (bySelf.get(name) ?? 0) + ms);
    }
    out.push('  self time (share of busy):');
    for (const [name, ms] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      out.push(`  ${String(Math.round(ms)).padStart(7)} ms ${pct(ms, busy)}  ${name}`);
    }
    out.push(`  flame graph (total time; branches above ${minShare * 100} % of busy):`);
    const walk = (id: number, depth: number) => {
      const first = byId.get(id);
      const t = total.get(id) ?? 0;
      if (!first || t < busy * minShare || first.callFrame.functionName === '(idle)') return;
      let node: ProfileNode = first;
      // A chain of calls that each spend nearly all their time in one callee is one line: its first and last frames.
      const chain = [node];
      for (;;) {
        const only: number[] = (node.children ?? []).filter((c) => (total.get(c) ?? 0) >= t * 0.9);
        const next: ProfileNode | undefined = only.length === 1 ? byId.get(only[0] as number) : undefined;
        if (!next || depth + chain.length > 40) break;
        chain.push(next);
        node = next;
      }
      const names = chain.length > 2 ? [chain[0], chain.at(-1)] : chain;
      const label = names.map((n) => frameName(n as ProfileNode)).join(chain.length > 2 ? ' … ' : ' › ');
      out.push(`  ${' '.repeat(depth * 2)}${pct(t, busy)} ${label}`);
      const kids = [...(node.children ?? [])].sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0));
      for (const c of kids) walk(c, depth + 1);
    };
    for (const c of root.children ?? []) walk(c, 0);
  }
  return out.join('\n');
}

const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1).padStart(5)} %`;
