/**
 * formatStatusTable renders a StatusView for people: a line saying where health came from, one
 * row per real server (the virtual server named on its first row), and notes below the table for
 * what needs a sentence: why a real server is not up, a virtual server missing from the kernel,
 * panic mode. Columns are as wide as their widest cell; `-` stands for "not in the kernel".
 */
import { formatHostPort } from '../ipvs/model.js';
import type { DaemonStatus, StatusRealServerView, StatusServiceView, StatusView } from './status-view.js';

const HEADER = ['VIRTUAL SERVER', 'SCHED', 'REAL SERVER', 'HEALTH', 'WEIGHT', 'ACTIVECONN', 'INACTCONN', 'FOR'];

/** formatStatusTable renders `view` as of `now` (ms, for the FOR column). */
export function formatStatusTable(view: StatusView, now: number): string {
  const rows = view.services.flatMap((s) => serviceRows(s, now));
  const lines = [daemonLine(view.daemon), ...alignColumns([HEADER, ...rows])];
  const notes = view.services.flatMap(serviceNotes);
  if (view.services.length === 0) lines.push('(no virtual servers)');
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n') + '\n';
}

function daemonLine(daemon: DaemonStatus): string {
  if (!daemon.asked) return 'health: not asked (--metrics-address ""); kernel table only';
  if (daemon.reachable) return `health: lvscare ${daemon.version} at ${daemon.address}`;
  return `health: unknown, no lvscare answered at ${daemon.address} (${daemon.error}); kernel table only`;
}

function serviceRows(s: StatusServiceView, now: number): string[][] {
  const head = [s.name, s.inKernel ? s.scheduler : '-'];
  if (s.realServers.length === 0) return [[...head, '-', '', '', '', '', '']];
  return s.realServers.map((rs, i) => [...(i === 0 ? head : ['', '']), ...realServerCells(rs, now)]);
}

function realServerCells(rs: StatusRealServerView, now: number): string[] {
  const k = rs.kernel;
  const age = rs.since === undefined ? '' : formatAge(now - Date.parse(rs.since));
  return [formatHostPort(rs.family, rs.address, rs.port), rs.health, k ? String(k.weight) : '-', k ? String(k.activeConns) : '-', k ? String(k.inactiveConns) : '-', age];
}

function serviceNotes(s: StatusServiceView): string[] {
  const notes: string[] = [];
  if (!s.inKernel) notes.push(`${s.name}: not in the kernel table`);
  if (s.panic) notes.push(`${s.name}: panic mode: every real server is unhealthy, all are kept in the table`);
  for (const rs of s.realServers) {
    if (rs.reason !== undefined && rs.health !== 'up') notes.push(`${formatHostPort(rs.family, rs.address, rs.port)} ${rs.health}: ${rs.reason}`);
  }
  return notes;
}

/** alignColumns pads every cell but the last of each row to its column's width. */
function alignColumns(rows: readonly string[][]): string[] {
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/** formatAge renders a non-negative age compactly: `45s`, `5m2s`, `3h4m`, `2d3h`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}
