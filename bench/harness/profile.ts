import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads the V8 CPU profiles a worker wrote (`node --cpu-prof`: one file per
 * thread, the main thread running activities and the Temporal bridge, a
 * worker thread running workflow code) and says where the time went: by
 * function and by area (a package, or a folder of this project).
 */
interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileShare {
  name: string;
  selfMs: number;
  /** Share of the thread's busy time (idle excluded). */
  share: number;
}

export interface ProfileSummary {
  file: string;
  thread: string;
  wallSeconds: number;
  busySeconds: number;
  /** Self time by package or project folder. */
  areas: ProfileShare[];
  /** Self time by function. */
  functions: ProfileShare[];
  /**
   * Time charged to the innermost function of this project on the stack, so
   * library and runtime work counts against the project code that asked for
   * it; samples with no project frame are charged to their leaf's area.
   */
  byProjectCaller: ProfileShare[];
}

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (file.endsWith('workflow-bundle.js')) return 'workflow bundle (workflows/** and the Temporal workflow runtime)';
  if (file.startsWith(projectRoot)) return path.relative(projectRoot, path.dirname(file)) || '.';
  return file;
}

function threadOf(file: string, areas: ReadonlyMap<string, number>): string {
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
  const threadId = path.basename(file).split('.')[4];
  if (threadId === '0' || path.basename(file).includes('.main.')) return 'main thread (activities, Temporal bridge)';
  if (areas.has('@temporalio/worker')) return `thread ${threadId} (workflow code)`;
  if (areas.has('tsx')) return `thread ${threadId} (tsx module loader)`;
  return `thread ${threadId}`;
}

function isProjectFrame(url: string): boolean {
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(projectRoot) && !file.includes('node_modules/');
}

function top(entries: Map<string, number>, busyMs: number, limit: number): ProfileShare[] {
  return [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, selfMs]) => ({ name, selfMs: Math.round(selfMs), share: Math.round((selfMs / busyMs) * 1000) / 1000 }));
}

export function summarizeProfile(file: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = profile.samples.length ? wallMs / profile.samples.length : 0;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const parentOf = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const describe = (node: CpuProfileNode) => {
    const where = node.callFrame.url ? `${path.relative(projectRoot, node.callFrame.url.replace(/^file:\/\//, ''))}:${node.callFrame.lineNumber + 1}` : '';
    return `${node.callFrame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  };
  const projectCaller = (leaf: CpuProfileNode): string => {
    for (let node: CpuProfileNode | undefined = leaf; node; node = parentOf.get(node.id)) {
      if (isProjectFrame(node.callFrame.url)) return describe(node);
    }
    return `(no project code on the stack) ${areaOf(leaf.callFrame.url, leaf.callFrame.functionName)}`;
  };
  let busyMs = 0;
  for (const node of profile.nodes) {
    const ms = (hits.get(node.id) ?? 0) * msPerSample;
    if (ms === 0 || node.callFrame.functionName === '(idle)') continue;
    busyMs += ms;
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = `${describe(node)} [${area}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const caller = projectCaller(node);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + ms);
  }
  return {
    file: path.basename(file),
    thread: threadOf(file, byArea),
    wallSeconds: Math.round(wallMs / 100) / 10,
    busySeconds: Math.round(busyMs / 100) / 10,
    areas: top(byArea, Math.max(busyMs, 1), limit),
    functions: top(byFunction, Math.max(busyMs, 1), limit),
    byProjectCaller: top(byCaller, Math.max(busyMs, 1), limit),
  };
}

/** Every profile in `dir`, busiest thread first. */
export function summarizeProfiles(dir: string, limit = 15): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((name) => summarizeProfile(path.join(dir, name), limit)).sort((a, b) => b.busySeconds - a.busySeconds);
}
